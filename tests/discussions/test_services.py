"""Services of discussions: who follows (writing, mentions, choice, an unfollow kept), mentions, unread counts,
hostile HTML, replies by e-mail posted once."""

import pytest
from django.core.exceptions import ValidationError

from discussions.models import Follow, Message, ReadMark, Thread
from discussions.services.follows import thread_follow, thread_unfollow
from discussions.services.messages import message_edit, message_post
from discussions.services.reads import thread_mark_read, unread_counts
from membres.models import Membership
from tests.actions.factories import ActionFactory
from tests.discussions.factories import document_in, post, thread_open
from tests.reunions.factories import GroupeFactory

pytestmark = pytest.mark.django_db


def _following(thread):
    return set(Follow.objects.filter(thread=thread, active=True).values_list("user__email", flat=True))


def test_opening_a_thread_posts_its_first_message_and_the_opener_follows(collectif, member):
    thread = thread_open(collectif, member, title="  Calendrier   des séances ", body="Quelles dates ?")
    assert thread.title == "Calendrier des séances"
    assert thread.message_count == 1
    assert thread.messages.get().body == "<p>Quelles dates ?</p>"
    assert _following(thread) == {member.email}
    assert Follow.objects.get(thread=thread).reason == Follow.Reason.WROTE


def test_a_thread_is_about_one_subject_of_its_collectif(collectif, other_collectif, member):
    groupe = GroupeFactory(collectif=collectif)
    action = ActionFactory(collectif=collectif)
    document = document_in(collectif)
    assert thread_open(collectif, member, groupe=groupe).subject == groupe
    assert thread_open(collectif, member, action=action).subject_kind == "action"
    assert thread_open(collectif, member, document=document).subject == document
    with pytest.raises(ValidationError):
        thread_open(collectif, member, groupe=groupe, action=action)
    with pytest.raises(ValidationError):
        thread_open(collectif, member, action=ActionFactory(collectif=other_collectif))


def test_guests_and_former_members_do_not_write(collectif, member, guest, coordinator):
    thread = thread_open(collectif, coordinator)
    with pytest.raises(ValidationError):
        post(thread, guest)
    Membership.objects.filter(user=member).update(left_on="2025-01-01")
    with pytest.raises(ValidationError):
        post(thread, member)
    assert thread.messages.count() == 1


def test_writing_follows_and_brings_back_someone_who_unfollowed(collectif, member, coordinator):
    thread = thread_open(collectif, coordinator)
    post(thread, member)
    assert _following(thread) == {coordinator.email, member.email}
    thread_unfollow(thread=thread, by=member)
    assert _following(thread) == {coordinator.email}
    post(thread, coordinator)  # someone else writing does not bring them back
    assert _following(thread) == {coordinator.email}
    post(thread, member)
    assert _following(thread) == {coordinator.email, member.email}


def test_a_mention_follows_even_after_an_unfollow(collectif, member, coordinator, guest):
    thread = thread_open(collectif, coordinator)
    thread_follow(thread=thread, by=member)
    thread_unfollow(thread=thread, by=member)
    assert _following(thread) == {coordinator.email}
    post(thread, coordinator, "<p>Merci @nadia haddad et @Amélie Fontaine, et @Personne Inconnue.</p>")
    assert _following(thread) == {coordinator.email, member.email, guest.email}
    assert Follow.objects.get(thread=thread, user=member).reason == Follow.Reason.MENTIONED


def test_a_mention_needs_the_whole_name_and_a_member_of_this_collectif(collectif, member, coordinator, other_member):
    thread = thread_open(collectif, coordinator)
    post(thread, coordinator, "<p>@Nadia a dit que… et nadia@exemple.org ; @Karim Benali aussi.</p>")
    assert _following(thread) == {coordinator.email}
    post(thread, coordinator, "<p>Écrire à@Nadia Haddad ne compte pas, @Nadia Haddadx non plus.</p>")
    assert _following(thread) == {coordinator.email}


