"""``make bench``: times the product against its floor in the same run and writes
bench/RESULTS.md (bench/README.md explains what is measured and how to read it).

    BENCH_SCALE=province .venv/bin/python bench/run.py     # the default (make bench)
    BENCH_SCALE=national .venv/bin/python bench/run.py     # writes bench/RESULTS-national.md

Steps: check PostgreSQL (the bench is meaningless on SQLite), create and migrate the
``qcdc_bench`` database, generate the dataset once (bench/generate.py; reused while the same
scale, seed and sizes are asked for), then the scenarios of RELIABILITY-PERFORMANCE.md B5:

- S1 compile the provincial summary: the workbook (``summarize`` + ``write_workbook``) and
  the whole job (``run_compilation``: xlsx + docx + publish) against F1 (bench/floor.py);
  queries issued; peak RSS of a fresh process running the job (``compile_report``);
- S3 dashboard and list pages under 50 concurrent signed-in clients on gunicorn, against F3
  (``/api/v1/me/``, the cheapest signed-in view) on the same server;
- S7 query budgets: queries per page at the province, a district and one commune.

Each timing is repeated (BENCH_RUNS, default 3): "cold" is the first run of this process,
"warm" the median of the others. The exit status is non-zero when a target fails (the
results file is written anyway). Settings, all optional: BENCH_SCALE, BENCH_SEED,
BENCH_RUNS, BENCH_DURATION (seconds of load per URL, default 21), BENCH_CLIENTS (50),
BENCH_WORKERS (2 × cores), BENCH_PORT (8013), BENCH_SCENARIOS ("S1,S3,S7"),
BENCH_DATABASE_URL (default qcdc_bench, qcdc_bench_<scale> for the other scales),
BENCH_FRESH=1 (drop and recreate the database), BENCH_DISTRICTS /
BENCH_COMMUNES / BENCH_AGENCIES / BENCH_RECORDS (override the scale's sizes), BENCH_OUT.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import math
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/qcdc_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
WORK = ROOT / "var" / "bench"
PY = sys.executable
MIB = 1024 * 1024

# Targets (DESIGN.md "Quality bars"; RELIABILITY-PERFORMANCE.md B6)
WORKBOOK_RATIO = 2.0  # DESIGN: the summary workbook within 2x of its floor
JOB_RATIO = 3.0  # B6 P1: the whole job (enqueue -> artifact committed) <= 3x F1
WORKER_RSS_MIB = 300  # DESIGN: the worker never grows past 300 MiB
EXPORT_RSS_MIB = 100  # B6 P3 (reported, not gated: the DESIGN bar is 300 MiB)
P95_RATIO = 3.0  # DESIGN: p95 at most 3x that of a trivial one-query view under 50 users
QUERY_SLACK = 2  # S7: a scope's depth may add a query or two (breadcrumb, leaf unit list); never one per row
QUERY_BUDGET = 10  # B6 P4: every page <= 10 queries (reported, not gated)


# --- Configuration and environment --------------------------------------------------------------


class Config:
    def __init__(self, env=os.environ):
        self.scale = env.get("BENCH_SCALE", "province")
        self.seed = int(env.get("BENCH_SEED", "20261204"))
        self.runs = max(1, int(env.get("BENCH_RUNS", "3")))
        self.duration = float(env.get("BENCH_DURATION", "21"))
        self.clients = int(env.get("BENCH_CLIENTS", "50"))
        self.workers = int(env.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
        self.port = int(env.get("BENCH_PORT", "8013"))
        self.scenarios = [s.strip().upper() for s in env.get("BENCH_SCENARIOS", "S1,S3,S7").split(",") if s.strip()]
        # One database per scale: a province run must not scan a national dataset's rows.
        default_db = DEFAULT_DB if self.scale == "province" else f"{DEFAULT_DB}_{self.scale}"
        self.database_url = env.get("BENCH_DATABASE_URL", default_db)
        self.fresh = env.get("BENCH_FRESH", "") == "1"
        self.sizes = {
            name: int(env[f"BENCH_{name.upper()}"])
            for name in ("districts", "communes", "agencies", "records")
            if env.get(f"BENCH_{name.upper()}")
        }
        default_out = "RESULTS.md" if self.scale == "province" and not self.sizes else f"RESULTS-{self.scale}.md"
        self.out = Path(env.get("BENCH_OUT", str(ROOT / "bench" / default_out)))

    def command(self) -> str:
        parts = [f"BENCH_SCALE={self.scale}"]
        for key in ("BENCH_SEED", "BENCH_RUNS", "BENCH_DURATION", "BENCH_CLIENTS", "BENCH_WORKERS", "BENCH_SCENARIOS"):
            if key in os.environ:
                parts.append(f"{key}={os.environ[key]}")
        parts += [f"BENCH_{k.upper()}={v}" for k, v in self.sizes.items()]
        return " ".join(parts) + " make bench"


def django_env(database_url: str) -> dict[str, str]:
    """The environment of the portal under test, in this process and in its children: the
    production settings with DEBUG off (bench/settings.py: all but the static storage) on the
    bench database, plain HTTP on loopback, the cache in Redis as deployed (the dashboard
    caches its series there), Celery eager (no task is queued by what is measured)."""
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(WORK / "static"),
        "DJANGO_MEDIA_ROOT": str(WORK / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "REDIS_URL": redis_url(),
        "BENCH_CACHE_PREFIX": f"qcdc-bench-{secrets.token_hex(4)}",  # this run's keys only (bench/settings.py)
        "CELERY_TASK_ALWAYS_EAGER": "1",  # the job runs in-process (S1 calls it directly anyway)
    }


def redis_url() -> str:
    """The cache of the deployment (docker-compose: Redis), on a database index of its own;
    "" (each process's local memory) when Redis does not answer."""
    url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    parts = urllib.parse.urlsplit(url)
    import socket

    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return url
    except OSError:
        pass
    log(f"bench: Redis does not answer at {parts.hostname}:{parts.port or 6379}; caches in local memory")
    return ""


def postgres_ready(url: str, fresh: bool) -> str | None:
    """None when the bench database is there (created if absent), else why not (one line)."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        return (
            f"BENCH_DATABASE_URL must be a PostgreSQL URL (got {parts.scheme}://…): the bench is meaningless on SQLite"
        )
    name = parts.path.lstrip("/")
    try:
        conn = psycopg2.connect(
            dbname="postgres",
            host=parts.hostname,
            port=parts.port or 5432,
            user=urllib.parse.unquote(parts.username or "postgres"),
            password=urllib.parse.unquote(parts.password) if parts.password else None,
            connect_timeout=3,
        )
    except Exception as exc:  # any failure to connect is the one-line answer
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL is unreachable at {parts.hostname}:{parts.port or 5432} ({first})"
    conn.autocommit = True
    with conn.cursor() as cur:
        if fresh:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
            log(f"bench: created database {name}")
    conn.close()
    return None


def log(line: str) -> None:
    print(line, flush=True)


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


# --- Small statistics ---------------------------------------------------------------------------


def cold_warm(values: list[float]) -> tuple[float, float]:
    """The first run, and the median of the others (the first again when there is one run)."""
    return values[0], statistics.median(values[1:]) if len(values) > 1 else values[0]


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return math.nan
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# --- Child processes (peak RSS of a fresh process) -------------------------------------------------


RSS_MARK = "BENCH-RSS "


def peak_rss_kib() -> int:
    """This process's own peak resident set (VmHWM of /proc/self/status, KiB).

    Not ``ru_maxrss``: on Linux a child's ru_maxrss (``getrusage(RUSAGE_CHILDREN)``, ``wait4``)
    starts from the parent's high-water mark, carried over at exec, so a child of a 120 MiB
    parent reports at least 120 MiB whatever it does. VmHWM belongs to the process's own
    address space, created at exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_child(args: list[str], env: dict[str, str]) -> dict:
    """Run ``bench/run.py child …`` in a fresh process; its wall time, exit status and the
    peak RSS it reports on its last line."""
    started = time.perf_counter()
    proc = subprocess.run(  # noqa: S603  (this very script)
        [PY, __file__, "child", *args], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    output = proc.stdout + proc.stderr
    peak = next((line for line in reversed(proc.stdout.splitlines()) if line.startswith(RSS_MARK)), None)
    return {
        "seconds": time.perf_counter() - started,
        "rc": proc.returncode if peak else proc.returncode or 1,
        "maxrss_mib": int(peak[len(RSS_MARK) :]) / 1024 if peak else math.nan,
        "output": output[-3000:],
    }


def child_main(argv: list[str]) -> int:
    """In a fresh process, for its peak RSS: ``child job CODE PERIOD OUT`` runs the product's
    job through ``manage.py compile_report`` (the public headless command: request_compilation
    + run_compilation, as a worker runs it); ``child floor PROVINCE PERIOD OUT PAD`` runs F1;
    ``child idle`` only imports Django and the exporters (the baseline)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench import floor
    from reports import jobs, workbook  # noqa: F401  (what a worker has imported)
    from reports.models import ReportingPeriod
    from units.models import Unit

    if argv[0] == "job":
        call_command("compile_report", scope=argv[1], period=int(argv[2]), out=argv[3])
    elif argv[0] == "floor":
        province_id, period_id, out, pad = int(argv[1]), int(argv[2]), argv[3], int(argv[4])
        floor.write_floor(
            Unit.objects.get(pk=province_id),
            ReportingPeriod.objects.get(pk=period_id),
            out,
            today=timezone.localdate(),
            pad_to=pad,
        )
    print(f"{RSS_MARK}{peak_rss_kib()}", flush=True)
    return 0


# --- S1: the compilation -------------------------------------------------------------------------


def scenario_s1(cfg: Config, ds, env: dict[str, str]) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench import floor
    from reports import compilation, jobs, workbook
    from units.models import Unit

    scope, period = ds.province, ds.period
    steering = get_user_model().objects.get(pk=ds.steering_user_id)
    today = timezone.localdate()
    work = WORK / "s1"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.rmtree(WORK / "media" / jobs.FOLDER, ignore_errors=True)  # files published by earlier runs

    # Fresh processes first: the job as a worker runs it (compile_report, the public headless
    # command) for the worker's peak RSS, then the floor and a bare Django for comparison.
    log("bench: S1 peak RSS of a fresh process running the job (compile_report)")
    job_child = run_child(["job", scope.code, str(period.pk), str(work / "child.xlsx")], env)
    if job_child["rc"] != 0:
        raise RuntimeError(f"compile_report failed:\n{job_child['output']}")
    target_cells = floor.count_cells(work / "child.xlsx")
    floor_child = run_child(
        ["floor", str(scope.pk), str(period.pk), str(work / "floor-child.xlsx"), str(target_cells)], env
    )
    if floor_child["rc"] != 0:
        raise RuntimeError(f"floor child failed:\n{floor_child['output']}")
    idle_child = run_child(["idle"], env)

    def run_floor(i: int):
        return floor.write_floor(scope, period, work / f"floor-{i}.xlsx", today=today, pad_to=target_cells)

    def run_workbook(i: int):
        summary = compilation.summarize(scope, period, requested_by="bench", today=today)
        workbook.write_workbook(summary, work / f"product-{i}.xlsx", today=today)

    def run_job(i: int):
        job, _created = jobs.request_compilation(actor=steering, scope=scope, period=period, enqueue=False)
        status = jobs.run_compilation(job.pk, today=today)
        job.refresh_from_db()
        if status != "succeeded":
            raise RuntimeError(f"run_compilation #{job.pk}: {status} {job.error}")
        for name in (job.xlsx, job.docx):
            jobs.file_path(name).unlink(missing_ok=True)

    steps = {"floor": run_floor, "workbook": run_workbook, "job": run_job}
    times: dict[str, list[float]] = {name: [] for name in steps}
    queries: dict[str, int] = {}
    floor_stats = {}
    for i in range(cfg.runs):
        for name, step in steps.items():
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = step(i)
                times[name].append(time.perf_counter() - started)
            queries[name] = len(captured)
            if name == "floor":
                floor_stats = result
            log(f"bench: S1 run {i + 1}/{cfg.runs} {name}: {times[name][-1]:.2f} s, {len(captured)} queries")
    product_cells = floor.count_cells(work / "product-0.xlsx")

    # A fixed number of queries whatever the number of units: the same compile at one district.
    district = Unit.objects.get(pk=ds.district_id)
    with CaptureQueriesContext(connection) as captured:
        summary = compilation.summarize(district, period, requested_by="bench", today=today)
        workbook.write_workbook(summary, work / "district.xlsx", today=today)
    district_queries = len(captured)

    floor_cold, floor_warm = cold_warm(times["floor"])
    rows = []
    for name, label, target in (
        ("workbook", "Workbook: `summarize` + `write_workbook` (.xlsx)", WORKBOOK_RATIO),
        ("job", "Whole job: `run_compilation` (.xlsx + .docx + publish)", JOB_RATIO),
    ):
        cold, warm = cold_warm(times[name])
        rows.append(
            {
                "name": name,
                "label": label,
                "cold": cold,
                "warm": warm,
                "runs": times[name],
                "floor_cold": floor_cold,
                "floor_warm": floor_warm,
                "ratio_cold": cold / floor_cold,
                "ratio_warm": warm / floor_warm,
                "target": target,
                "pass": warm / floor_warm <= target,
                "queries": queries[name],
            }
        )
    return {
        "rows": rows,
        "floor": {"runs": times["floor"], "queries": queries["floor"], **floor_stats},
        "cells": {"product": product_cells, "child_product": target_cells, "floor": floor_stats.get("cells")},
        "queries": {
            "province": queries["workbook"],
            "district": district_queries,
            "pass": queries["workbook"] == district_queries,
        },
        "rss": {
            "job": job_child["maxrss_mib"],
            "job_seconds": job_child["seconds"],
            "floor": floor_child["maxrss_mib"],
            "floor_seconds": floor_child["seconds"],
            "idle": idle_child["maxrss_mib"],
            "target": WORKER_RSS_MIB,
            "pass": job_child["maxrss_mib"] <= WORKER_RSS_MIB,
        },
        "xlsx_bytes": (work / "product-0.xlsx").stat().st_size,
    }


# --- S7: query budgets ----------------------------------------------------------------------------


def scenario_s7(ds) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from reports.dashboards import SERIES

    User = get_user_model()  # noqa: N806
    steering = Client()
    steering.force_login(User.objects.get(pk=ds.steering_user_id))
    one_commune = Client()
    one_commune.force_login(User.objects.get(pk=ds.commune_user_id))

    def count(client: Client, url: str) -> int:
        with override_settings(DASHBOARD_CACHE_SECONDS=0):  # the queries of a cache miss
            client.get(url)  # once for what is loaded once per process
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"S7: {url} answered {response.status_code}")
        return len(captured)

    scopes = {"province": ds.province_id, "district": ds.district_id, "commune": ds.commune_id}
    pages = [("Dashboard page `/bang-dieu-khien/`", "/bang-dieu-khien/?scope={scope}&period={period}")]
    pages += [
        (f"API `/api/v1/dashboard/{s}/`", f"/api/v1/dashboard/{s}/?scope={{scope}}&period={{period}}") for s in SERIES
    ]
    pages += [
        ("Completeness page `/bao-cao/tien-do/`", "/bao-cao/tien-do/?scope={scope}&period={period}"),
        ("API `/api/v1/completeness/`", "/api/v1/completeness/?scope={scope}&period={period}"),
    ]
    rows = []
    for label, template in pages:
        counts = {
            name: count(steering, template.format(scope=unit_id, period=ds.period_id))
            for name, unit_id in scopes.items()
        }
        spread = max(counts.values()) - min(counts.values())
        rows.append({"label": label, **counts, "pass": spread <= QUERY_SLACK})
    # The compilation list: the province's steering user (every job of S1 listed) against a
    # reviewer of one commune (none).
    counts = {"province": count(steering, "/tong-hop/"), "district": None, "commune": count(one_commune, "/tong-hop/")}
    ok = abs(counts["province"] - counts["commune"]) <= QUERY_SLACK
    rows.append({"label": "Compilation list `/tong-hop/` (steering vs one-commune reviewer)", **counts, "pass": ok})
    return {"rows": rows}


# --- S3: pages under load -------------------------------------------------------------------------


def create_sessions(user_id: int, n: int) -> list[str]:
    """``n`` signed-in sessions of the steering user, made as the login view makes them."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from qcdc_portal.lib.session_timeout import SEEN, STARTED

    user = get_user_model().objects.get(pk=user_id)
    keys = []
    now = int(time.time())
    for _i in range(n):
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s[STARTED] = now
        s[SEEN] = now
        s.create()
        keys.append(s.session_key)
    return keys


def fetch(port: int, path: str, cookie: str, timeout: float = 60) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Accept-Language": "vi"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(port: int, path: str, cookies: list[str], seconds: float) -> dict:
    """``len(cookies)`` clients, each sending its next request as soon as the last one is
    answered (closed loop, no think time), for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start_gate = threading.Barrier(len(cookies) + 1)
    deadline = [0.0]

    def client(cookie: str) -> None:
        mine, failed = [], 0
        start_gate.wait()
        while time.perf_counter() < deadline[0]:
            began = time.perf_counter()
            try:
                status, _body = fetch(port, path, cookie)
                ok = status == 200
            except OSError:
                ok = False
            if ok:
                mine.append(time.perf_counter() - began)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in cookies]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start_gate.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
    }


class Gunicorn:
    def __init__(self, cfg: Config, env: dict[str, str]):
        self.cfg, self.env = cfg, env
        self.proc: subprocess.Popen | None = None
        self.log_path = WORK / "gunicorn.log"

    def __enter__(self):
        gunicorn = Path(PY).with_name("gunicorn")
        args = [str(gunicorn), "qcdc_portal.wsgi", "-w", str(self.cfg.workers), "-b", f"127.0.0.1:{self.cfg.port}"]
        args += ["--timeout", "120", "--graceful-timeout", "5"]
        self._log = open(self.log_path, "wb")  # noqa: SIM115  (closed in __exit__)
        self.proc = subprocess.Popen(  # noqa: S603  (our own venv's gunicorn)
            args, cwd=ROOT, env={**os.environ, **self.env}, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log_path}")
            try:
                status, _body = fetch(self.cfg.port, "/accounts/login/", "", timeout=5)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer on port {self.cfg.port}: see {self.log_path}")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def port_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _measure(cfg: Config, env: dict[str, str], urls: list[tuple], cookies: list[str], phase: str) -> dict:
    """Start gunicorn with ``env``, check every URL once (its first, cold latency), then load
    each URL in rounds, interleaved, so a drift of the machine hits them all."""
    rounds = max(1, cfg.runs)
    per_round = cfg.duration / rounds
    results: dict[str, list[dict]] = {key: [] for key, *_rest in urls}
    first: dict[str, float] = {}
    with Gunicorn(cfg, env):
        for key, _label, url, _gated in urls:
            began = time.perf_counter()
            status, body = fetch(cfg.port, url, cookies[0])
            first[key] = time.perf_counter() - began
            if status != 200:
                raise RuntimeError(f"S3: {url} answered {status}: {body[:300]!r}")
        for r in range(rounds):
            for key, _label, url, _gated in urls:
                res = load(cfg.port, url, cookies, per_round)
                results[key].append(res)
                log(
                    f"bench: S3 {phase} round {r + 1}/{rounds} {key}: {res['rps']:.1f} req/s, "
                    f"p50 {res['p50'] * 1000:.0f} ms, p95 {res['p95'] * 1000:.0f} ms, errors {res['errors']}"
                )
    summary = {}
    for key, label, url, gated in urls:
        runs = results[key]
        summary[key] = {
            "label": label,
            "url": url,
            "gated": gated,
            "first": first[key],
            "requests": sum(r["requests"] for r in runs),
            "errors": sum(r["errors"] for r in runs),
            **{m: statistics.median(r[m] for r in runs) for m in ("rps", "p50", "p95", "p99")},
        }
    return summary


def scenario_s3(cfg: Config, ds, env: dict[str, str]) -> dict:
    """The pages as deployed (the dashboard series cached for DASHBOARD_CACHE_SECONDS), then the
    dashboard's two URLs again on a server with that cache off: what every cache miss costs."""
    if not port_free(cfg.port):
        raise RuntimeError(f"port {cfg.port} is in use (set BENCH_PORT)")
    query = f"scope={ds.province_id}&period={ds.period_id}"
    dashboard = ("dashboard", "Dashboard page `/bang-dieu-khien/`", f"/bang-dieu-khien/?{query}")
    series = ("completeness_api", "API `/api/v1/dashboard/completeness/`", f"/api/v1/dashboard/completeness/?{query}")
    urls = [
        ("F3", "Floor F3: `/api/v1/me/` (one-query signed-in view)", "/api/v1/me/", False),
        (*dashboard, True),
        (*series, True),
        ("completeness_page", "Completeness page `/bao-cao/tien-do/`", f"/bao-cao/tien-do/?{query}", True),
        ("compilations", "Compilation list `/tong-hop/`", "/tong-hop/", True),
    ]
    cookies = create_sessions(ds.steering_user_id, cfg.clients)
    summary = _measure(cfg, env, urls, cookies, "as deployed")
    uncached = [
        (f"{dashboard[0]}_nocache", f"{dashboard[1]}, cache off", dashboard[2], False),
        (f"{series[0]}_nocache", f"{series[1]}, cache off", series[2], False),
    ]
    summary.update(_measure(cfg, {**env, "DASHBOARD_CACHE_SECONDS": "0"}, uncached, cookies, "cache off"))
    floor_p95 = summary["F3"]["p95"]
    for row in summary.values():
        row["ratio"] = row["p95"] / floor_p95
        row["pass"] = row["ratio"] <= P95_RATIO and row["errors"] == 0
    return {
        "rows": summary,
        "clients": cfg.clients,
        "workers": cfg.workers,
        "seconds": cfg.duration / max(1, cfg.runs),
        "rounds": max(1, cfg.runs),
        "cache": cache_label(env),
    }


def cache_label(env: dict[str, str]) -> str:
    seconds = env.get("DASHBOARD_CACHE_SECONDS") or "300 (the default)"
    where = f"Redis {env['REDIS_URL']}" if env.get("REDIS_URL") else "local memory of each worker (no Redis)"
    return f"cache: {where}; DASHBOARD_CACHE_SECONDS {seconds}"


# --- The results file ------------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram": ram, "load": os.getloadavg()}


def versions() -> dict:
    import django
    import gunicorn
    import openpyxl
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    return {
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "PostgreSQL": pg,
        "openpyxl": openpyxl.__version__,
        "gunicorn": gunicorn.__version__,
    }


SIZE_ORDER = (
    "districts",
    "communes",
    "agencies",
    "reports",
    "report_values",
    "score_sheets",
    "dialogue_sessions",
    "petitions",
)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def sec(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def render(cfg: Config, meta: dict, ds, results: dict, failures: list[str]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/run.py` (`make bench`); bench/README.md says what is measured and how to read it.",
        "",
        f"- **Date**: {meta['date']}",
        f"- **Command**: `{cfg.command()}` ({meta['seconds']:.0f} s in all)",
        f"- **Machine**: {meta['machine']['cpu']}, {meta['machine']['cores']} cores, {meta['machine']['ram']} RAM; "
        f"load average at start {meta['machine']['load'][0]:.2f}",
        f"- **Versions**: {', '.join(f'{k} {v}' for k, v in meta['versions'].items())}",
        f"- **Settings**: {meta['settings']}",
        f"- **Dataset** `{ds.key}` (seed {ds.spec['seed']}; "
        f"{'reused, generated ' + ds.created_at if ds.reused else f'generated in this run in {ds.seconds} s'}): "
        + ", ".join(f"{k.replace('_', ' ')} {ds.sizes[k]:,}" for k in SIZE_ORDER if k in ds.sizes)
        + "; reports by status "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(ds.sizes.get("reports_by_status", {}).items()))
        + ". One semiannual period; compile and dashboard scope: the province.",
        f"- **Verdict**: {'all targets PASS' if not failures else 'FAIL: ' + '; '.join(failures)}",
        "",
    ]
    s1 = results.get("S1")
    if s1:
        lines += [
            f"## S1 — compile the provincial summary ({plural(cfg.runs, 'run')}; cold = first, warm = median of "
            "the rest)",
            "",
            f"F1 (bench/floor.py): one SQL per table (GROUP BY unit, pivoted) through a server-side cursor into a "
            f"write-only workbook, padded to the product's {s1['cells']['product']:,} cells "
            f"(floor data cells {s1['floor'].get('data_cells', 0):,}); F1 issued {s1['floor']['queries']} queries, "
            f"runs {', '.join(sec(t) for t in s1['floor']['runs'])}. "
            f"Product workbook {s1['xlsx_bytes'] / MIB:.1f} MiB.",
            "",
            "| Product | cold | warm | F1 cold | F1 warm | ratio cold | ratio warm | target | queries | result |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for row in s1["rows"]:
            lines.append(
                f"| {row['label']} | {sec(row['cold'])} | {sec(row['warm'])} | {sec(row['floor_cold'])} | "
                f"{sec(row['floor_warm'])} | {row['ratio_cold']:.2f}× | **{row['ratio_warm']:.2f}×** | "
                f"≤ {row['target']:.0f}× | {row['queries']} | {verdict(row['pass'])} |"
            )
        q, rss = s1["queries"], s1["rss"]
        lines += [
            "",
            "| Measure | value | target | result |",
            "|---|---:|---:|---|",
            f"| Queries of the workbook at the province / at one district | {q['province']} / {q['district']} | "
            f"equal | {verdict(q['pass'])} |",
            f"| Peak RSS of a fresh process running the job (`compile_report`, {sec(rss['job_seconds'])}) | "
            f"**{rss['job']:.0f} MiB** | ≤ {rss['target']} MiB | {verdict(rss['pass'])} |",
            f"| Peak RSS, same for F1 / for a bare Django process (reference) | {rss['floor']:.0f} MiB / "
            f"{rss['idle']:.0f} MiB | — | info |",
            f"| B6 P3 export bar (reference, not gated here) | {rss['job']:.0f} MiB | ≤ {EXPORT_RSS_MIB} MiB | "
            f"{'met' if rss['job'] <= EXPORT_RSS_MIB else 'not met'} |",
            "",
        ]
    s3 = results.get("S3")
    if s3:
        lines += [
            f"## S3 — pages under {s3['clients']} concurrent signed-in clients (gunicorn, {s3['workers']} sync "
            f"workers, loopback)",
            "",
            f"Closed loop, no think time; {plural(s3['rounds'], 'round')} of {s3['seconds']:.0f} s per URL, the URLs "
            f"interleaved; each figure is the median of the rounds. The load client runs on the same cores. "
            f'As deployed ({s3["cache"]}); the "cache off" rows are the same URLs on a second server with '
            'DASHBOARD_CACHE_SECONDS=0 — what each cache miss costs (reported, not gated). "First request" '
            "is the first after the server started (for a cached page: a miss).",
            "",
            "| URL | first request | req/s | p50 | p95 | p99 | errors | p95 / p95(F3) | target | result |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for key, row in s3["rows"].items():
            gated = row.get("gated", key != "F3")
            target = f"≤ {P95_RATIO:.0f}×, 0 errors" if gated else "—"
            result = verdict(row["pass"]) if gated else ("floor" if key == "F3" else "info")
            lines.append(
                f"| {row['label']} | {ms(row['first'])} | {row['rps']:.1f} | {ms(row['p50'])} | {ms(row['p95'])} | "
                f"{ms(row['p99'])} | {row['errors']} | **{row['ratio']:.1f}×** | {target} | {result} |"
            )
        lines.append("")
    s7 = results.get("S7")
    if s7:
        lines += [
            "## S7 — query budgets (Django test client in the bench process, steering user)",
            "",
            f"Queries per request at the province ({ds.sizes.get('communes', 0):,} communes, "
            f"{ds.sizes.get('agencies', 0):,} agencies), at one district and at one commune. Gate: the counts do "
            f"not grow with the scope (they differ by at most {QUERY_SLACK}: a deeper scope adds a breadcrumb "
            f"query, a leaf its unit list). Counted with DASHBOARD_CACHE_SECONDS=0 (a cache miss: the most "
            f"queries). B6 P4's absolute budget (≤ {QUERY_BUDGET}) is shown for reference.",
            "",
            f"| Page | province | district | one commune | result | ≤ {QUERY_BUDGET} (P4, info) |",
            "|---|---:|---:|---:|---|---|",
        ]
        for row in s7["rows"]:
            district = "—" if row["district"] is None else row["district"]
            worst = max(v for v in (row["province"], row["district"], row["commune"]) if v is not None)
            budget = "yes" if worst <= QUERY_BUDGET else f"no ({worst})"
            lines.append(
                f"| {row['label']} | {row['province']} | {district} | {row['commune']} | {verdict(row['pass'])} "
                f"| {budget} |"
            )
        lines.append("")
    for name, error in results.get("errors", {}).items():
        lines += [f"## {name} — did not complete", "", "```", error.strip()[-3000:], "```", ""]
    return "\n".join(lines)


def failures_of(results: dict) -> list[str]:
    out = []
    s1 = results.get("S1")
    if s1:
        out += [f"S1 {r['name']} {r['ratio_warm']:.2f}× > {r['target']:.0f}×" for r in s1["rows"] if not r["pass"]]
        if not s1["queries"]["pass"]:
            out.append("S1 query count grows with the scope")
        if not s1["rss"]["pass"]:
            out.append(f"S1 peak RSS {s1['rss']['job']:.0f} MiB > {WORKER_RSS_MIB} MiB")
    s3 = results.get("S3")
    if s3:
        out += [
            f"S3 {key} p95 {row['ratio']:.1f}× F3" + (f", {row['errors']} errors" if row["errors"] else "")
            for key, row in s3["rows"].items()
            if row.get("gated", key != "F3") and not row["pass"]
        ]
    s7 = results.get("S7")
    if s7:
        out += [
            f"S7 {r['label'].split('`')[1] if '`' in r['label'] else r['label']}" for r in s7["rows"] if not r["pass"]
        ]
    out += [f"{name} did not complete" for name in results.get("errors", {})]
    return out


# --- Main ------------------------------------------------------------------------------------------


def main() -> int:
    from bench.scales import SCALES

    started = time.monotonic()
    cfg = Config()
    if cfg.scale not in SCALES:
        print(f"bench: unknown BENCH_SCALE {cfg.scale!r} (one of {', '.join(SCALES)})", file=sys.stderr)
        return 2
    problem = postgres_ready(cfg.database_url, cfg.fresh)
    if problem:
        print(f"bench: {problem}", file=sys.stderr)
        return 2
    WORK.mkdir(parents=True, exist_ok=True)
    env = django_env(cfg.database_url)
    setup_django(env)
    from django.core.management import call_command

    from bench import generate

    call_command("migrate", interactive=False, verbosity=0)
    spec = generate.Spec.of(cfg.scale, cfg.seed, **cfg.sizes)
    ds = generate.ensure(spec, log=log)
    meta = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "settings": f"DEBUG off (bench/settings.py), {cache_label(env)}, PostgreSQL {cfg.database_url}",
    }
    results: dict = {"errors": {}}
    scenarios = {
        "S1": lambda: scenario_s1(cfg, ds, env),
        "S3": lambda: scenario_s3(cfg, ds, env),
        "S7": lambda: scenario_s7(ds),
    }
    # S7 before S3 (it is quick); S1 first, so the compilation list of S3 and S7 lists its jobs.
    for name in ("S1", "S7", "S3"):
        if name not in cfg.scenarios:
            continue
        log(f"bench: {name}")
        try:
            results[name] = scenarios[name]()
        except Exception:  # a scenario that breaks is reported in the file, and fails the run
            import traceback

            results["errors"][name] = traceback.format_exc()
            log(f"bench: {name} did not complete:\n{results['errors'][name]}")
    meta["seconds"] = time.monotonic() - started
    failures = failures_of(results)
    cfg.out.write_text(render(cfg, meta, ds, results, failures), encoding="utf-8")
    data = ROOT / "bench" / "data"
    data.mkdir(exist_ok=True)
    (data / f"results-{cfg.scale}.json").write_text(
        json.dumps({"meta": meta, "dataset": ds.key, "sizes": ds.sizes, "results": results}, default=str, indent=1)
    )
    log(f"bench: wrote {cfg.out.relative_to(ROOT) if cfg.out.is_relative_to(ROOT) else cfg.out}")
    for line in failures:
        log(f"bench: FAIL {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        sys.exit(child_main(sys.argv[2:]))
    sys.exit(main())
