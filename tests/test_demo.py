"""`make run` loads the demo with `manage.py load_demo`: it must work on an empty database, print the
logins, and change nothing when run again."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from sinergi.accounts.demo import DEMO_USERS
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.organisation.models import Region, Unit

pytestmark = pytest.mark.django_db(transaction=False)


def test_demo_loads_the_office_tree_and_one_login_per_role_and_is_idempotent():
    out = StringIO()
    call_command("load_demo", stdout=out)

    assert Region.objects.filter(level=Region.Level.REGENCY, code__startswith="35.").count() == 38
    assert Unit.objects.get(code="upt-rsbd-pasuruan").parent.code == "bidang-rehsos"
    assert Unit.objects.filter(unit_type__code="upt").count() == 28
    for username, _name, role, unit_code in DEMO_USERS:
        user = User.objects.get(username=username)
        assert [r.code for r in user.roles.all()] == [role]
        assert user.unit.code == unit_code
        assert username in out.getvalue()
    request = RequestFactory().post("/akun/masuk/")
    password = settings.SINERGI["DEMO_PASSWORD"]
    assert authenticate(request, username="kadinsos", password=password) is not None

    counts = (User.objects.count(), Unit.objects.count())
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    call_command("load_demo", stdout=StringIO())
    assert (User.objects.count(), Unit.objects.count()) == counts
    # a second run only re-syncs the roles (one audit event); every other demo changes nothing
    new_actions = list(
        AuditEvent.objects.filter(id__gt=last_event).values_list("action", flat=True)
    )
    assert new_actions == ["accounts.roles_synced"]
