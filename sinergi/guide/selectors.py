"""The chapters of the user guide: Markdown files named `NN-slug.md` in docs/guide."""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from sinergi.guide.rendering import Rendered, render_markdown

_FILE_NAME = re.compile(r"^(?P<number>\d+)-(?P<slug>[a-z0-9-]+)\.md$")
INDEX_SLUG = "index"


@dataclass(frozen=True)
class Chapter:
    number: int
    slug: str
    title: str
    path: Path

    @property
    def url(self) -> str:
        if self.slug == INDEX_SLUG:
            return reverse("guide:index")
        return reverse("guide:chapter", kwargs={"slug": self.slug})


def guide_dir() -> Path:
    configured = settings.SINERGI.get("GUIDE_DIR")
    return Path(str(configured)) if configured else Path(settings.BASE_DIR) / "docs" / "guide"


def _title_of(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem


def _all_chapters() -> list[Chapter]:
    directory = guide_dir()
    if not directory.is_dir():
        return []
    found = []
    for path in directory.glob("*.md"):
        match = _FILE_NAME.match(path.name)
        if match:
            found.append(Chapter(int(match["number"]), match["slug"], _title_of(path), path))
    return sorted(found, key=lambda chapter: (chapter.number, chapter.slug))


def chapter_list() -> list[Chapter]:
    """The chapters in reading order (the `00-index.md` introduction excluded)."""
    return [chapter for chapter in _all_chapters() if chapter.slug != INDEX_SLUG]


def index_chapter() -> Chapter | None:
    return next((c for c in _all_chapters() if c.slug == INDEX_SLUG), None)


def chapter_get(slug: str) -> Chapter:
    """One chapter by its slug, or Http404."""
    for chapter in chapter_list():
        if chapter.slug == slug:
            return chapter
    raise Http404


def _chapter_url_for_file(file_name: str) -> str | None:
    match = _FILE_NAME.match(file_name)
    if match is None:
        return None
    if match["slug"] == INDEX_SLUG:
        return reverse("guide:index")
    if not (guide_dir() / file_name).is_file():
        return None
    return reverse("guide:chapter", kwargs={"slug": match["slug"]})


@lru_cache(maxsize=64)
def _render_cached(path: str, modified_ns: int) -> Rendered:
    text = Path(path).read_text(encoding="utf-8")
    return render_markdown(text, chapter_url=_chapter_url_for_file)


def chapter_render(chapter: Chapter) -> Rendered:
    """The chapter as HTML with its table of contents (re-rendered when the file changes)."""
    return _render_cached(str(chapter.path), chapter.path.stat().st_mtime_ns)
