"""The monthly nudge through a real Celery worker and a real SMTP server: one digest, even when run twice."""

import datetime
import time

import pytest
from django.utils import timezone

from actions.models import FollowupNudge
from actions.tasks import send_followup_nudges
from tests.actions.factories import ActionFactory
from tests.helpers import wait_for

pytestmark = pytest.mark.worker


# Transactional (a real worker reads the rows): tests/conftest.py's `transactional_db` re-seeds the reference
# vocabularies after the flush. No serialized_rollback: reloading its snapshot after another transactional test's
# flush collides with the content types that flush re-created.
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_one_digest_even_when_the_beat_fires_twice(
    smtp_sink, celery_worker_process, collectif, member
):
    for title in ("Forum des métiers", "Café des parents"):
        action = ActionFactory(collectif=collectif, title=title, in_progress=True, referents=[member])
        action.created_at = timezone.now() - datetime.timedelta(days=60)
        action.save(update_fields=["created_at"])

    send_followup_nudges.delay()
    assert wait_for(lambda: len(smtp_sink.messages) == 1), celery_worker_process.log()
    send_followup_nudges.delay()
    assert wait_for(lambda: FollowupNudge.objects.count() == 1)
    time.sleep(3)  # leave the second run time to (not) send

    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert message["To"] == member.email
    assert "Où en êtes-vous" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Forum des métiers" in body and "Café des parents" in body
