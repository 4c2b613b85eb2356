"""The guide pages and the chapters shipped in docs/guide."""

import pytest
from django.test import Client

from sinergi.accounts.roles import ROLES
from sinergi.accounts.testing import Expect, assert_authorization
from sinergi.guide import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(units, make_user):
    return make_user(None, units.upt_b)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_guide_authorization(reader):
    for url in ["/bantuan/", "/bantuan/masuk/"]:
        assert_authorization(
            url=url,
            cases=[
                Expect("anonymous", None, 302),
                Expect("any signed-in user, even without a role", reader, 200),
            ],
        )


def test_unknown_chapter_answers_404(reader):
    assert _client(reader).get("/bantuan/tidak-ada/").status_code == 404
    assert _client(reader).get("/bantuan/index/").status_code == 404


def _shipped_chapter_files():
    """docs/guide/NN-slug.md files in their numeric order, the index (00) left out."""
    files = sorted(selectors.guide_dir().glob("[0-9][0-9]-*.md"))
    return [path for path in files if not path.name.startswith("00-")]


def test_index_shows_the_introduction_and_every_chapter_in_file_order(reader):
    response = _client(reader).get("/bantuan/")

    html = response.content.decode()
    assert "Panduan Pengguna Sinergi" in html
    slugs = [c.slug for c in response.context["chapters"]]
    assert slugs == [path.stem.split("-", 1)[1] for path in _shipped_chapter_files()]
    # The platform chapters come first, in this order, whatever domain chapters follow.
    assert slugs[:4] == ["masuk", "peran", "impor-spreadsheet", "rehabilitasi"]
    assert 'href="/bantuan/masuk/"' in html


def test_chapter_page_has_contents_and_next_link(reader):
    response = _client(reader).get("/bantuan/masuk/")

    html = response.content.decode()
    assert '<h1 id="masuk-ke-sinergi">Masuk ke Sinergi</h1>' in html
    assert 'href="#verifikasi-dua-langkah-administrator-sistem"' in html
    assert response.context["previous"] is None
    assert response.context["next"].slug == "peran"


def test_chapter_links_between_files_become_page_links(reader):
    html = _client(reader).get("/bantuan/peran/").content.decode()

    assert 'href="/bantuan/masuk/#verifikasi-dua-langkah-administrator-sistem"' in html
    assert ".md" not in html.split('data-testid="guide-chapter"')[1].split("</article>")[0]


def test_roles_chapter_names_every_role_and_every_demo_user(reader):
    from sinergi.accounts.demo import DEMO_USERS

    html = _client(reader).get("/bantuan/peran/").content.decode()

    for _code, name, *_rest in ROLES:
        assert str(name) in html
    for username, *_rest in DEMO_USERS:
        assert f"<code>{username}</code>" in html


def test_import_chapter_covers_the_import_steps(reader):
    html = _client(reader).get("/bantuan/impor-spreadsheet/").content.decode()

    for phrase in [
        "Unduh templat",
        "pratinjau",
        "Unduh kesalahan (xlsx)",
        "Terapkan",
        "Format Cells",
        "tidak mengubah apa pun",
        "bilah kemajuan",
    ]:
        assert phrase in html


def test_guide_without_files_shows_a_helpful_empty_state(reader, settings, tmp_path):
    settings.SINERGI = {**settings.SINERGI, "GUIDE_DIR": str(tmp_path)}

    html = _client(reader).get("/bantuan/").content.decode()

    assert "Panduan belum memiliki bab." in html


def test_chapter_is_rendered_again_after_the_file_changes(reader, settings, tmp_path):
    settings.SINERGI = {**settings.SINERGI, "GUIDE_DIR": str(tmp_path)}
    chapter = tmp_path / "01-coba.md"
    chapter.write_text("# Coba\n\nVersi satu\n", encoding="utf-8")
    client = _client(reader)
    first = client.get("/bantuan/coba/").content.decode()

    chapter.write_text("# Coba\n\nVersi dua yang lebih panjang\n", encoding="utf-8")
    second = client.get("/bantuan/coba/").content.decode()

    assert "Versi satu" in first
    assert "Versi dua yang lebih panjang" in second


def test_menu_item_is_under_help_for_everyone(reader):
    response = _client(reader).get("/")

    items = response.context["help_menu"]
    assert [(str(i.label), i.icon, i.url) for i in items] == [
        ("Panduan pengguna", "question-circle", "/bantuan/")
    ]


def test_chapter_list_reads_titles_from_the_files():
    titles = [c.title for c in selectors.chapter_list()]

    first_headings = [
        next(line[2:].strip() for line in path.read_text().splitlines() if line.startswith("# "))
        for path in _shipped_chapter_files()
    ]
    assert titles == first_headings
    assert titles[:4] == [
        "Masuk ke Sinergi",
        "Peran dan hak akses",
        "Mengimpor data dari spreadsheet",
        "Rehabilitasi sosial: penerima manfaat, kasus, dan asesmen",
    ]
    assert "Serapan anggaran" in titles


def test_chapter_query_count_is_pinned(reader, django_assert_num_queries):
    client = _client(reader)
    client.get("/bantuan/masuk/")

    # session, user+unit, 2FA role check, permissions (menu, one query), unread notifications
    with django_assert_num_queries(5):
        client.get("/bantuan/masuk/")