def test_a_new_mention_in_an_edit_follows_without_mail(collectif, member, coordinator, mailoutbox):
    thread = thread_open(collectif, coordinator)
    message = thread.messages.get()
    message_edit(message=message, by=coordinator, body_html="<p>Quelles dates, @Nadia Haddad ?</p>")
    message.refresh_from_db()
    assert message.edited_at is not None
    assert _following(thread) == {coordinator.email, member.email}


def test_an_explicit_follow_and_unfollow(collectif, guest, coordinator):
    thread = thread_open(collectif, coordinator)
    thread_follow(thread=thread, by=guest)
    assert Follow.objects.get(thread=thread, user=guest).reason == Follow.Reason.CHOSE
    thread_unfollow(thread=thread, by=guest)
    thread_unfollow(thread=thread, by=guest)
    assert not Follow.objects.get(thread=thread, user=guest).active


HOSTILE = (
    '<p onclick="alert(1)">Bonjour</p><script>alert(2)</script><img src=x onerror=alert(3)>'
    '<a href="javascript:alert(4)">lien</a><a href="https://exemple.org" target="_blank">ok</a>'
    "<style>body{display:none}</style><iframe src=//x></iframe><b>gras</b>"
)


def test_hostile_html_is_sanitised_when_posted_and_edited(collectif, member):
    thread = thread_open(collectif, member, body=HOSTILE)
    message = thread.messages.get()
    for body in (message.body, message_edit(message=message, by=member, body_html=HOSTILE + "!").body):
        assert "<script" not in body and "onclick" not in body and "onerror" not in body and "<img" not in body
        assert "javascript:" not in body and "<style" not in body and "<iframe" not in body and "alert(2)" not in body
        assert '<a href="https://exemple.org" rel="noopener noreferrer nofollow">ok</a>' in body
        assert "<b>gras</b>" in body


def test_plain_text_keeps_its_paragraphs_and_an_empty_message_is_refused(collectif, member):
    thread = thread_open(collectif, member, body="Premier paragraphe\nsuite\n\nSecond")
    assert thread.messages.get().body == "<p>Premier paragraphe<br>suite</p><p>Second</p>"
    with pytest.raises(ValidationError):
        post(thread, member, "<p> </p><script>x</script>")


def test_the_same_email_reply_is_posted_once(collectif, member, coordinator):
    thread = thread_open(collectif, coordinator)
    first, created = message_post(
        thread=thread, by=member, body_html="Oui", source=Message.Source.EMAIL, email_message_id="<abc@mail>"
    )
    again, created_again = message_post(
        thread=thread, by=member, body_html="Oui", source=Message.Source.EMAIL, email_message_id="<abc@mail>"
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    thread.refresh_from_db()
    assert thread.message_count == 2
    assert first.source == Message.Source.EMAIL
    # Another thread may receive an e-mail with the same id (the constraint is per thread).
    other = thread_open(collectif, coordinator, title="Autre")
    assert message_post(thread=other, by=member, body_html="Oui", email_message_id="<abc@mail>")[1] is True


def test_unread_counts_leave_out_ones_own_messages_and_follow_the_read_mark(collectif, member, coordinator):
    thread = thread_open(collectif, coordinator)
    quiet = thread_open(collectif, coordinator, title="Calme")
    assert unread_counts(user=member, threads=[thread, quiet]) == {thread.pk: 1, quiet.pk: 1}
    assert unread_counts(user=coordinator, threads=[thread, quiet]) == {}
    second = post(thread, coordinator, "<p>Relance</p>")
    thread_mark_read(thread=quiet, by=member, up_to=quiet.last_message_at)
    assert unread_counts(user=member, threads=[thread, quiet]) == {thread.pk: 2}
    post(thread, member, "<p>Réponse</p>")  # writing marks the thread read for its author
    assert unread_counts(user=member, threads=[thread]) == {}
    # The mark never moves back.
    thread_mark_read(thread=thread, by=member, up_to=second.created_at)
    assert ReadMark.objects.get(thread=thread, user=member).read_at > second.created_at
    annotated = {t.pk: t.unread for t in Thread.objects.with_reading(coordinator)}
    assert annotated == {thread.pk: 1, quiet.pk: 0}
