import datetime

import time_machine
from django.core import mail

from actions.models import FollowupNudge
from actions.tasks import send_followup_nudges
from tests.actions.factories import ActionFactory, JournalEntryFactory
from tests.helpers import mails_leave
from tests.membres.factories import MembershipFactory, UserFactory

NOW = datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC)
LONG_AGO = datetime.datetime(2026, 1, 1, 8, 0, tzinfo=datetime.UTC)


def silent_action(collectif, referents, **kwargs):
    action = ActionFactory(collectif=collectif, in_progress=True, referents=referents, **kwargs)
    action.created_at = LONG_AGO
    action.save(update_fields=["created_at"])
    return action


@time_machine.travel(NOW, tick=False)
def test_referent_gets_one_digest_for_all_silent_actions(collectif, member):
    silent_action(collectif, [member], title="Forum des métiers")
    silent_action(collectif, [member], title="Café des parents")
    recent = silent_action(collectif, [member], title="Actif")
    JournalEntryFactory(action=recent, date=datetime.date(2026, 2, 20))
    old = silent_action(collectif, [member], title="Oublié")
    JournalEntryFactory(action=old, date=datetime.date(2026, 1, 2))
    silent_action(collectif, [member], title="Idée", status="idee")

    with mails_leave():
        assert send_followup_nudges.delay().get() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "Où en êtes-vous" in message.subject
    assert "Forum des métiers" in message.body and "Café des parents" in message.body and "Oublié" in message.body
    assert "Actif" not in message.body and "Idée" not in message.body
    assert f"/c/{collectif.slug}/actions/" in message.body
    html = message.alternatives[0][0]
    assert "href=" in html


@time_machine.travel(NOW, tick=False)
def test_nudges_are_idempotent_within_a_month(collectif, member):
    silent_action(collectif, [member])
    with mails_leave():
        send_followup_nudges()
    with mails_leave():
        send_followup_nudges()
    assert len(mail.outbox) == 1
    assert FollowupNudge.objects.get().month == datetime.date(2026, 3, 1)
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False), mails_leave():
        send_followup_nudges()
    assert len(mail.outbox) == 2


@time_machine.travel(NOW, tick=False)
def test_nudges_respect_the_opt_out_and_skip_former_members(collectif, member):
    opted_out = UserFactory(notify_action_followups=False)
    MembershipFactory(user=opted_out, collectif=collectif)
    former = UserFactory()
    MembershipFactory(user=former, collectif=collectif, left_on=datetime.date(2026, 1, 15))
    silent_action(collectif, [opted_out, former, member])
    with mails_leave():
        send_followup_nudges()
    assert [m.to for m in mail.outbox] == [[member.email]]
