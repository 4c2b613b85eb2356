"""Fixtures shared by every app's tests and the browser tests."""

import os

import pytest

# Playwright's sync API runs an event loop in the main thread; Django's ORM refuses to run "inside"
# it unless told this is fine (the tests are synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def roles(db):
    from sinergi.accounts import services

    return {role.code: role for role in services.roles_sync(actor=None)}


@pytest.fixture
def units(db):
    from sinergi.organisation.testing import make_unit_tree

    return make_unit_tree()


@pytest.fixture
def make_user(roles):
    from sinergi.accounts.testing import make_user as _make_user

    return _make_user
