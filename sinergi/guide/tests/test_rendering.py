"""Guide Markdown becomes safe HTML."""

from sinergi.guide.rendering import render_markdown


def _render(text, chapters=None):
    chapters = chapters or {}
    return render_markdown(text, chapter_url=lambda name: chapters.get(name))


def test_raw_html_is_shown_as_text_never_executed():
    html = _render(
        '<script>alert(1)</script>\n\nTeks <b onclick="x()">tebal</b>\n\n<div style="color:red">x</div>'
    ).html

    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b" not in html
    assert "<div style" not in html


def test_script_links_lose_their_href_and_external_links_open_safely():
    html = _render("[a](javascript:alert(1)) [b](https://example.org/) [c](/bantuan/)").html

    assert "javascript:" not in html
    assert '<a href="https://example.org/" rel="noopener noreferrer" target="_blank">b</a>' in html
    assert '<a href="/bantuan/">c</a>' in html


def test_links_to_chapter_files_become_page_links():
    html = _render(
        "[peran](02-peran.md) [bagian](01-masuk.md#lupa-kata-sandi) [hilang](09-tidak-ada.md)",
        chapters={"02-peran.md": "/bantuan/peran/", "01-masuk.md": "/bantuan/masuk/"},
    ).html

    assert '<a href="/bantuan/peran/">peran</a>' in html
    assert '<a href="/bantuan/masuk/#lupa-kata-sandi">bagian</a>' in html
    assert '<a href="09-tidak-ada.md">hilang</a>' in html


def test_tables_are_responsive_bootstrap_tables_without_inline_styles():
    html = _render("| a | b |\n|:--|--:|\n| 1 | 2 |").html

    assert (
        '<div class="table-responsive"><table class="table table-sm table-bordered bg-white">'
        in html
    )
    assert "style=" not in html
    assert '<td class="text-end">2</td>' in html


def test_table_of_contents_lists_sections_and_subsections():
    rendered = _render("# Judul\n\n## Satu\n\n### Satu a\n\n## Dua\n")

    assert [(item["id"], item["name"]) for item in rendered.toc] == [
        ("satu", "Satu"),
        ("dua", "Dua"),
    ]
    assert [child["id"] for child in rendered.toc[0]["children"]] == ["satu-a"]
    assert '<h2 id="satu">Satu</h2>' in rendered.html
