"""API for accounts: who am I (GET /api/v1/accounts/me)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from sinergi.api.schemas import error_responses

PREFIX = "accounts"
router = Router(tags=["accounts"])


class UnitRefOut(Schema):
    code: str
    name: str


class RoleRefOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    username: str
    full_name: str
    unit: UnitRefOut | None
    roles: list[RoleRefOut]
    permissions: list[str] = Field(description="Codenames such as `audit.view_auditevent`.")


@router.get("/me", response={200: MeOut, **error_responses(401)}, summary="The signed-in user")
def me(request: HttpRequest) -> Any:
    """The caller's account: unit, roles and every permission the roles grant."""
    user: Any = request.user
    unit = user.unit
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "unit": {"code": unit.code, "name": unit.name} if unit is not None else None,
        "roles": [{"code": r.code, "name": r.name} for r in user.roles.order_by("code")],
        "permissions": sorted(user.get_all_permissions()),
    }
