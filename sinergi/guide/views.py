"""The user guide pages: the index with the chapter list, and one chapter with its contents."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from sinergi.guide import selectors


@login_required
def index(request: HttpRequest) -> HttpResponse:
    intro = selectors.index_chapter()
    rendered = selectors.chapter_render(intro) if intro is not None else None
    context = {
        "chapters": selectors.chapter_list(),
        # Safe: rendering escapes any raw HTML of the Markdown files.
        "intro_html": mark_safe(rendered.html) if rendered is not None else "",  # noqa: S308
    }
    return render(request, "guide/index.html", context)


@login_required
def chapter(request: HttpRequest, slug: str) -> HttpResponse:
    current = selectors.chapter_get(slug)
    chapters = selectors.chapter_list()
    position = chapters.index(current)
    rendered = selectors.chapter_render(current)
    context = {
        "chapter": current,
        "chapters": chapters,
        # Safe: rendering escapes any raw HTML of the Markdown files.
        "content": mark_safe(rendered.html),  # noqa: S308
        "toc": rendered.toc,
        "previous": chapters[position - 1] if position > 0 else None,
        "next": chapters[position + 1] if position + 1 < len(chapters) else None,
    }
    return render(request, "guide/chapter.html", context)
