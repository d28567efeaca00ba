import datetime as dt

import pytest
import time_machine
from django.core import mail

from fiches_experience import services
from fiches_experience.tasks import send_review_reminders
from tests.fiches_experience.factories import FicheFactory
from tests.helpers import mails_leave

pytestmark = pytest.mark.django_db


def _published(author, second_crpv_editor):
    fiche = FicheFactory(in_review=True, author=author, title="Fiche qui vieillit")
    services.fiche_publish(fiche=fiche, by=second_crpv_editor)
    return fiche


def test_author_is_reminded_once_when_the_review_date_comes(crpv_editor, second_crpv_editor):
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)):
        fiche = _published(crpv_editor, second_crpv_editor)
    with time_machine.travel(dt.datetime(2027, 1, 9, 12, tzinfo=dt.UTC)), mails_leave():
        assert send_review_reminders.delay().get() == 0
    with time_machine.travel(dt.datetime(2027, 1, 10, 12, tzinfo=dt.UTC)):
        with mails_leave():
            assert send_review_reminders.delay().get() == 1
        with mails_leave():
            assert send_review_reminders.delay().get() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [crpv_editor.email]
    assert "Fiche qui vieillit" in mail.outbox[0].subject
    assert f"/fiches/edition/{fiche.pk}/" in mail.outbox[0].body


def test_marking_reviewed_sets_the_next_review_a_year_later(crpv_editor, second_crpv_editor):
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)):
        fiche = _published(crpv_editor, second_crpv_editor)
    with time_machine.travel(dt.datetime(2027, 1, 12, 12, tzinfo=dt.UTC)):
        with mails_leave():
            assert services.fiche_send_review_reminders() == 1
        services.fiche_mark_reviewed(fiche=fiche, by=crpv_editor)
    assert fiche.review_on == dt.date(2028, 1, 12)
    with time_machine.travel(dt.datetime(2028, 1, 12, 12, tzinfo=dt.UTC)), mails_leave():
        assert services.fiche_send_review_reminders() == 1
    assert len(mail.outbox) == 2


def test_authors_who_turned_reminders_off_get_none(crpv_editor, second_crpv_editor):
    crpv_editor.notify_fiche_reviews = False
    crpv_editor.save(update_fields=["notify_fiche_reviews"])
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)):
        _published(crpv_editor, second_crpv_editor)
    with time_machine.travel(dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC)), mails_leave():
        assert services.fiche_send_review_reminders() == 0
    assert mail.outbox == []


def test_archived_fiches_are_not_reminded(crpv_editor, second_crpv_editor):
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)):
        fiche = _published(crpv_editor, second_crpv_editor)
        services.fiche_archive(fiche=fiche, by=crpv_editor)
    with time_machine.travel(dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC)), mails_leave():
        assert services.fiche_send_review_reminders() == 0


def test_an_author_who_does_not_edit_fiches_gets_the_public_page_and_answers_the_publishing_editor(
    coordinator, crpv_editor
):
    """A coordinator whose action became the fiche cannot open its edit page (403): the reminder sends them to the
    public page, and their reply goes to the editor who published it."""
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)):
        fiche = _published(coordinator, crpv_editor)
    with time_machine.travel(dt.datetime(2027, 1, 10, 12, tzinfo=dt.UTC)), mails_leave():
        assert services.fiche_send_review_reminders() == 1
    (sent,) = mail.outbox
    assert sent.to == [coordinator.email]
    assert f"/fiches/{fiche.slug}/" in sent.body and "/fiches/edition/" not in sent.body
    assert sent.reply_to == [crpv_editor.email]
    assert f"votre réponse part à {crpv_editor}" in sent.body
