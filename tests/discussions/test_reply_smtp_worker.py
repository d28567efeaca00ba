"""The measured round trip of issue 14 with the processes of production: a notification leaves through the outbox to
the SMTP sink, and its answer goes to a running `manage.py receive_replies` (its own process, as in the Procfile and
docker-compose.yml); the message appears in the thread once, even when the same reply is sent twice."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from discussions.models import Message
from tests.discussions.replymail import make_thread
from tests.discussions.smtp_round_trip import (
    answer,
    notify_follower,
    received_notification,
)
from tests.helpers import free_port, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def receive_replies(settings, tmp_path):
    """`manage.py receive_replies` on a free port, on the test database."""
    db = settings.DATABASES["default"]
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TEST_REDIS_URL": settings.REDIS_URL,
    }
    log = tmp_path / "receive_replies.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "receive_replies", "--port", str(port)],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        assert wait_for(lambda: _listening(port) or process.poll() is not None, timeout=30), log.read_text()
        assert process.poll() is None, log.read_text()
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(15)
    assert "Récepteur des réponses arrêté." in log.read_text(), log.read_text()


def test_a_notification_answered_to_the_running_receiver_is_posted_once(
    smtp_sink, receive_replies, collectif, coordinator, member
):
    thread = make_thread(collectif, coordinator)
    notify_follower(thread, author=coordinator, follower=member)
    notification = received_notification(smtp_sink, member)

    message_id = answer(notification, port=receive_replies, sender=member.email, text="Je le relis mardi.")
    assert wait_for(lambda: Message.objects.filter(thread=thread, source=Message.Source.EMAIL).exists(), timeout=20)
    answer(notification, port=receive_replies, sender=member.email, text="Je le relis mardi.", message_id=message_id)

    (message,) = Message.objects.filter(thread=thread, source=Message.Source.EMAIL)
    assert (message.author, message.body, message.email_message_id) == (
        member,
        "<p>Je le relis mardi.</p>",
        message_id,
    )
