"""The access layer every app uses: role checks at the edge and viewer-scoped querysets.

- `require_permission("app.codename")` guards a view (403 for a signed-in user without the role).
- `scope_queryset(qs, viewer)` keeps the rows of the viewer's unit subtree (or all, for roles whose
  scope is the whole office).
- `access_object(qs, viewer, pk=...)` returns one row or raises Http404 for missing and forbidden
  alike, so a 403 never reveals that a record exists.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

ViewFunc = Callable[..., HttpResponse]

_SCOPE_CACHE = "_sinergi_sees_everything"


def sees_everything(viewer: Any) -> bool:
    """True for superusers and for users holding a role whose scope is the whole office."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return False
    if viewer.is_superuser:
        return True
    cached = getattr(viewer, _SCOPE_CACHE, None)
    if cached is None:
        cached = viewer.roles.filter(scope="all").exists()
        setattr(viewer, _SCOPE_CACHE, cached)
    return bool(cached)


def viewer_unit_path(viewer: Any) -> str | None:
    unit = getattr(viewer, "unit", None)
    return unit.path if unit is not None else None


def scope_queryset[M: Model](
    queryset: QuerySet[M], viewer: Any, *, unit_path_field: str = "unit__path"
) -> QuerySet[M]:
    """Rows the viewer may see: everything, or those of the viewer's unit and the units below it."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return queryset.none()
    if sees_everything(viewer):
        return queryset
    path = viewer_unit_path(viewer)
    if not path:
        return queryset.none()
    return queryset.filter(**{f"{unit_path_field}__startswith": path})


def access_object[M: Model](
    queryset: QuerySet[M], viewer: Any, *, unit_path_field: str = "unit__path", **lookup: Any
) -> M:
    """One row of the viewer's scope, or Http404 (the same answer for missing and forbidden)."""
    try:
        return scope_queryset(queryset, viewer, unit_path_field=unit_path_field).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def unit_in_scope(viewer: Any, unit: Any) -> bool:
    """Whether `unit` lies in the viewer's scope (for writes that name a unit)."""
    if sees_everything(viewer):
        return True
    path = viewer_unit_path(viewer)
    return bool(path and unit is not None and unit.path.startswith(path))


def require_permission(*codenames: str) -> Callable[[ViewFunc], ViewFunc]:
    """View decorator: sign-in required, then every named permission, else 403."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not all(request.user.has_perm(c) for c in codenames):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
