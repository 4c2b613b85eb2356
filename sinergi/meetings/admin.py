"""Meetings are not edited in the Django admin: every change goes through the audited pages."""
