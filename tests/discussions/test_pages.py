"""The pages of discussions through HTTP: list with unread markers and filters, thread page (read on view,
follow, reply, edit), new threads from a groupe, an action or a document, the sections on the groupe and action
pages, the collectif's home panel, and a thread of 300 messages in as many queries as one of 3."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discussions.models import Follow, Message, ReadMark, Thread
from discussions.panels import document_threads_html
from discussions.services.follows import thread_follow
from tests.actions.factories import ActionFactory
from tests.discussions.factories import document_in, post, thread_open
from tests.helpers import collectif_url
from tests.reunions.factories import GroupeFactory

pytestmark = pytest.mark.django_db


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_marks_what_each_person_has_not_read(
    collectif, coordinator, member, member_client, coordinator_client
):
    read = thread_open(collectif, member, title="Sujet déjà lu")
    fresh = thread_open(collectif, coordinator, title="Sujet tout neuf")
    post(fresh, coordinator, "<p>Et une relance.</p>")
    html = _page(member_client, collectif_url(collectif, "discussions:list"))
    assert "2 discussions" in html
    assert "Sujet tout neuf" in html and "2 non lus" in html
    assert html.index("Sujet tout neuf") < html.index("Sujet déjà lu")  # most recently active first
    # The coordinator has read both of theirs but not the member's.
    html = _page(coordinator_client, collectif_url(collectif, "discussions:list"))
    assert "1 non lu" in html and "2 non lus" not in html
    assert read.get_absolute_url() in html


def test_the_list_filters_followed_unread_and_subject(collectif, coordinator, member, member_client):
    groupe = GroupeFactory(collectif=collectif, name="Accueil des exclus")
    mine = thread_open(collectif, member, title="Ma question")
    on_groupe = thread_open(collectif, coordinator, title="Séance de jeudi", groupe=groupe)
    url = collectif_url(collectif, "discussions:list")
    html = _page(member_client, url, afficher="suivies")
    assert mine.title in html and on_groupe.title not in html
    html = _page(member_client, url, afficher="non-lues")
    assert mine.title not in html and on_groupe.title in html
    html = _page(member_client, url, sujet="groupe")
    assert mine.title not in html and on_groupe.title in html and "Groupe de tâches « Accueil des exclus »" in html
    html = _page(member_client, url, sujet="document")
    assert "Aucune discussion ne correspond" in html


def test_an_empty_list_says_what_to_do(collectif, member_client, guest_client):
    url = collectif_url(collectif, "discussions:list")
    assert "Posez la première question" in _page(member_client, url)
    html = _page(guest_client, url)
    assert "Aucune discussion pour l'instant." in html and "Nouvelle discussion" not in html


def test_viewing_a_thread_marks_it_read_and_shows_what_was_new(collectif, coordinator, member, member_client):
    thread = thread_open(collectif, coordinator, title="Fiche de liaison")
    html = _page(member_client, thread.get_absolute_url())
    assert "Nouveau" in html and "Quelles dates vous conviennent ?" in html
    assert ReadMark.objects.get(thread=thread, user=member).read_at == thread.last_message_at
    html = _page(member_client, thread.get_absolute_url())
    assert "Nouveau" not in html
    assert "N'y nommez aucun élève ni aucune famille" in html


def test_follow_and_unfollow_from_the_thread_page(collectif, coordinator, guest, guest_client):
    thread = thread_open(collectif, coordinator)
    html = _page(guest_client, thread.get_absolute_url())
    assert "Suivre la discussion" in html and "Répondre" not in html
    assert "seuls les membres du collectif y écrivent" in html
    response = guest_client.post(collectif_url(collectif, "discussions:follow", pk=thread.pk))
    assert response.status_code == 302 and response["Location"].endswith("#suivi")
    assert Follow.objects.get(thread=thread, user=guest).active
    assert "Ne plus suivre" in _page(guest_client, thread.get_absolute_url())
    guest_client.post(collectif_url(collectif, "discussions:unfollow", pk=thread.pk))
    html = _page(guest_client, thread.get_absolute_url())
    assert "Vous ne suivez plus cette discussion" in html


def test_a_member_replies_and_mentions_by_ticking_a_name(collectif, coordinator, member, member_client, guest):
    thread = thread_open(collectif, coordinator)
    response = member_client.post(
        collectif_url(collectif, "discussions:reply", pk=thread.pk),
        {"body": "Jeudi me va.\n\nJ'apporte les chiffres.", "mentions": [str(guest.pk)]},
    )
    message = Message.objects.filter(thread=thread, author=member).get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?page=last#message-{message.pk}")
    assert message.body == "<p>Jeudi me va.</p><p>J'apporte les chiffres.</p><p>@Amélie Fontaine</p>"
    assert Follow.objects.get(thread=thread, user=guest).reason == Follow.Reason.MENTIONED
    html = _page(member_client, response["Location"].split("#")[0])
    assert "J&#x27;apporte les chiffres." in html or "J'apporte les chiffres." in html


def test_an_empty_reply_shows_the_thread_again_with_the_error(collectif, coordinator, member_client):
    thread = thread_open(collectif, coordinator)
    response = member_client.post(collectif_url(collectif, "discussions:reply", pk=thread.pk), {"body": "<p> </p>"})
    assert response.status_code == 400
    assert "Le message est vide." in response.content.decode()
    assert thread.messages.count() == 1


def test_the_author_edits_a_message_others_cannot(collectif, coordinator, member, member_client, coordinator_client):
    thread = thread_open(collectif, coordinator)
    mine = post(thread, member, "<p>Jeudi.</p>")
    url = collectif_url(collectif, "discussions:message_edit", pk=thread.pk, message_pk=mine.pk)
    response = member_client.post(url, {"body": "<p>Vendredi plutôt.</p>"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.body == "<p>Vendredi plutôt.</p>" and mine.edited_at
    theirs = thread.messages.get(author=coordinator)
    url = collectif_url(collectif, "discussions:message_edit", pk=thread.pk, message_pk=theirs.pk)
    assert member_client.get(url).status_code == 403
    # The coordination amends any message (a pupil's name that should not be there).
    assert (
        coordinator_client.get(
            collectif_url(collectif, "discussions:message_edit", pk=thread.pk, message_pk=mine.pk)
        ).status_code
        == 200
    )


def test_a_thread_of_another_collectif_is_not_found(collectif, other_collectif, other_member, member_client):
    theirs = thread_open(other_collectif, other_member)
    assert member_client.get(collectif_url(collectif, "discussions:thread", pk=theirs.pk)).status_code == 404
    url = collectif_url(collectif, "discussions:reply", pk=theirs.pk)
    assert member_client.post(url, {"body": "Bonjour"}).status_code == 404
    assert theirs.messages.count() == 1


def test_a_thread_opened_from_a_groupe_page_is_listed_on_it(collectif, member, member_client):
    groupe = GroupeFactory(collectif=collectif, name="Accueil des exclus")
    groupe_url = collectif_url(collectif, "reunions:groupe_detail", groupe_pk=groupe.pk)
    html = _page(member_client, groupe_url)
    assert "Discussions du groupe" in html and "Aucune discussion sur ce groupe." in html
    create = collectif_url(collectif, "discussions:create_on", kind="groupe", subject_pk=groupe.pk)
    assert create in html
    form = _page(member_client, create)
    assert "Sur le groupe de tâches « Accueil des exclus »" in form
    assert "N'y nommez aucun élève ni aucune famille" in form
    response = member_client.post(create, {"title": "Séance de jeudi", "body": "Qui apporte les chiffres ?"})
    thread = Thread.objects.get()
    assert response.status_code == 302 and thread.groupe == groupe
    assert "Séance de jeudi" in _page(member_client, groupe_url)


def test_another_collectifs_subject_cannot_be_discussed(collectif, other_collectif, member_client):
    action = ActionFactory(collectif=other_collectif)
    url = collectif_url(collectif, "discussions:create_on", kind="action", subject_pk=action.pk)
    assert member_client.get(url).status_code == 404
    assert (
        member_client.get(collectif_url(collectif, "discussions:create") + f"?action={action.pk}").status_code == 404
    )
    url = collectif_url(collectif, "discussions:create_on", kind="reunion", subject_pk=action.pk)
    assert member_client.get(url).status_code == 404


def test_the_action_page_opens_then_shows_its_discussion(collectif, coordinator, member, member_client, guest_client):
    action = ActionFactory(collectif=collectif, title="Café des parents")
    action_url = collectif_url(collectif, "actions:detail", pk=action.pk)
    html = _page(member_client, action_url)
    assert "Discussion sur l'action" in html and "Personne n'a encore ouvert de discussion" in html
    assert "À propos de « Café des parents »" in html  # the title offered
    create = collectif_url(collectif, "discussions:create_on", kind="action", subject_pk=action.pk)
    back = action_url + "#discussion"
    response = member_client.post(
        create, {"title": "Date de la deuxième rencontre", "body": "Un mardi ?", "retour": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    thread = Thread.objects.get(action=action)
    # Only a path of this site is followed back.
    reply = collectif_url(collectif, "discussions:reply", pk=thread.pk)
    response = member_client.post(reply, {"body": "Ou jeudi.", "retour": "https://ailleurs.exemple.com/"})
    assert response["Location"].startswith(thread.get_absolute_url())
    for i in range(4):
        post(thread, coordinator, f"<p>Réponse {i}</p>")
    html = _page(member_client, action_url)
    assert "Date de la deuxième rencontre" in html and "4 non lus" in html  # their own reply is read
    assert "Réponse 3" in html and "Réponse 0" not in html  # the three latest
    assert collectif_url(collectif, "discussions:reply", pk=thread.pk) in html
    html = _page(guest_client, action_url)
    assert "Réponse 3" in html and collectif_url(collectif, "discussions:reply", pk=thread.pk) not in html


def test_the_document_section_lists_its_threads(rf, collectif, member):
    from collectifs.access import load_collectif_access

    document = document_in(collectif, title="Projet de protocole")
    thread_open(collectif, member, title="Relecture du protocole", document=document)
    request = rf.get("/")
    request.user = member
    request.access = load_collectif_access(member, collectif.slug)
    html = document_threads_html(request, document)
    assert "Discussions sur ce document" in html and "Relecture du protocole" in html
    assert f"/nouvelle/sur/document/{document.pk}/" in html


def test_the_home_panel_shows_unread_threads_first(collectif, coordinator, member, member_client):
    unread = thread_open(collectif, coordinator, title="Question de la coordination")
    thread_open(collectif, member, title="Ma propre question")
    html = _page(member_client, collectif_url(collectif, "collectifs:detail"))
    assert "Discussions actives" in html and "1 non lu" in html
    assert html.index(unread.title) < html.index("Ma propre question")


def test_the_profile_offers_the_discussions_preference(member_client, member):
    html = _page(member_client, "/profil/")
    assert "Nouveaux messages des discussions que je suis, par e-mail" in html
    assert "un résumé par jour" in html and "jamais (je consulte le site)" in html


def _thread_with(collectif, author, n: int) -> Thread:
    thread = thread_open(collectif, author, title=f"Discussion de {n} messages")
    start = timezone.now()
    Message.objects.bulk_create(
        [
            Message(
                thread=thread,
                author=author,
                body=f"<p>Message {i}</p>",
                created_at=start + timezone.timedelta(seconds=i),
            )
            for i in range(n - 1)
        ]
    )
    last = thread.messages.order_by("-created_at").first()
    Thread.objects.filter(pk=thread.pk).update(message_count=n, last_message_at=last.created_at)
    return Thread.objects.get(pk=thread.pk)


def test_a_thread_of_300_messages_takes_as_many_queries_as_one_of_3(collectif, coordinator, member, member_client):
    small, big = _thread_with(collectif, coordinator, 3), _thread_with(collectif, coordinator, 300)
    for thread in (small, big):
        thread_follow(thread=thread, by=member)
        # The member read the first message: the page opened is the one of the first unread message.
        ReadMark.objects.create(
            thread=thread, user=member, read_at=thread.messages.order_by("created_at").first().created_at
        )
    member_client.get(collectif_url(collectif, "collectifs:detail"))  # the signed-in user's cache is warm
    counts = {}
    for thread in (small, big):
        with CaptureQueriesContext(connection) as queries:
            response = member_client.get(thread.get_absolute_url())
        assert response.status_code == 200
        counts[thread.message_count] = len(queries)
    assert counts[3] == counts[300], counts
    assert counts[300] <= 11, counts
    html = response.content.decode()
    assert "Page 1 sur 6" in html and "Message 48" in html and "Message 49" not in html
    assert ReadMark.objects.get(thread=big, user=member).read_at < big.last_message_at  # only what was shown
