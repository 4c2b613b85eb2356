"""Page benchmarks (budgets P4, P5, P6): real pages under load, side by side with a reference page.

The harness starts gunicorn on 127.0.0.1 (a free port) with the bench settings and the bench
database, signs users in without a login page (a session written straight into the session store),
loads a page with `wrk` (Debian package `wrk`; a small Python client when it is missing) for a
bounded time and reports requests/s and latency percentiles. A comparison runs the reference and
the measured page back to back, several times, and reports medians as `Result` rows that
`bench/run.py` prints (see `bench/p1_csv_import.Result`).

API (everything else in this module is private):

- `serve(workers=4, threads=1)`: context manager; gunicorn (`config.wsgi`, sync workers as in
  docs/deployment.md, or gthread when threads > 1) with the settings `bench.benchapp.settings`
  (= config.settings.bench + the reference pages + persistent connections) against the database of
  DATABASE_URL (default sinergi_bench). Yields a `Server` (`server.url("/anggaran/")`); gunicorn is
  killed on leaving, also on error. Static files are collected once under bench/data/static.
- `bench_user(role, unit, username=None)`: a user holding that role in that unit (roles synced
  when missing); `units()`: the small unit tree of the tests (office, secretariat, divisions, two
  UPTs), created idempotently.
- `session_cookie(user)`: a `Cookie:` header value for a signed-in session of `user` (also verified
  for 2FA when the role requires it).
- `fetch(url, cookie)`: one GET -> (status, body); `measure(...)` checks the page answers 200 first.
- `measure(url, cookie, users=16, seconds=5)` -> `Stats(requests, rps, p50, p95, p99, ...)`,
  latencies in milliseconds; any answer other than 200 during the run raises.
- `compare(server, code=..., title=..., reference=..., measured=..., cookie=..., users=...,
  min_ratio=..., max_p95_ms=..., max_p99_ms=...)` -> list of `PageResult` rows for run.py: the
  throughput ratio (measured req/s / reference req/s, median of per-run ratios) when `min_ratio`
  is given, and a latency row (limit / measured percentile, needed >= 1.00) when a latency limit
  is given. `forbid_big_count=True` also fails the row when one request of the measured page runs a
  COUNT over a table of more than 100k rows (P5; checked once, in process, with the same session).
- References: `REFERENCE_SMALL` (P6: small authenticated template), `reference_list(table, columns,
  order, desc=False, eq=None, after=None)` (P5: 50-row keyset list in plain SQL + minimal
  template) and `reference_last_page(...)` (the same list's last page), `ensure_people(rows)`
  (fills the bench table SyntheticPerson for the default reference list).
- P4 aggregates: `compare_aggregate(code=..., title=..., sql=..., params=..., orm=..., rows=...)`
  times a raw SQL statement against the ORM queryset that should produce the same figures (both
  checked equal) and returns a Result with budget 1/1.2 (ratio = raw seconds / ORM seconds).
- `request_queries(path, cookie)`: the SQL one request runs (in process), `big_counts(queries)`.

Worked example (a P5 benchmark of a 50-row list; see bench/README.md "How to write a page
benchmark" for the whole script and bench/p5_budget_lists.py for a real one):

    from bench import pages

    def run(*, rows, runs, seed, log=print):
        tree = pages.units()
        cookie = pages.session_cookie(pages.bench_user("finance_officer", tree.secretariat))
        reference = pages.reference_list("budget_sp2d", ["id", "number", "amount"],
                                         order=["paid_on", "id"], desc=True)
        with pages.serve() as server:
            return pages.compare(server, code="P5", title="SP2D list, first page",
                                 reference=reference, measured="/anggaran/sp2d/",
                                 cookie=cookie, users=16, runs=runs,
                                 min_ratio=0.70, max_p99_ms=50, forbid_big_count=True, log=log)

Loads go only to 127.0.0.1 and every run is bounded in time (wrk -d, subprocess timeouts).
"""

from __future__ import annotations

