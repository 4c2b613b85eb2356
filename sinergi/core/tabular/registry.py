"""The registered import specs, found in each app's `imports.py` (autodiscovered by CoreConfig)."""

from typing import Any

from sinergi.core.tabular.spec import ImportSpec

_specs: dict[str, ImportSpec] = {}


def register[S: ImportSpec](spec: S) -> S:
    """Register an import spec instance (or a class, instantiated here). Returns it (decorator-friendly)."""
    instance: Any = spec() if isinstance(spec, type) else spec
    if not instance.code or not instance.permission or not instance.columns:
        raise ValueError(f"{instance!r}: an import spec needs code, permission and columns")
    keys = [c.key for c in instance.columns]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{instance!r}: column keys must be unique")
    existing = _specs.get(instance.code)
    if existing is not None and type(existing) is not type(instance):
        raise ValueError(f"import spec {instance.code!r} is registered twice")
    _specs[instance.code] = instance
    return spec


def unregister(code: str) -> None:
    _specs.pop(code, None)


def get(code: str) -> ImportSpec | None:
    return _specs.get(code)


def all_specs() -> list[ImportSpec]:
    return sorted(_specs.values(), key=lambda s: s.code)


def specs_for(user: Any) -> list[ImportSpec]:
    """The specs whose permission `user` holds."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [spec for spec in all_specs() if user.has_perm(spec.permission)]


def can_import_anything(user: Any) -> bool:
    return bool(specs_for(user))
