"""Fixtures for the accounts and shell tests."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import Role


@pytest.fixture
def admin_without_two_factor(roles):
    """System administrators without the TOTP step, so the plain authorization helper can test the
    user pages (two-factor itself is tested in test_two_factor.py)."""
    Role.objects.filter(code="system_admin").update(requires_two_factor=False)


@pytest.fixture
def verified_client():
    """A client logged in as `user` who has passed the TOTP check."""

    def _client(user) -> Client:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return _client