import contextlib
import fcntl
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.p1_csv_import import Result

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "data"
SERVER_SETTINGS = "bench.benchapp.settings"
REFERENCE_SMALL = "/bench/ref/small/"
REFERENCE_LIST = "/bench/ref/list/"
BIG_TABLE_ROWS = 100_000
DEFAULT_WORKERS = 4  # docs/deployment.md: gunicorn config.wsgi --workers 4 (sync)


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """One bounded load of one URL. Latencies in milliseconds; rps = completed requests / s."""

    url: str
    users: int
    seconds: float
    requests: int
    rps: float
    p50: float
    p95: float
    p99: float
    max: float
    client: str  # "wrk" or "python"

    def line(self) -> str:
        return (
            f"{self.rps:,.0f} req/s, p50 {self.p50:.1f} ms, p95 {self.p95:.1f} ms, "
            f"p99 {self.p99:.1f} ms ({self.requests:,} requests, {self.users} users, {self.client})"
        )


@dataclass
class PageResult(Result):
    """A Result row for run.py from page loads. `rows` is 1,000 and each run's `*_seconds` is the
    time of 1,000 requests (1000 / req/s), so the rates run.py prints are requests/s and the
    ratio is measured req/s / reference req/s (median of the per-run ratios).

    A latency row (`latency_limit_ms` set) has the ratio limit / median measured percentile and
    needs >= 1.00; `failures` (e.g. a COUNT over a big table) fail the row whatever the ratio."""

    reference_stats: list[Stats] = field(default_factory=list)
    measured_stats: list[Stats] = field(default_factory=list)
    latency_limit_ms: float | None = None
    latency_percentile: str = "p95"
    failures: list[str] = field(default_factory=list)

    @property
    def measured_latency(self) -> float | None:
        values = [getattr(s, self.latency_percentile) for s in self.measured_stats]
        return statistics.median(values) if values else None

    @property
    def ratio(self) -> float | None:
        if self.latency_limit_ms is None:
            return super().ratio
        latency = self.measured_latency
        if latency is None:
            return None
        return self.latency_limit_ms / max(latency, 0.001)

    @property
    def passed(self) -> bool:
        return super().passed and not self.failures


def _per_thousand(stats: Stats) -> float:
    return 1000 / stats.rps if stats.rps else float("inf")


# --- The server ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    base_url: str
    log_path: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SERVER_SETTINGS
    env.setdefault("DATABASE_URL", _database_url())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def _database_url() -> str:
    """The URL of the database this process uses (so the server reads the same data)."""
    if "DATABASE_URL" in os.environ:
        return os.environ["DATABASE_URL"]
    from django.conf import settings

    db = settings.DATABASES["default"]
    user = urllib.parse.quote(db.get("USER") or "")
    password = urllib.parse.quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def collect_static() -> None:
    """Collect static files once into bench/data/static (the manifest DEBUG=False pages need);
    a file lock keeps two harnesses of the same checkout from collecting at the same time."""
    target = DATA_DIR / "static"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with (DATA_DIR / ".collectstatic.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = target / ".collected"
        sources = [p for p in (ROOT / "sinergi").glob("*/static") if p.is_dir()]
        newest = max(
            (f.stat().st_mtime for s in sources for f in s.rglob("*") if f.is_file()), default=0
        )
        if marker.exists() and marker.stat().st_mtime >= newest:
            return
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=_environment(),
            check=True,
            timeout=300,
        )
        marker.touch()


