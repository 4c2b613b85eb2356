"""API of the organisation: units (scoped to the caller) and Kemendagri regions."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from sinergi.api.auth import require_permission
from sinergi.api.pagination import KeysetQueryIn, page_schema, paginate
from sinergi.api.schemas import error_responses
from sinergi.organisation import selectors
from sinergi.organisation.models import Region

PREFIX = "organisation"
router = Router(tags=["organisation"])


class CodeNameOut(Schema):
    code: str
    name: str


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    unit_type: CodeNameOut
    upt_type: CodeNameOut | None
    parent_code: str | None
    depth: int
    regency: CodeNameOut | None
    is_active: bool


class UnitDetailOut(UnitOut):
    address: str
    phone: str
    email: str
    capacity: int | None


def _code_name(obj: Any) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _unit(unit: Any) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "unit_type": _code_name(unit.unit_type),
        "upt_type": _code_name(unit.upt_type),
        "parent_code": unit.parent.code if unit.parent_id else None,
        "depth": unit.depth,
        "regency": _code_name(unit.regency),
        "is_active": unit.is_active,
    }


def _unit_detail(unit: Any) -> dict[str, Any]:
    return {
        **_unit(unit),
        "address": unit.address,
        "phone": unit.phone,
        "email": unit.email,
        "capacity": unit.capacity,
    }


class UnitQueryIn(KeysetQueryIn):
    q: str = Field("", max_length=100, description="Part of the unit name.")
    type: str = Field("", max_length=30, description="Unit type code, e.g. `upt`.")
    active: bool | None = Field(
        None, description="true: active units only; false: inactive only; omitted: both."
    )


@router.get(
    "/units",
    response={200: page_schema(UnitOut), **error_responses(400, 401, 403)},
    summary="Units",
)
def unit_list(request: HttpRequest, query: Query[UnitQueryIn]) -> Any:
    """Units of the caller's scope (their unit and the units below it; all for office-wide roles),
    in tree order."""
    require_permission(request, "organisation.view_unit")
    status = "all" if query.active is None else ("active" if query.active else "inactive")
    queryset = selectors.unit_list(
        viewer=request.user, search=query.q.strip(), status=status, unit_type=query.type
    )
    return paginate(
        queryset, ordering=("path", "id"), cursor=query.cursor, limit=query.limit, item=_unit
    )


@router.get(
    "/units/{code}",
    response={200: UnitDetailOut, **error_responses(401, 403, 404)},
    summary="One unit",
)
def unit_detail(request: HttpRequest, code: str) -> Any:
    """One unit by code (404 when missing or outside the caller's scope)."""
    require_permission(request, "organisation.view_unit")
    unit = selectors.unit_list(viewer=request.user, status="all").filter(code=code).first()
    if unit is None:
        raise Http404
    return _unit_detail(unit)


# --- Regions (reference data: not scoped) --------------------------------------------------------


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None


class RegionRefOut(Schema):
    code: str
    name: str
    level: int


class RegionDetailOut(RegionOut):
    ancestors: list[RegionRefOut]
    children_count: int


def _region(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent_code": region.parent_id,
    }


class RegionQueryIn(KeysetQueryIn):
    parent: str = Field("", max_length=13, description="Parent code, e.g. `35.78`.")
    level: int | None = Field(
        None, ge=1, le=4, description="1 province, 2 regency/city, 3 district, 4 village."
    )
    q: str = Field("", max_length=100, description="Part of the name, or start of the code.")


@router.get(
    "/regions",
    response={200: page_schema(RegionOut), **error_responses(400, 401, 403)},
    summary="Regions (Kemendagri codes)",
)
def region_list(request: HttpRequest, query: Query[RegionQueryIn]) -> Any:
    """Kemendagri regions in code order (province `35`, regency `35.78`, district `35.78.01`,
    village `35.78.01.1001`)."""
    require_permission(request, "organisation.view_region")
    queryset = selectors.region_list(
        parent=query.parent.strip(), level=query.level, q=query.q.strip()
    )
    return paginate(
        queryset, ordering=("code",), cursor=query.cursor, limit=query.limit, item=_region
    )


@router.get(
    "/regions/{code}",
    response={200: RegionDetailOut, **error_responses(401, 403, 404)},
    summary="One region",
)
def region_detail(request: HttpRequest, code: str) -> Any:
    """One region with its ancestors (province first) and its number of direct children."""
    require_permission(request, "organisation.view_region")
    region = selectors.region_get(code)
    if region is None:
        raise Http404
    ancestors = [r for r in selectors.region_ancestors(code) if r.code != region.code]
    return {
        **_region(region),
        "ancestors": [{"code": r.code, "name": r.name, "level": r.level} for r in ancestors],
        "children_count": region.children.count(),
    }
