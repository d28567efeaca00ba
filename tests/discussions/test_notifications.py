"""Notifications of new messages through the outbox: at once (one e-mail per message and follower, the author and
former members left out, a Reply-To when replies by e-mail exist), in one daily digest per person (sent once), or
never."""

from email.header import decode_header, make_header

import pytest
from django.conf import settings
from django.core import mail

from core.models import OutboxMessage
from discussions.models import PendingNotification
from discussions.services.digest import digests_send, send_daily_digests
from discussions.services.follows import thread_follow, thread_unfollow
from membres.models import Membership, User
from tests.discussions.factories import post, thread_open
from tests.helpers import mails_leave
from tests.membres.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

Pref = User.DiscussionNotifications


@pytest.fixture
def thread(collectif, coordinator, member, guest):
    """The coordinator opened it; the member and the guest follow it."""
    t = thread_open(collectif, coordinator, title="Fiche de liaison", body="<p>Un modèle à relire ?</p>")
    thread_follow(thread=t, by=member)
    thread_follow(thread=t, by=guest)
    return t


def _to(messages):
    return sorted(m.to[0] for m in messages)


def test_each_follower_but_the_author_gets_the_message_at_once(thread, coordinator, member, guest, collectif):
    with mails_leave():
        post(thread, member, "<p>Je la relis <strong>jeudi</strong>.</p><ul><li>dates</li><li>lieu</li></ul>")
    assert _to(mail.outbox) == sorted([coordinator.email, guest.email])
    sent = mail.outbox[0]
    assert sent.subject == f"[{collectif.name}] Fiche de liaison"
    assert str(make_header(decode_header(sent.from_email))).startswith("Nadia Haddad (Persévérance scolaire) <")
    assert "Nadia Haddad a écrit dans la discussion « Fiche de liaison »" in sent.body
    assert "Je la relis jeudi." in sent.body and "- dates\n- lieu" in sent.body
    assert f"{settings.SITE_URL}/c/{collectif.slug}/discussions/{thread.pk}/" in sent.body
    assert "Ne plus la suivre" in sent.body and "/profil/" in sent.body
    # A member answers by e-mail; a guest, who reads but does not write, is sent to the site.
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to[coordinator.email].reply_to[0].startswith("reponse+")
    assert by_to[guest.email].reply_to == []
    assert "Répondez sur le site" in by_to[guest.email].body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html" and "<strong>jeudi</strong>" in html


def test_the_reply_address_is_the_reply_to_of_each_mail(thread, coordinator, member, monkeypatch):
    monkeypatch.setattr(
        "discussions.services.notify.reply_address", lambda user, t: f"reponse+{user.pk}-{t.pk}@reponses.exemple.org"
    )
    with mails_leave():
        post(thread, member)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to[coordinator.email].reply_to == [f"reponse+{coordinator.pk}-{thread.pk}@reponses.exemple.org"]
    assert "Répondez à cet e-mail pour écrire dans la discussion" in by_to[coordinator.email].body
    assert OutboxMessage.objects.filter(to=coordinator.email).get().reply_to.startswith("reponse+")


def test_former_members_unfollowers_and_disabled_accounts_get_nothing(thread, coordinator, member, guest, collectif):
    Membership.objects.filter(user=guest).update(left_on="2025-06-30")
    thread_unfollow(thread=thread, by=coordinator)
    with mails_leave():
        post(thread, member)
    assert mail.outbox == []
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    thread_follow(thread=thread, by=coordinator)
    with mails_leave():
        post(thread, member)
    assert mail.outbox == []


def test_a_follower_who_belongs_to_another_collectif_only_is_left_out(thread, member, other_member):
    # Can only happen through data changed by hand: the check is on the membership, not on the follow.
    from discussions.models import Follow

    Follow.objects.create(thread=thread, user=other_member, reason=Follow.Reason.CHOSE)
    with mails_leave():
        post(thread, member)
    assert other_member.email not in _to(mail.outbox)


def test_preference_never_sends_nothing_and_digest_waits(thread, coordinator, member, guest):
    User.objects.filter(pk=guest.pk).update(notify_discussions=Pref.NONE)
    User.objects.filter(pk=coordinator.pk).update(notify_discussions=Pref.DIGEST)
    with mails_leave():
        post(thread, member)
    assert mail.outbox == []
    assert list(PendingNotification.objects.values_list("user__email", flat=True)) == [coordinator.email]


def test_the_daily_digest_sends_one_mail_per_person_once(collectif, thread, coordinator, member, guest):
    User.objects.filter(pk__in=[coordinator.pk, guest.pk]).update(notify_discussions=Pref.DIGEST)
    second = thread_open(collectif, member, title="Forum des métiers", body="<p>Quelles entreprises ?</p>")
    thread_follow(thread=second, by=coordinator)
    with mails_leave():
        post(thread, member, "<p>Premier</p>")
        post(thread, member, "<p>Deuxième</p>")
        post(second, member, "<p>Troisième</p>")
    assert mail.outbox == []
    with mails_leave():
        assert digests_send() == 2
    assert _to(mail.outbox) == sorted([coordinator.email, guest.email])
    digest = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert digest.subject == f"[{collectif.name}] 3 nouveaux messages dans vos discussions"
    body = digest.body
    assert body.index("Premier") < body.index("Deuxième")
    assert "== Fiche de liaison" in body and "== Forum des métiers" in body
    assert body.count("== ") == 2  # grouped by thread
    assert thread.get_absolute_url() in body and second.get_absolute_url() in body
    assert digest.reply_to == []  # one mail, several threads: each thread is linked instead
    guest_digest = next(m for m in mail.outbox if m.to == [guest.email])
    assert "Forum des métiers" not in guest_digest.body
    # The beat runs twice: nothing more.
    with mails_leave():
        assert send_daily_digests() == 0
    assert len(mail.outbox) == 2
    assert not PendingNotification.objects.filter(sent_at__isnull=True).exists()


def test_the_digest_leaves_out_people_who_left_or_chose_never_since(collectif, thread, coordinator, member, guest):
    User.objects.filter(pk__in=[coordinator.pk, guest.pk]).update(notify_discussions=Pref.DIGEST)
    with mails_leave():
        post(thread, member)
    Membership.objects.filter(user=guest).update(left_on="2025-06-30")
    User.objects.filter(pk=coordinator.pk).update(notify_discussions=Pref.NONE)
    with mails_leave():
        assert digests_send() == 0
    assert mail.outbox == []
    assert not PendingNotification.objects.filter(sent_at__isnull=True).exists()


def test_a_mentioned_person_gets_the_message_that_mentions_them(collectif, coordinator):
    julien = UserFactory(email="julien@exemple.org", first_name="Julien", last_name="Robert")
    MembershipFactory(user=julien, collectif=collectif)
    with mails_leave():
        thread_open(collectif, coordinator, title="Accueil", body="<p>@Julien Robert, tu peux venir jeudi ?</p>")
    assert _to(mail.outbox) == [julien.email]
    assert "tu peux venir jeudi" in mail.outbox[0].body


def test_the_digest_task_is_registered_and_runs_each_morning_at_seven(settings):
    from config.celery_app import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["discussions-send-daily-digests"]
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/Paris"