@contextlib.contextmanager
def serve(
    *,
    workers: int = DEFAULT_WORKERS,
    threads: int = 1,
    startup_timeout: float = 60,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """gunicorn on 127.0.0.1:<free port> with the bench server settings; stopped on leaving."""
    collect_static()
    port = _free_port()
    handle, name = tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")
    os.close(handle)
    log = Path(name)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    env = {**_environment(), **(extra_env or {})}
    with log.open("ab") as log_file:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(base_url=f"http://127.0.0.1:{port}", log_path=log)
    try:
        _wait_until_up(server, process, startup_timeout)
        yield server
    finally:
        _stop(process)
        with contextlib.suppress(OSError):
            log.unlink()


def _wait_until_up(server: Server, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{server.log_tail()}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _body = fetch(server.url("/healthz"), timeout=2)
            if status == 200:
                return
            raise RuntimeError(f"/healthz answered {status}:\n{server.log_tail()}")
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the gunicorn process group (master and workers), SIGKILL after 10 s."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# --- Users and sessions ----------------------------------------------------------------------


def units() -> Any:
    """The unit tree of the tests (office, secretariat, rehab_division, empowerment_division,
    upt_a, upt_b), created when missing."""
    from sinergi.organisation.testing import make_unit_tree

    return make_unit_tree()


def bench_user(role: str, unit: Any, username: str | None = None) -> Any:
    """A user holding `role` in `unit` (created once; roles synced when the role is missing)."""
    from sinergi.accounts import services
    from sinergi.accounts.models import Role, User

    if not Role.objects.filter(code=role).exists():
        services.roles_sync(actor=None)
    user, created = User.objects.get_or_create(
        username=username or f"bench-{role}-{unit.code}"[:150],
        defaults={"unit": unit, "full_name": f"Bench {role}"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.roles.add(Role.objects.get(code=role))
    return user


def session_cookie(user: Any) -> str:
    """`Cookie:` header value of a fresh signed-in session of `user` (written to the session
    store directly: no login page is hammered). Users whose role requires 2FA get a confirmed
    TOTP device and a verified session."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sinergi.accounts.middleware import LAST_ACTIVITY_KEY
    from sinergi.accounts.selectors import user_requires_two_factor

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "sinergi.accounts.backends.RoleBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LAST_ACTIVITY_KEY] = int(time.time())
    if user_requires_two_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# --- One request, and loads ------------------------------------------------------------------


def fetch(url: str, cookie: str | None = None, *, timeout: float = 30) -> tuple[int, bytes]:
    """One GET of `url` (http://127.0.0.1 only) -> (status, body); redirects are not followed."""
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost"}:
        raise ValueError("the page benchmarks only load servers on 127.0.0.1")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


_WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; last_bad = 0 end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1; last_bad = status end
end
function done(summary, latency, requests)
  local b, lb = 0, 0
  for _, t in ipairs(threads) do
    b = b + t:get("bad")
    if t:get("last_bad") ~= 0 then lb = t:get("last_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "bad": %d, "last_bad": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"p50": %d, "p95": %d, "p99": %d, "max": %d}\\n',
    summary.requests, summary.duration, b, lb, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def measure(
    url: str,
    cookie: str | None = None,
    *,
    users: int = 16,
    seconds: float = 5,
    client: str = "auto",
    check: bool = True,
) -> Stats:
    """Load `url` with `users` concurrent connections for `seconds`; medians are the caller's.

    `client`: "wrk" (needs the wrk binary), "python" (threads, one connection each), or "auto"
    (wrk when installed). With `check`, the page must answer 200 once before the load, and every
    answer during the load must be 200 too (a redirect to the login page would be fast and
    wrong)."""
    if check:
        status, body = fetch(url, cookie)
        if status != 200:
            raise RuntimeError(f"{url} answered {status} before the load: {body[:300]!r}")
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    if client == "wrk":
        return _measure_wrk(url, cookie, users=users, seconds=seconds)
    return _measure_python(url, cookie, users=users, seconds=seconds)


def _measure_wrk(url: str, cookie: str | None, *, users: int, seconds: float) -> Stats:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT)
    try:
        command = [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(users),
            "--duration",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "--script",
            script.name,
        ]
        if cookie:
            command += ["--header", f"Cookie: {cookie}"]
        completed = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False
        )
    finally:
        os.unlink(script.name)
    match = re.search(r"^WRK-JSON (\{.*\})$", completed.stdout, re.MULTILINE)
    if completed.returncode != 0 or not match:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr[-500:]}")
    data = json.loads(match.group(1))
    errors = data["connect"] + data["read"] + data["write"] + data["timeout"]
    if data["bad"] or errors:
        raise RuntimeError(
            f"{url}: {data['bad']} answers other than 200 (last {data['last_bad']}) and "
            f"{errors} socket errors/timeouts in {data['requests']} requests"
        )
    duration = data["duration_us"] / 1e6
    return Stats(
        url=url,
        users=users,
        seconds=duration,
        requests=data["requests"],
        rps=data["requests"] / duration,
        p50=data["p50"] / 1000,
        p95=data["p95"] / 1000,
        p99=data["p99"] / 1000,
        max=data["max"] / 1000,
        client="wrk",
    )


def _measure_python(url: str, cookie: str | None, *, users: int, seconds: float) -> Stats:
    """A bounded threaded client (one keep-alive connection per user, reconnecting when the sync
    worker closes it). Slower than wrk: it shares the cores with the server."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Cookie": cookie} if cookie else {}
    latencies: list[list[float]] = [[] for _ in range(users)]
    failures: list[str] = []
    stop_at = time.monotonic() + seconds

    def user(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            while time.monotonic() < stop_at and not failures:
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                    continue
                latencies[index].append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    failures.append(f"{url} answered {response.status} during the load")
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
        finally:
            connection.close()

    began = time.perf_counter()
    workers = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - began
    if failures:
        raise RuntimeError(failures[0])
    times = sorted(t for per_user in latencies for t in per_user)
    if not times:
        raise RuntimeError(f"{url}: no request completed in {seconds} s")

    def percentile(q: float) -> float:
        return times[min(len(times) - 1, int(q / 100 * len(times)))]

    return Stats(
        url=url,
        users=users,
        seconds=elapsed,
        requests=len(times),
        rps=len(times) / elapsed,
        p50=percentile(50),
        p95=percentile(95),
        p99=percentile(99),
        max=times[-1],
        client="python",
    )


# --- Comparisons -----------------------------------------------------------------------------


def compare(
    server: Server,
    *,
    code: str,
    title: str,
    reference: str,
    measured: str,
    cookie: str | None,
    users: int = 16,
    seconds: float = 5,
    runs: int = 3,
    min_ratio: float | None = None,
    max_p95_ms: float | None = None,
    max_p99_ms: float | None = None,
    reference_label: str = "",
    measured_label: str = "",
    reference_cookie: str | None = None,
    forbid_big_count: bool = False,
    warmup_seconds: float = 1,
    log: Callable[[str], Any] = print,
) -> list[PageResult]:
    """Load `reference` then `measured` (paths on `server`), `runs` times back to back, with the
    same users and duration; return the rows asked for (throughput ratio, latency limit)."""
    if min_ratio is None and max_p95_ms is None and max_p99_ms is None:
        raise ValueError("give min_ratio, max_p95_ms or max_p99_ms")
    reference_url, measured_url = server.url(reference), server.url(measured)
    reference_cookie = reference_cookie or cookie
    for url, jar in ((reference_url, reference_cookie), (measured_url, cookie)):
        measure(url, jar, users=users, seconds=warmup_seconds)  # warm caches and connections
    ref_stats: list[Stats] = []
    got_stats: list[Stats] = []
    for number in range(1, runs + 1):
        ref_stats.append(measure(reference_url, reference_cookie, users=users, seconds=seconds))
        got_stats.append(measure(measured_url, cookie, users=users, seconds=seconds))
        log(f"  {code} {title} run {number}/{runs}: reference {ref_stats[-1].line()}")
        log(f"  {code} {title} run {number}/{runs}: measured  {got_stats[-1].line()}")
    failures = []
    if forbid_big_count:
        offending = big_counts(request_queries(measured, cookie))
        failures += [
            f"COUNT over a table of more than {BIG_TABLE_ROWS:,} rows: {sql[:200]}"
            for sql in offending
        ]

    def row(**kwargs: Any) -> PageResult:
        return PageResult(
            code=code,
            rows=1000,
            reference_label=reference_label or f"{reference} (req/s)",
            measured_label=measured_label or f"{measured} (req/s)",
            reference_seconds=[_per_thousand(s) for s in ref_stats],
            measured_seconds=[_per_thousand(s) for s in got_stats],
            reference_stats=ref_stats,
            measured_stats=got_stats,
            failures=failures,
            **kwargs,
        )

    summary = (
        f"{users} users, {seconds:g} s x {runs} runs; median p50/p95/p99: reference "
        f"{_percentiles(ref_stats)}, measured {_percentiles(got_stats)} ms"
        + (f"; FAILED: {'; '.join(failures)}" if failures else "")
    )
    results = []
    if min_ratio is not None:
        results.append(row(title=title, budget=min_ratio, note=summary))
    for limit, name in ((max_p95_ms, "p95"), (max_p99_ms, "p99")):
        if limit is not None:
            results.append(
                row(
                    title=f"{title}: {name} <= {limit:g} ms at {users} users",
                    budget=1.0,
                    latency_limit_ms=limit,
                    latency_percentile=name,
                    note=f"ratio = {limit:g} ms / measured {name}; {summary}",
                )
            )
    return results


def _percentiles(stats: Sequence[Stats]) -> str:
    return "/".join(
        f"{statistics.median(getattr(s, name) for s in stats):.1f}"
        for name in ("p50", "p95", "p99")
    )


# --- Reference pages -------------------------------------------------------------------------


def reference_list(
    table: str = "benchapp_syntheticperson",
    columns: Sequence[str] = ("id", "nik", "name", "sex", "birth_on", "village_id"),
    order: Sequence[str] = ("id",),
    *,
    desc: bool = False,
    eq: dict[str, Any] | None = None,
    after: Sequence[Any] | None = None,
) -> str:
    """Path of the P5 reference: 50 rows of `table` by keyset over `order` (last column unique),
    plain SQL + minimal template; `eq` filters (column = value), `after` the key of the last row
    seen (one value per order column)."""
    query: list[tuple[str, str]] = [
        ("table", table),
        ("columns", ",".join(columns)),
        ("order", ",".join(order)),
    ]
    if desc:
        query.append(("desc", "1"))
    query += [("eq", f"{column}:{value}") for column, value in (eq or {}).items()]
    query += [("after", str(value)) for value in (after or ())]
    return f"{REFERENCE_LIST}?{urllib.parse.urlencode(query)}"


def reference_last_page(
    table: str = "benchapp_syntheticperson",
    columns: Sequence[str] = ("id", "nik", "name", "sex", "birth_on", "village_id"),
    order: Sequence[str] = ("id",),
    *,
    desc: bool = False,
    eq: dict[str, Any] | None = None,
    size: int = 50,
) -> str:
    """Path of the last page of `reference_list(...)` (the key of the row before the last 50)."""
    from django.db import connection

    quote = connection.ops.quote_name
    where = " AND ".join(f"{quote(column)} = %s" for column in eq or {})
    direction = "" if desc else " DESC"  # reversed: count back from the end
    sql = (
        f"SELECT {', '.join(quote(c) for c in order)} FROM {quote(table)}"
        f"{' WHERE ' + where if where else ''}"
        f" ORDER BY {', '.join(quote(c) + direction for c in order)} LIMIT 1 OFFSET {size}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list((eq or {}).values()))
        key = cursor.fetchone()
    if key is None:
        return reference_list(table, columns, order, desc=desc, eq=eq)
    return reference_list(table, columns, order, desc=desc, eq=eq, after=list(key))


def ensure_people(rows: int, seed: int = 35, log: Callable[[str], Any] = print) -> None:
    """Fill the bench table SyntheticPerson with exactly `rows` generated rows (raw COPY of the
    cached CSV of bench.generate) unless it holds that many already; analyzes it."""
    from django.db import connection, transaction

    from bench.generate import ensure_csv
    from bench.p1_csv_import import COPY_SQL, TABLE, _empty_table, _row_count

    if _row_count() == rows:
        return
    started = time.perf_counter()
    csv_path = ensure_csv(rows, seed)
    _empty_table()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.copy(COPY_SQL) as copy,
        csv_path.open("rb") as source,
    ):
        while block := source.read(1024 * 1024):
            copy.write(block)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    log(f"  {TABLE}: {rows:,} rows loaded in {time.perf_counter() - started:.1f} s")


# --- Queries of one request (P5: no COUNT over a big table) ----------------------------------


def request_queries(path: str, cookie: str | None) -> list[str]:
    """The SQL statements one GET of `path` runs, captured in this process with the same session
    cookie (the real URLs of config.urls; the reference pages are not mounted here)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, _sep, value = cookie.partition("=")
        client.cookies[name] = value
    # Plain static storage: this process has no collected manifest (the queries are the same).
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages), CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in process")
    return [query["sql"] for query in captured.captured_queries]


_FROM = re.compile(r'\bFROM\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)


def big_counts(queries: Sequence[str], threshold: int = BIG_TABLE_ROWS) -> list[str]:
    """The statements among `queries` that COUNT over a table the planner estimates at more than
    `threshold` rows (pg_class.reltuples; ANALYZE the tables first)."""
    from django.db import connection

    offending = []
    with connection.cursor() as cursor:
        for sql in queries:
            if not re.search(r"\bCOUNT\s*\(", sql, re.IGNORECASE):
                continue
            for table in set(_FROM.findall(sql)):
                cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
                found = cursor.fetchone()
                if found and found[0] > threshold:
                    offending.append(sql)
                    break
    return offending


# --- P4: ORM aggregate vs the raw SQL --------------------------------------------------------


def compare_aggregate(
    *,
    code: str,
    title: str,
    sql: str,
    orm: Callable[[], Any],
    rows: int,
    params: Sequence[Any] = (),
    runs: int = 5,
    repeat: int = 3,
    budget: float = 1 / 1.2,
    min_seconds: float = 0.3,
    normalise: Callable[[Any], Any] | None = None,
    log: Callable[[str], Any] = print,
) -> Result:
    """Time `sql` (raw, fetchall) against `orm()` (must evaluate the queryset, e.g. `list(qs)`),
    `runs` pairs back to back, each side the best of `repeat` executions (more for fast
    statements: enough to last about `min_seconds`), after one warm-up of each. ratio = raw seconds / ORM seconds; the budget "ORM <= 1.2x raw" is ratio >= 0.833.
    `normalise(value)` maps both answers to comparable values (default: sorted tuples of
    rows) and they must be equal, so the two sides compute the same figures."""
    from django.db import connection

    def raw() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchall()

    def default_normalise(value: Any) -> Any:
        out = []
        for item in value:
            if isinstance(item, dict):
                item = tuple(item.values())
            elif not isinstance(item, tuple | list):
                item = (item,)
            out.append(tuple(item))
        return sorted(out, key=repr)

    same = normalise or default_normalise
    if same(raw()) != same(orm()):
        raise RuntimeError(f"{code} {title}: the raw SQL and the ORM give different results")

    # Fast statements (a few ms) are timed more often, so that each side runs for about
    # `min_seconds` a run: the best of many is far less noisy on a shared machine.
    started = time.perf_counter()
    raw()
    orm()
    once = max(time.perf_counter() - started, 1e-6) / 2
    times_per_run = max(repeat, min(200, int(min_seconds / once)))

    def best(call: Callable[[], Any]) -> float:
        times = []
        for _ in range(times_per_run):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        return min(times)

    result = Result(
        code=code,
        title=title,
        budget=budget,
        reference_label="raw SQL",
        measured_label="ORM",
        rows=rows,
    )
    for number in range(1, runs + 1):
        result.reference_seconds.append(best(raw))
        result.measured_seconds.append(best(orm))
        log(
            f"  {code} {title} run {number}/{runs}: raw {result.reference_seconds[-1] * 1000:.1f} ms"
            f", ORM {result.measured_seconds[-1] * 1000:.1f} ms"
        )
    result.note = (
        f"ORM time / raw time = {1 / result.ratio:.2f} (needed <= {1 / budget:.2f}); "
        f"best of {times_per_run} per run, {runs} runs"
        if result.ratio
        else ""
    )
    return result
