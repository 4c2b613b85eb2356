from types import SimpleNamespace

import pytest

from sinergi.core import menu


@pytest.fixture
def two_items(monkeypatch):
    registry = [
        menu.MenuItem(label="Unit", url_name="organisation:unit_list", section="admin"),
        menu.MenuItem(label="Wilayah", url_name="organisation:region_browser", section="admin"),
    ]
    monkeypatch.setattr(menu, "_registry", registry)
    monkeypatch.setattr(
        menu.MenuItem,
        "url",
        lambda self: {
            "organisation:unit_list": "/organisasi/unit/",
            "organisation:region_browser": "/organisasi/wilayah/",
        }[self.url_name],
    )
    return SimpleNamespace(is_authenticated=True, has_perm=lambda perm: True)


def test_only_the_item_whose_address_prefixes_the_path_is_active(two_items):
    entries = menu.entries_for(two_items, "admin", "/organisasi/wilayah/35/")
    assert [(str(e.label), e.active) for e in entries] == [("Unit", False), ("Wilayah", True)]


def test_no_item_is_active_on_an_unrelated_page(two_items):
    entries = menu.entries_for(two_items, "admin", "/bantuan/")
    assert [e.active for e in entries] == [False, False]


def test_anonymous_users_get_no_entries(two_items):
    anonymous = SimpleNamespace(is_authenticated=False)
    assert menu.entries_for(anonymous, "admin", "/organisasi/unit/") == []
