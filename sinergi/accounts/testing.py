"""Test helpers every app uses: users with a role in a unit, and the authorization matrix."""

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.test import Client

from sinergi.accounts.models import Role, User

PASSWORD = "test-password-123"
_counter = itertools.count(1)


def make_user(role: str | None, unit: Any, *, username: str | None = None, **extra: Any) -> User:
    """A user in `unit` holding role `role` (roles must be synced: use the `roles` fixture)."""
    user = User.objects.create_user(
        username=username or f"{role or 'norole'}-{next(_counter)}",
        password=PASSWORD,
        unit=unit,
        full_name=extra.pop("full_name", "Pengguna Uji"),
        **extra,
    )
    if role:
        user.roles.add(Role.objects.get(code=role))
    return user


@dataclass(frozen=True)
class Expect:
    """One row of an authorization matrix: who asks, and the status they must get."""

    who: str  # a label for the failure message, e.g. "anonymous", "social worker of another UPT"
    user: User | None
    status: int


def assert_authorization(
    *,
    url: str,
    cases: Sequence[Expect],
    method: str = "get",
    data: dict[str, Any] | None = None,
    state: Callable[[], Any] | None = None,
    **headers: Any,
) -> None:
    """Call `url` as each case's user; assert the status, and that denied calls changed nothing.

    `state` returns a comparable snapshot of whatever the call could change (e.g. a list of rows);
    for every case whose status is 302 (to the login page), 401, 403 or 404 it must be unchanged.
    """
    for case in cases:
        client = Client()
        if case.user is not None:
            client.force_login(case.user)
        before = state() if state else None
        response = getattr(client, method)(url, data=data or {}, **headers)
        assert response.status_code == case.status, (
            f"{case.who}: {method.upper()} {url} gave {response.status_code}, "
            f"expected {case.status}"
        )
        if case.status == 302 and case.user is None:
            assert "/akun/masuk/" in response["Location"], f"{case.who}: not sent to login"
        if (
            state
            and case.status in {302, 401, 403, 404}
            and (case.user is None or case.status != 302)
        ):
            assert state() == before, f"{case.who}: a denied call changed data"
