"""User administration pages: authorization matrix, behaviour and pinned query counts."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from sinergi.accounts.models import User
from sinergi.accounts.testing import PASSWORD, Expect, assert_authorization
from sinergi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(units, make_user, admin_without_two_factor):
    """Who is who: an admin, a unit-scoped user manager in UPT A, a social worker, targets."""
    scoped_manager = make_user("head_of_upt", units.upt_a, username="kepala.a")
    scoped_manager.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["view_user", "add_user", "change_user"],
        )
    )
    return {
        "admin": make_user("system_admin", units.office, username="admin"),
        "scoped_manager": scoped_manager,
        "social_worker": make_user("social_worker", units.upt_a, username="peksos.a"),
        "target_a": make_user("social_worker", units.upt_a, username="target.a"),
        "target_b": make_user("social_worker", units.upt_b, username="target.b"),
        "auditor": make_user("auditor", units.office, username="auditor"),
    }


def _state(user):
    def snapshot():
        fresh = User.objects.get(pk=user.pk)
        return (
            fresh.full_name,
            fresh.unit_id,
            fresh.is_active,
            fresh.password,
            sorted(fresh.roles.values_list("code", flat=True)),
            AuditEvent.objects.count(),
        )

    return snapshot


def _object_cases(cast, *, own_status=200, admin_status=200):
    return [
        Expect("anonymous", None, 302),
        Expect("social worker (no user permission)", cast["social_worker"], 403),
        Expect("scoped manager on another UPT's user", cast["scoped_manager"], 404),
        Expect("admin", cast["admin"], admin_status),
    ]


# --- authorization matrices ------------------------------------------------------------------


def test_user_list_authorization(cast):
    assert_authorization(
        url="/akun/pengguna/",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", cast["social_worker"], 403),
            Expect("scoped manager", cast["scoped_manager"], 200),
            Expect("auditor (read only)", cast["auditor"], 200),
            Expect("admin", cast["admin"], 200),
        ],
    )


def test_user_detail_authorization(cast):
    assert_authorization(url=f"/akun/pengguna/{cast['target_b'].pk}/", cases=_object_cases(cast))
    assert_authorization(
        url=f"/akun/pengguna/{cast['target_a'].pk}/",
        cases=[Expect("scoped manager on own UPT's user", cast["scoped_manager"], 200)],
    )


def test_user_create_authorization(cast, units):
    data = {
        "username": "baru",
        "full_name": "Baru",
        "unit": units.upt_a.pk,
        "roles": [],
    }
    assert_authorization(
        url="/akun/pengguna/baru/",
        method="post",
        data=data,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", cast["social_worker"], 403),
            Expect("auditor (read only)", cast["auditor"], 403),
        ],
        state=lambda: User.objects.count(),
    )
    assert_authorization(
        url="/akun/pengguna/baru/",
        cases=[
            Expect("scoped manager", cast["scoped_manager"], 200),
            Expect("admin", cast["admin"], 200),
        ],
    )


def test_user_edit_authorization(cast, units):
    target_b = cast["target_b"]
    data = {
        "full_name": "Diubah",
        "email": "",
        "unit": units.upt_b.pk,
        "roles": [cast["admin"].roles.get().pk],
        "is_active": "on",
    }
    assert_authorization(
        url=f"/akun/pengguna/{target_b.pk}/ubah/",
        method="post",
        data=data,
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", cast["social_worker"], 403),
            Expect("auditor (read only)", cast["auditor"], 403),
            Expect("scoped manager on another UPT's user", cast["scoped_manager"], 404),
        ],
        state=_state(target_b),
    )
    assert_authorization(
        url=f"/akun/pengguna/{cast['target_a'].pk}/ubah/",
        cases=[Expect("scoped manager on own UPT's user", cast["scoped_manager"], 200)],
    )


def test_user_password_reset_authorization(cast):
    target_b = cast["target_b"]
    assert_authorization(
        url=f"/akun/pengguna/{target_b.pk}/kata-sandi/",
        method="post",
        data={"password": "", "password_confirm": ""},
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", cast["social_worker"], 403),
            Expect("auditor (read only)", cast["auditor"], 403),
            Expect("scoped manager on another UPT's user", cast["scoped_manager"], 404),
        ],
        state=_state(target_b),
    )
    assert_authorization(
        url=f"/akun/pengguna/{cast['target_a'].pk}/kata-sandi/",
        cases=[Expect("scoped manager on own UPT's user", cast["scoped_manager"], 200)],
    )


@pytest.mark.parametrize("action", ["buka-kunci", "dua-langkah"])
def test_user_unlock_and_two_factor_reset_authorization(cast, action):
    target_b = cast["target_b"]
    assert_authorization(
        url=f"/akun/pengguna/{target_b.pk}/{action}/",
        method="post",
        cases=[
            Expect("anonymous", None, 302),
            Expect("social worker", cast["social_worker"], 403),
            Expect("auditor (read only)", cast["auditor"], 403),
            Expect("scoped manager on another UPT's user", cast["scoped_manager"], 404),
        ],
        state=_state(target_b),
    )
    assert_authorization(
        url=f"/akun/pengguna/{cast['target_a'].pk}/{action}/",
        method="post",
        cases=[
            Expect("scoped manager on own UPT's user", cast["scoped_manager"], 302),
            Expect("admin", cast["admin"], 302),
        ],
    )


@pytest.mark.parametrize("action", ["buka-kunci", "dua-langkah"])
def test_unlock_and_two_factor_reset_refuse_get(cast, action):
    client = Client()
    client.force_login(cast["admin"])

    assert client.get(f"/akun/pengguna/{cast['target_a'].pk}/{action}/").status_code == 405


def test_user_pages_of_a_missing_user_answer_404(cast):
    client = Client()
    client.force_login(cast["admin"])

    for suffix in ["", "ubah/", "kata-sandi/"]:
        assert client.get(f"/akun/pengguna/999999/{suffix}").status_code == 404


def test_system_admin_without_verified_second_factor_cannot_open_user_pages(units, make_user):
    admin = make_user("system_admin", units.office)
    client = Client()
    client.force_login(admin)

    response = client.get("/akun/pengguna/")

    assert response.status_code == 302
    assert response["Location"].startswith("/akun/verifikasi/")


def test_verified_system_admin_opens_the_user_list(units, make_user, verified_client):
    client = verified_client(make_user("system_admin", units.office))

    assert client.get("/akun/pengguna/").status_code == 200


# --- behaviour ---------------------------------------------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_list_searches_and_filters_by_unit(cast, units):
    client = _client(cast["admin"])

    by_name = client.get("/akun/pengguna/", {"q": "target"})
    by_unit = client.get("/akun/pengguna/", {"unit": units.upt_b.pk})

    assert [u.username for u in by_name.context["page"].items] == ["target.a", "target.b"]
    assert [u.username for u in by_unit.context["page"].items] == ["target.b"]


def test_list_of_a_scoped_manager_offers_only_units_in_scope(cast, units):
    response = _client(cast["scoped_manager"]).get("/akun/pengguna/")

    offered = list(response.context["form"].fields["unit"].queryset)
    assert offered == [units.upt_a]
    assert [u.username for u in response.context["page"].items] == [
        "kepala.a",
        "peksos.a",
        "target.a",
    ]


def test_list_with_a_unit_outside_the_scope_ignores_the_filter_and_shows_the_scope(cast, units):
    response = _client(cast["scoped_manager"]).get("/akun/pengguna/", {"unit": units.upt_b.pk})

    assert "target.b" not in response.content.decode()


def test_list_answers_htmx_with_the_results_fragment_only(cast):
    response = _client(cast["admin"]).get(
        "/akun/pengguna/", {"q": "target"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="user-results">')
    assert "<html" not in html


def test_list_shows_a_helpful_empty_state(cast):
    response = _client(cast["admin"]).get("/akun/pengguna/", {"q": "tidak-ada-yang-cocok"})

    assert "Tidak ada pengguna yang cocok dengan pencarian ini." in response.content.decode()


def test_list_pages_with_a_cursor(cast, units, make_user):
    for index in range(60):
        make_user("social_worker", units.upt_a, username=f"massal.{index:02d}")
    client = _client(cast["admin"])

    first = client.get("/akun/pengguna/")
    second = client.get("/akun/pengguna/", {"cursor": first.context["page"].next_cursor})

    first_names = [u.username for u in first.context["page"].items]
    second_names = [u.username for u in second.context["page"].items]
    assert len(first_names) == 50
    assert not set(first_names) & set(second_names)
    assert len(first_names) + len(second_names) == User.objects.count()


def test_list_with_a_broken_cursor_goes_back_to_the_first_page(cast):
    response = _client(cast["admin"]).get("/akun/pengguna/", {"cursor": "rusak"})

    assert response.status_code == 302
    assert response["Location"] == "/akun/pengguna/"


def test_create_with_generated_password_shows_it_once_and_it_works(cast, units, roles):
    client = _client(cast["admin"])

    response = client.post(
        "/akun/pengguna/baru/",
        {
            "username": "peksos.baru",
            "full_name": "Pekerja Sosial Baru",
            "email": "baru@example.org",
            "unit": units.upt_a.pk,
            "roles": [roles["social_worker"].pk],
            "password": "",
            "password_confirm": "",
        },
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    created = User.objects.get(username="peksos.baru")
    assert created.check_password(password)
    assert created.unit == units.upt_a
    login = Client().post("/akun/masuk/", {"username": "peksos.baru", "password": password})
    assert login.status_code == 302


def test_create_with_a_chosen_password_does_not_echo_it(cast, units, roles):
    response = _client(cast["admin"]).post(
        "/akun/pengguna/baru/",
        {
            "username": "peksos.baru",
            "full_name": "Pekerja Sosial Baru",
            "unit": units.upt_a.pk,
            "roles": [roles["social_worker"].pk],
            "password": "kopi-pagi-di-taman-5",
            "password_confirm": "kopi-pagi-di-taman-5",
        },
    )

    assert response.status_code == 200
    assert "kopi-pagi-di-taman-5" not in response.content.decode()
    assert User.objects.get(username="peksos.baru").check_password("kopi-pagi-di-taman-5")


def test_create_shows_field_errors_and_saves_nothing(cast, units, roles):
    before = User.objects.count()

    response = _client(cast["admin"]).post(
        "/akun/pengguna/baru/",
        {
            "username": "ada spasi",
            "full_name": "",
            "unit": units.upt_a.pk,
            "roles": [],
            "password": "abc",
            "password_confirm": "abd",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert User.objects.count() == before
    assert "tanpa spasi" in html
    assert "Pilih paling sedikit satu peran." in html
    assert "Kedua kata sandi berbeda." in html


def test_create_refuses_a_duplicate_username_on_the_field(cast, units, roles):
    response = _client(cast["admin"]).post(
        "/akun/pengguna/baru/",
        {
            "username": "TARGET.A",
            "full_name": "Dobel",
            "unit": units.upt_a.pk,
            "roles": [roles["social_worker"].pk],
        },
    )

    assert response.context["form"].errors["username"] == ["Nama pengguna ini sudah dipakai."]


def test_scoped_manager_cannot_create_a_user_in_another_upt(cast, units, roles):
    response = _client(cast["scoped_manager"]).post(
        "/akun/pengguna/baru/",
        {
            "username": "x",
            "full_name": "X",
            "unit": units.upt_b.pk,
            "roles": [roles["social_worker"].pk],
        },
    )

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(username="x").exists()


def test_edit_saves_and_returns_to_the_detail_page_with_a_message(cast, units, roles):
    target = cast["target_a"]
    client = _client(cast["admin"])

    response = client.post(
        f"/akun/pengguna/{target.pk}/ubah/",
        {
            "full_name": "Nama Baru",
            "email": "",
            "unit": units.upt_b.pk,
            "roles": [roles["head_of_upt"].pk],
            "is_active": "",
        },
        follow=True,
    )

    target.refresh_from_db()
    assert response.redirect_chain == [(f"/akun/pengguna/{target.pk}/", 302)]
    assert "Perubahan pada target.a sudah disimpan." in response.content.decode()
    assert (target.full_name, target.unit, target.is_active) == ("Nama Baru", units.upt_b, False)
    assert [r.code for r in target.roles.all()] == ["head_of_upt"]


def test_edit_form_starts_with_the_current_values(cast, roles):
    target = cast["target_a"]

    response = _client(cast["admin"]).get(f"/akun/pengguna/{target.pk}/ubah/")

    form = response.context["form"]
    assert form.initial["unit"] == target.unit_id
    assert form.initial["roles"] == [roles["social_worker"].pk]
    assert form.initial["is_active"] is True


def test_admin_editing_themself_cannot_deactivate_and_sees_why(cast, units, roles):
    admin = cast["admin"]

    response = _client(admin).post(
        f"/akun/pengguna/{admin.pk}/ubah/",
        {
            "full_name": "Admin",
            "email": "",
            "unit": units.office.pk,
            "roles": [roles["system_admin"].pk],
            "is_active": "",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["is_active"] == [
        "Anda tidak dapat menonaktifkan diri sendiri."
    ]
    admin.refresh_from_db()
    assert admin.is_active is True


def test_password_reset_shows_a_generated_password_once_and_it_works(cast):
    target = cast["target_a"]

    response = _client(cast["admin"]).post(
        f"/akun/pengguna/{target.pk}/kata-sandi/", {"password": "", "password_confirm": ""}
    )

    password = response.context["password"]
    assert "no-store" in response["Cache-Control"]
    assert password in response.content.decode()
    target.refresh_from_db()
    assert target.check_password(password)
    assert not target.check_password(PASSWORD)


def test_password_reset_logs_the_user_out_of_existing_sessions(cast):
    target = cast["target_a"]
    their_client = _client(target)
    assert their_client.get("/").status_code == 200

    _client(cast["admin"]).post(
        f"/akun/pengguna/{target.pk}/kata-sandi/", {"password": "", "password_confirm": ""}
    )

    assert their_client.get("/").status_code == 302


def test_detail_shows_the_lockout_with_an_unlock_button(cast):
    from axes.models import AccessAttempt

    target = cast["target_a"]
    AccessAttempt.objects.create(
        username=target.username,
        ip_address="127.0.0.1",
        user_agent="t",
        http_accept="*/*",
        path_info="/akun/masuk/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    client = _client(cast["admin"])

    page = client.get(f"/akun/pengguna/{target.pk}/")
    unlocked = client.post(f"/akun/pengguna/{target.pk}/buka-kunci/", follow=True)

    assert "Akun ini terkunci karena terlalu banyak kata sandi salah." in page.content.decode()
    assert f"/akun/pengguna/{target.pk}/buka-kunci/" in page.content.decode()
    assert "target.a dapat masuk lagi" in unlocked.content.decode()
    assert AccessAttempt.objects.count() == 0


def test_read_only_viewer_sees_no_change_buttons(cast):
    html = _client(cast["auditor"]).get(f"/akun/pengguna/{cast['target_a'].pk}/").content.decode()

    assert "/ubah/" not in html
    assert "/kata-sandi/" not in html


# --- pinned query counts -------------------------------------------------------------------------


def _list_queries(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get("/akun/pengguna/")
    assert response.status_code == 200
    return response


def test_user_list_query_count_does_not_grow_with_the_rows(
    cast, units, make_user, django_assert_num_queries
):
    client = _client(cast["admin"])
    client.get("/akun/pengguna/")  # warm the session
    # session, user+unit, 2FA role check, permissions (one query), scope, page of users, their
    # roles, unit picker, unread notifications
    expected = 9
    _list_queries(client, django_assert_num_queries, expected)
    for index in range(40):
        make_user("social_worker", units.upt_b, username=f"massal.{index:02d}")
    response = _list_queries(client, django_assert_num_queries, expected)
    assert len(response.context["page"].items) == 46


def test_user_detail_query_count_is_pinned(cast, django_assert_num_queries):
    client = _client(cast["admin"])
    url = f"/akun/pengguna/{cast['target_a'].pk}/"
    client.get(url)

    # session, user+unit, 2FA role check, permissions (one query), scope, target, target's
    # roles, lockout, authenticator, unread notifications
    with django_assert_num_queries(10):
        response = client.get(url)

    assert response.status_code == 200
