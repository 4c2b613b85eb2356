import pytest
from django.contrib import admin
from django.test import RequestFactory

from sinergi.scheduling.models import JobRun

pytestmark = pytest.mark.django_db


def test_job_runs_cannot_be_added_changed_or_deleted_in_the_admin(make_user, units):
    superuser = make_user(None, units.office, is_superuser=True, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[JobRun]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
