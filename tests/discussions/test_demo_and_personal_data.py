"""The demo's discussions (seed 000, loaded once), and what discussions gives to the export and the erasure of a
person's data."""

import io
import json

import pytest
from django.urls import reverse

from actions import demo as actions_demo
from discussions import demo
from discussions.models import Follow, Message, Thread
from membres import demo as membres_demo
from reunions import demo as reunions_demo
from tests.discussions.factories import post, thread_open

pytestmark = pytest.mark.django_db


def test_demo_loads_two_threads_with_replies_once_one_answered_by_email(db):
    membres_demo.load(io.StringIO())
    reunions_demo.load(io.StringIO())
    actions_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    threads = list(Thread.objects.order_by("pk"))
    assert len(threads) == 2
    assert threads[0].groupe.name == "Accueil des collégiens exclus"
    assert threads[1].action.title == "Café des parents au collège Servenoble"
    assert all(t.message_count == t.messages.count() > 2 for t in threads)
    assert Message.objects.filter(source=Message.Source.EMAIL).count() == 1
    # The coordination follows the action's thread and has not read its latest answers.
    coordination = Follow.objects.get(thread=threads[1], user__email="coordination@exemple.org")
    assert coordination.active
    assert Thread.objects.filter(pk=threads[1].pk).with_reading(coordination.user).get().unread == 2


def test_the_export_lists_messages_threads_and_follows(member_client, member, collectif, coordinator):
    thread = thread_open(collectif, member, title="Forum des métiers", body="<p>Quelles <b>entreprises</b> ?</p>")
    post(thread, coordinator)
    data = json.loads(member_client.get(reverse("membres:profil_export")).content)
    assert data["discussions_ouvertes"][0]["sujet"] == "Forum des métiers"
    assert data["messages_de_discussion"][0]["texte"] == "Quelles entreprises ?"
    assert data["discussions_suivies"][0]["suit"] is True
    assert data["preferences_de_notification"]["discussions"] == "à chaque nouveau message"


def test_erasing_an_account_keeps_its_messages_unsigned_and_forgets_its_mentions(
    member_client, member, collectif, coordinator
):
    thread = thread_open(collectif, coordinator, body="<p>Merci @Nadia Haddad et @nadia   haddad !</p>")
    post(thread, member, "<p>Avec plaisir.</p>")
    assert member_client.post(reverse("membres:profil_delete"), {"email": member.email}).status_code == 302
    bodies = list(thread.messages.order_by("pk").values_list("body", flat=True))
    assert bodies[0] == "<p>Merci @ancien membre et @ancien membre !</p>"
    assert thread.messages.get(body="<p>Avec plaisir.</p>").author is None
    assert not Follow.objects.filter(thread=thread).exclude(user=coordinator).exists()
