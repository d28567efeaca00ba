"""Over HTTP, as deployed: gunicorn (4 workers of gunicorn.conf.py's threads) with the production settings, in
front of the side-by-side data set (bench/http_seed.py: a plénière with 5 items and 30 answers, 200 séances).
Median and p95 of each page at c=1 and c=4 (one keep-alive connection per client thread, logged in as a member),
and a bounded load test.

Its own database (BENCH_HTTP_DATABASE_URL, default perseverance_bench_http) and Redis index (BENCH_HTTP_REDIS_URL,
default db 12); BENCH_HTTP_N requests per page and level (default 100); BENCH_HTTP_LOAD « users x seconds »
(default 50x20). Loopback only. Targets: the ratios to Indico 3.2.9 of issue #13, as absolute times measured
side by side on the 2-core machine (Indico: event page 98 ms, category page 128 ms, category .ics 401 ms,
event.ics 17 ms, timetable PDF 54 ms).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench.common import Row, ensure_database, median_p95, ms

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_URL = os.environ.get("BENCH_HTTP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/perseverance_bench_http")
REDIS_URL = os.environ.get("BENCH_HTTP_REDIS_URL", "redis://127.0.0.1:6379/12")
N = int(os.environ.get("BENCH_HTTP_N", "100"))
LOAD_USERS, LOAD_SECONDS = (int(x) for x in os.environ.get("BENCH_HTTP_LOAD", "50x20").split("x"))
PASSWORD = "demo-perseverance"
GUNICORN = ("--workers", "4", "--access-logfile", "/dev/null", "--log-level", "warning")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp: Path, port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": DB_URL,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "600",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "VAR_DIR": str(tmp / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def _manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True)


class Session:
    """One keep-alive connection, logged in through allauth's form (as the load balancer's TLS would be)."""

    def __init__(self, port: int, cookie: str = ""):
        self.port, self.cookie = port, cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        hdr = {"X-Forwarded-Proto": "https", **({"Cookie": self.cookie} if self.cookie else {}), **(headers or {})}
        try:
            self.conn.request("GET", path, headers=hdr)
            response = self.conn.getresponse()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request("GET", path, headers=hdr)
            response = self.conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()


def login(port: int, email: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/compte/login/", headers={"X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    page = response.read().decode()
    cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    origin = f"https://127.0.0.1:{port}"
    conn.request(
        "POST",
        "/compte/login/",
        body=urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD}),
        headers={
            "X-Forwarded-Proto": "https",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Origin": origin,
            "Referer": origin + "/compte/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]
    assert response.status == 302 and "sessionid" in cookies, f"login failed: {response.status}"
    return f"sessionid={cookies['sessionid']}"


def level(
    port: int, cookie: str, path: str, n: int, concurrency: int, headers=None, expect=200, rendered=False
) -> list[float]:
    """n requests spread over `concurrency` client threads; the latencies of the answers with status `expect`.
    `rendered`: each request's address differs by its query string, so that no page kept by core.pagecache
    answers it (what a first visit costs)."""
    latencies, errors, lock = [], [], threading.Lock()
    counter = iter(range(n))
    stamp = time.time_ns()

    def worker():
        session = Session(port, cookie)
        while True:
            with lock:
                if (number := next(counter, None)) is None:
                    return
            address = f"{path}?rendu={stamp}-{number}" if rendered else path
            start = time.perf_counter()
            status, _, _ = session.get(address, headers)
            elapsed = time.perf_counter() - start
            with lock:
                (latencies if status == expect else errors).append(elapsed if status == expect else status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, f"{path}: {errors[:5]}"
    return latencies


def load(port: int, cookies: list[str], paths: list[str]) -> tuple[int, int, float, list[float]]:
    """LOAD_USERS threads for LOAD_SECONDS over the pages round-robin: requests, errors, req/s, latencies."""
    latencies, codes, lock = [], {}, threading.Lock()
    stop = time.time() + LOAD_SECONDS

    def worker(i):
        session, n = Session(port, cookies[i % len(cookies)]), i
        while time.time() < stop:
            start = time.perf_counter()
            try:
                status = session.get(paths[n % len(paths)])[0]
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - start
            n += 1
            with lock:
                latencies.append(elapsed)
                codes[status] = codes.get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(LOAD_USERS)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.time() - start
    errors = sum(v for k, v in codes.items() if k != 200)
    return len(latencies), errors, len(latencies) / wall, latencies


def run() -> list[Row]:
    from django.db import connection

    settings_dict = {**connection.settings_dict, "NAME": urllib.parse.urlsplit(DB_URL).path.lstrip("/")}
    ensure_database(settings_dict)
    tmp = Path(tempfile.mkdtemp(prefix="bench-http-"))
    port = _free_port()
    env = _env(tmp, port)
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_demo")
    _manage(env, "collectstatic", "--noinput")
    seed_file = tmp / "seed.json"
    _manage(
        {**env, "SEED_OUT": str(seed_file)}, "shell", "-c", f"exec(open('{BASE_DIR / 'bench/http_seed.py'}').read())"
    )
    seed = json.loads(seed_file.read_text())
    paths = seed["paths"]
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", *GUNICORN],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        for _ in range(100):
            try:
                if Session(port).get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        member = login(port, seed["member_email"])
        coordinator = login(port, seed["coordinator_email"])
        _, feed_headers, _ = Session(port).get(paths["feed_collectif"])
        # Rendered for each request (a first visit): no page kept by core.pagecache answers them.
        for label, cookie, path in (
            ("reunion page (member), rendered", member, paths["detail"]),
            ("reunion list (member), rendered", member, paths["list"]),
            ("month view (member), rendered", member, paths["month"]),
        ):
            level(port, cookie, path, 10, 1, rendered=True)
            for concurrency in (1, 4):
                median, p95 = median_p95(level(port, cookie, path, N, concurrency, rendered=True))
                rows.append(Row(f"HTTP {label} c={concurrency}", "sbs data set", ms(median), ms(p95), ""))
        pages = [
            ("reunion page (member)", member, paths["detail"], None, 200, "≤ 15 ms (0.15 × Indico 98)"),
            ("reunion page (coordinator)", coordinator, paths["detail"], None, 200, ""),
            ("reunion list (member)", member, paths["list"], None, 200, "≤ 15 ms (0.12 × Indico 128)"),
            ("month view (member)", member, paths["month"], None, 200, ""),
            ("collectif feed, 210 events", "", paths["feed_collectif"], None, 200, "≤ 40 ms (0.10 × Indico 401)"),
            (
                "collectif feed, unchanged (304)",
                "",
                paths["feed_collectif"],
                {"If-None-Match": feed_headers["ETag"]},
                304,
                "304",
            ),
            ("one reunion .ics (member)", member, paths["reunion_ics"], None, 200, "≤ 8.5 ms (0.5 × Indico 17)"),
            ("adopted minutes PDF (member)", member, paths["minutes_pdf"], None, 200, "≤ 11 ms (0.2 × Indico 54)"),
        ]
        for label, cookie, path, headers, expect, target in pages:
            level(port, cookie, path, 10, 1, headers, expect)  # warm-up (and the PDF's first print)
            for concurrency in (1, 4):
                median, p95 = median_p95(level(port, cookie, path, N, concurrency, headers, expect))
                rows.append(Row(f"HTTP {label} c={concurrency}", "sbs data set", ms(median), ms(p95), target))
        requests, errors, rate, latencies = load(
            port, [member, login(port, seed["member_email"])], [paths["detail"], paths["list"], paths["month"]]
        )
        median, p95 = median_p95(latencies)
        rows.append(
            Row(
                f"HTTP load {LOAD_USERS} users {LOAD_SECONDS} s: {requests} req, {errors} errors, {rate:.0f} req/s",
                "sbs data set",
                ms(median),
                ms(p95),
                "0 errors, ≥ 120 req/s",
            )
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return rows
