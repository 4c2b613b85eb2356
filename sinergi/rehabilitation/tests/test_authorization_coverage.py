"""The authorization matrix covers every page and every endpoint (issue 3, "Done when").

Each page of `rehabilitation/urls.py` and each operation of the API router must be called by an
authorization test of this app: a test that runs `assert_authorization` (or the API tests'
`_matrix`) on its address with its method. The tests are read, not run, so a new page or endpoint
without its matrix fails here, naming it."""

import ast
from pathlib import Path

import pytest

from sinergi.rehabilitation import urls
from sinergi.rehabilitation.api import router

TESTS = Path(__file__).resolve().parent
MATRIX_CALLS = {"assert_authorization", "_matrix"}
API_PREFIXES = ("{}", "/api/v1/rehabilitation")


def _text(node: ast.AST) -> str | None:
    """A string constant, or an f-string with every placeholder written `{}`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _methods(function: ast.AST) -> set[str]:
    """The methods of the matrix calls in a test (`method="post"`; GET by default)."""
    methods = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and _call_name(node) in MATRIX_CALLS:
            given = [k.value for k in node.keywords if k.arg == "method"]
            text = _text(given[0]) if given else "get"
            methods.add((text or "get").upper())
    return methods


def _covered() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """({(page name, method)}, {(API path pattern, method)}) called by the matrix tests."""
    pages: set[tuple[str, str]] = set()
    paths: set[tuple[str, str]] = set()
    for module in TESTS.glob("test_*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            methods = _methods(function)
            if not methods:
                continue
            texts = [t for node in ast.walk(function) if (t := _text(node))]
            for text in texts:
                if text.startswith("rehabilitation:"):
                    name = text.removeprefix("rehabilitation:")
                    # reverse(f"rehabilitation:{name}") with the names given by parametrize
                    names = [t for t in texts if "/" not in t] if name == "{}" else [name]
                    pages |= {(n, m) for n in names for m in methods}
                elif text.startswith(API_PREFIXES):
                    path = text.split("?")[0].removeprefix("{}").removeprefix(API_PREFIXES[1])
                    paths |= {(path, m) for m in methods}
    return pages, paths


def _api_operations() -> list[tuple[str, str]]:
    found = []

    def walk(current, prefix=""):
        for path, view in current.path_operations.items():
            found.extend((prefix + path, m) for op in view.operations for m in op.methods)
        for sub_prefix, sub, *_rest in current._routers:
            walk(sub, prefix + sub_prefix)

    walk(router)
    return found


HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _declared_methods(pattern) -> set[str]:
    """The methods a page takes, read from its `require_http_methods` family decorator (the
    method list in the closure of the outermost wrapper that has one); GET when none."""
    view = pattern.callback
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            value = cell.cell_contents
            if isinstance(value, list | tuple) and value and set(value) <= HTTP_METHODS:
                return set(value)
        view = getattr(view, "__wrapped__", None)
    return {"GET"}


PAGES, PATHS = _covered()


@pytest.mark.parametrize(
    ("name", "method"),
    [(p.name, m) for p in urls.urlpatterns for m in sorted(_declared_methods(p))],
)
def test_every_page_has_an_authorization_matrix(name, method):
    assert (name, method) in PAGES, f"no authorization test calls {method} rehabilitation:{name}"


def _matches(called: str, route: str) -> bool:
    """Whether an address a test calls is this route: segment by segment, a `{}` of the test's
    f-string or a `{parameter}` of the route matches any segment."""
    called_parts, route_parts = called.strip("/").split("/"), route.strip("/").split("/")
    return len(called_parts) == len(route_parts) and all(
        c == r or c == "{}" or (r.startswith("{") and r.endswith("}"))
        for c, r in zip(called_parts, route_parts, strict=True)
    )


@pytest.mark.parametrize(("path", "method"), _api_operations())
def test_every_endpoint_has_an_authorization_matrix(path, method):
    called = [p for p, m in PATHS if m == method and _matches(p, path)]
    assert called, f"no authorization test calls {method} /api/v1/rehabilitation{path}"
