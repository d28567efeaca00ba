"""`make run` with no environment: SQLite under var/, console mail, Celery on kombu's filesystem broker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

HOME_PAGE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3", settings.DATABASES
assert settings.CELERY_BROKER_URL.startswith("filesystem://")
assert "locmem" in settings.CACHES["default"]["BACKEND"]
assert settings.EMAIL_BACKEND.endswith("console.EmailBackend")
client = Client(HTTP_HOST="127.0.0.1")
assert client.get("/").status_code == 200
assert client.login(email="coordination@exemple.org", password="demo-perseverance")
page = client.get("/")
assert page.status_code == 200 and "Villefontaine" in page.content.decode(), page.status_code
# The catalogue's SQLite path: browsing (newest first, dates in Paris time) and a search with its excerpts.
page = client.get("/fiches/").content.decode()
assert "publiée le" in page, page
page = client.get("/fiches/", {"q": "decrochage"}).content.decode()
assert "<mark>" in page and "pour « decrochage »" in page, page
print("home ok")
"""

PING = """
import django
django.setup()
from core.tasks import ping
ping.delay("depuis-le-test")
"""


def embedded_env(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith(("DATABASE_URL", "REDIS_URL", "EMAIL_URL")) and key not in ("CELERY_TASK_ALWAYS_EAGER",)
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", VAR_DIR=str(var_dir))
    return env


def run(args: list[str], env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("var")
    env = embedded_env(var_dir)
    run([sys.executable, "manage.py", "migrate", "--noinput"], env)
    run([sys.executable, "manage.py", "load_demo"], env)
    return var_dir, env


def test_embedded_default_migrates_sqlite_under_var_and_serves_the_home_page(embedded):
    var_dir, env = embedded
    assert (var_dir / "db.sqlite3").exists()
    assert "home ok" in run([sys.executable, "-c", HOME_PAGE], env).stdout


def test_embedded_default_loads_the_demo_twice_without_error_and_prints_the_accounts(embedded):
    _, env = embedded
    output = run([sys.executable, "manage.py", "load_demo"], env).stdout
    assert "coordination@exemple.org" in output
    assert "demo-perseverance" in output


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        children.setdefault(int(fields["PPid"]), []).append(int(fields["Pid"]))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:\t", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


# Only this test of the module starts a worker (honcho runs the Procfile); the others stay in `make test-fast`.
@pytest.mark.worker
def test_honcho_serves_the_home_page_runs_a_task_on_the_filesystem_broker_and_ctrl_c_stops_everything(embedded):
    """What `make run` starts after migrating and loading the demo: web, worker, beat and the reply receiver."""
    import signal
    import socket
    import urllib.request

    var_dir, env = embedded
    for folder in ("queue", "processed"):
        (var_dir / "celery" / folder).mkdir(parents=True, exist_ok=True)
    ports = []
    for _ in range(2):  # the web server's, the reply receiver's
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    port, replies_port = ports
    log = var_dir / "honcho.log"
    with log.open("w") as out:
        honcho = subprocess.Popen(
            [str(Path(sys.executable).parent / "honcho"), "start", "-f", "Procfile"],
            env={**env, "PORT": str(port), "REPLY_SMTP_PORT": str(replies_port)},
            cwd=BASE_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status != 200:
            assert honcho.poll() is None, log.read_text()
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).status
            except OSError:
                time.sleep(0.5)
        assert status == 200, log.read_text()
        while time.monotonic() < deadline and "ready." not in log.read_text():
            time.sleep(0.5)
        run([sys.executable, "-c", PING], env)
        while time.monotonic() < deadline and "pong depuis-le-test" not in log.read_text():
            time.sleep(0.5)
        assert "pong depuis-le-test" in log.read_text(), log.read_text()
        while time.monotonic() < deadline and f"reçues sur 127.0.0.1:{replies_port}" not in log.read_text():
            time.sleep(0.5)
        assert f"reçues sur 127.0.0.1:{replies_port}" in log.read_text(), log.read_text()
        started = descendants(honcho.pid)
        assert len(started) >= 3, log.read_text()
    finally:
        honcho.send_signal(signal.SIGINT)  # Ctrl-C
        honcho.wait(30)
    time.sleep(1)
    assert not [pid for pid in started if alive(pid)], log.read_text()
    assert "web.1 stopped" in log.read_text() and "worker.1 stopped" in log.read_text()
    assert "beat.1 stopped" in log.read_text() and "replies.1 stopped" in log.read_text()
    # Everything the filesystem broker writes stays under VAR_DIR.
    assert list((var_dir / "celery" / "control").glob("*.exchange"))
