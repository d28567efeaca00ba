"""Reminders at scale: a real Celery worker sends 10,000 reminders (200 reunions × 50 people) to a local SMTP
server (aiosmtpd); we measure the time until every row is « sent » and count messages received twice.

Size and worker concurrency are configurable: BENCH_REUNIONS_SIZE=200x50,
BENCH_REUNIONS_CONCURRENCY (default: the number of CPUs).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bench.common import Row

BASE_DIR = Path(__file__).resolve().parent.parent


SINK_SCRIPT = """
import re, sys
from aiosmtpd.controller import Controller

SUBJECT = re.compile(rb"^Subject:([^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*)", re.MULTILINE)

out = open(sys.argv[2], "a", buffering=1)

class Handler:
    async def handle_DATA(self, server, session, envelope):
        # The raw Subject header (folded lines kept) is enough to tell one reminder from another: no parsing.
        match = SUBJECT.search(envelope.original_content)
        subject = match.group(1).decode("ascii", "replace").replace("\\r", "").replace("\\n", "") if match else ""
        for rcpt in envelope.rcpt_tos:
            out.write(rcpt + "\\t" + subject + "\\n")
        return "250 OK"

controller = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"""


class Sink:
    """An aiosmtpd server in its own process (so that it does not share the GIL with this one) that writes one
    line per recipient and subject to a file."""

    def __init__(self, directory: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.path = directory / "sink.tsv"
        self.path.write_text("")
        self.process = subprocess.Popen(
            [sys.executable, "-c", SINK_SCRIPT, str(self.port), str(self.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.process.stdout.readline()

    @property
    def recipients(self) -> list[tuple[str, str]]:
        return [tuple(line.split("\t", 1)) for line in self.path.read_text().splitlines() if line]

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


def _world(n_reunions: int, n_people: int):
    from django.utils import timezone

    from collectifs.models import Collectif, Institution, Territoire
    from membres.models import Membership, User
    from reunions.models import ReminderDue, Reunion

    territoire, _ = Territoire.objects.get_or_create(name="Banc d'essai", kind=Territoire.Kind.COMMUNE)
    institution, _ = Institution.objects.get_or_create(
        name="Institution du banc", territoire=territoire, defaults={"kind": Institution.Kind.AUTRE}
    )
    collectif, _ = Collectif.objects.get_or_create(
        slug="bench-reunions", defaults={"name": "Banc d'essai des réunions", "territoire": territoire}
    )
    ReminderDue.objects.filter(reunion__collectif=collectif).delete()
    Reunion.objects.filter(collectif=collectif).delete()
    memberships = []
    for i in range(n_people):
        user, _ = User.objects.get_or_create(email=f"bench{i}@exemple.org", defaults={"first_name": f"P{i}"})
        m, _ = Membership.objects.get_or_create(
            user=user, collectif=collectif, left_on=None, defaults={"institution": institution, "function": "CPE"}
        )
        memberships.append(m)
    start = timezone.now() + timedelta(hours=20)
    reunions = Reunion.objects.bulk_create(
        [
            Reunion(collectif=collectif, title=f"Réunion {i}", starts_at=start, status=Reunion.Status.CONVENED)
            for i in range(n_reunions)
        ]
    )
    due = timezone.now() - timedelta(minutes=1)
    ReminderDue.objects.bulk_create(
        [ReminderDue(reunion=r, membership=m, offset_days=1, due_at=due) for r in reunions for m in memberships],
        batch_size=2000,
    )
    return collectif


def _worker(sink: Sink, concurrency: int, log: Path) -> subprocess.Popen:
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TEST_REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "TEST_EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", f"--concurrency={concurrency}", "-l", "WARNING"],
        env=env,
        cwd=BASE_DIR,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def run() -> list[Row]:
    from config.celery_app import app
    from reunions.models import ReminderDue
    from reunions.tasks import send_due_reminders

    n_reunions, n_people = (int(x) for x in os.environ.get("BENCH_REUNIONS_SIZE", "200x50").split("x"))
    concurrency = int(os.environ.get("BENCH_REUNIONS_CONCURRENCY", os.cpu_count() or 2))
    total = n_reunions * n_people
    collectif = _world(n_reunions, n_people)
    workdir = Path(tempfile.mkdtemp(prefix="bench-reunions-"))
    sink = Sink(workdir)
    app.conf.task_always_eager = False
    app.control.purge()
    log = workdir / "worker.log"
    worker = _worker(sink, concurrency, log)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5) and time.monotonic() < deadline:
            time.sleep(0.2)
        started = time.perf_counter()
        send_due_reminders.delay()
        rows = ReminderDue.objects.filter(reunion__collectif=collectif)
        deadline = time.monotonic() + 600
        while rows.exclude(status=ReminderDue.Status.SENT).exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
        time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(30)
        sink.stop()
        app.control.purge()
    counts = Counter(sink.recipients)  # (recipient, subject): one reminder
    duplicates = sum(n - 1 for n in counts.values())
    sent = rows.filter(status=ReminderDue.Status.SENT).count()
    size = f"{n_reunions} réunions × {n_people} ({total}), worker ×{concurrency}"
    return [
        Row("rappels envoyés par un vrai worker", size, f"{elapsed:.1f} s", f"{sent}/{total} envoyés", "< 60 s"),
        Row("rappels reçus deux fois", size, str(duplicates), f"{len(counts)} destinataires-sujets", "0"),
    ]
