"""Markdown of the user guide to safe HTML: raw HTML is escaped, links are checked, tables get
Bootstrap classes, and links to other chapter files (`02-peran.md#bagian`) become page links."""

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import markdown
from markdown.treeprocessors import Treeprocessor

_CHAPTER_LINK = re.compile(r"^(?:\./)?(?P<file>\d+-[a-z0-9-]+\.md)(?P<anchor>#[\w-]+)?$")
_SAFE_SCHEMES = {"", "http", "https", "mailto"}
_ALIGN_CLASSES = {"left": "text-start", "center": "text-center", "right": "text-end"}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict[str, Any]]  # [{"id", "name", "level", "children": [...]}] for h2 and h3


class _SafeTree(Treeprocessor):
    def __init__(self, md: markdown.Markdown, chapter_url: Callable[[str], str | None]) -> None:
        super().__init__(md)
        self.chapter_url = chapter_url

    def run(self, root: ET.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if element.tag == "a":
                self._link(element)
            elif element.tag == "table":
                element.set("class", "table table-sm table-bordered bg-white")
                parent = parents.get(element, root)
                wrapper = ET.Element("div", {"class": "table-responsive"})
                index = list(parent).index(element)
                parent.remove(element)
                wrapper.append(element)
                wrapper.tail = element.tail
                element.tail = None
                parent.insert(index, wrapper)
            elif element.tag in {"th", "td"} and "style" in element.attrib:
                # The tables extension aligns with style="text-align: ..."; CSP forbids inline style.
                style = element.attrib.pop("style")
                align = style.split(":", 1)[-1].strip().rstrip(";")
                if align in _ALIGN_CLASSES:
                    element.set("class", _ALIGN_CLASSES[align])

    def _link(self, element: ET.Element) -> None:
        href = element.get("href", "")
        match = _CHAPTER_LINK.match(href)
        if match:
            url = self.chapter_url(match["file"])
            if url is not None:
                element.set("href", url + (match["anchor"] or ""))
                return
        parts = urlsplit(href)
        if parts.scheme.lower() not in _SAFE_SCHEMES:
            element.attrib.pop("href", None)
        elif parts.scheme in {"http", "https"}:
            element.set("rel", "noopener noreferrer")
            element.set("target", "_blank")


def render_markdown(text: str, *, chapter_url: Callable[[str], str | None]) -> Rendered:
    """Convert guide Markdown to HTML safe to mark as such, with a table of contents."""
    md = markdown.Markdown(
        extensions=["toc", "tables", "fenced_code", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    # Raw HTML in the files is shown as text, never passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_SafeTree(md, chapter_url), "sinergi_safe_tree", 0)
    html = md.convert(text)
    return Rendered(html=html, toc=list(getattr(md, "toc_tokens", [])))
