"""Schemas shared by every endpoint (the error format) and those of the token endpoints."""

import datetime as dt

from ninja import Schema
from pydantic import Field


class ErrorDetailOut(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. `validation_error`.")
    message: str = Field(description="What is wrong and what to do, in the request's language.")
    fields: dict[str, list[str]] = Field(description="Messages per input field (may be empty).")


class ErrorOut(Schema):
    error: ErrorDetailOut


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=256)
    otp: str | None = Field(
        None,
        max_length=10,
        description="Current code from the authenticator app; required for roles with 2FA.",
    )
    name: str = Field("", max_length=100, description="A label to recognise the token later.")


class TokenOut(Schema):
    token: str = Field(description="Send as `Authorization: Bearer <token>`. Shown only once.")
    expires_at: dt.datetime
    name: str
    key_prefix: str


def error_responses(*statuses: int) -> dict[int, type[Schema]]:
    """`response=` entries documenting the error answers an endpoint can give."""
    return dict.fromkeys(statuses, ErrorOut)
