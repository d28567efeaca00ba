"""Access cases of every URL of discussions (see tests/access.py). Guests read, follow and unfollow; members and
coordinators write; another collectif's thread or subject answers 404."""

from config.urls import INBOUND_PROVIDERS
from tests.access import MEMBERS_READ, MEMBERS_WRITE, Case, expect
from tests.actions.factories import ActionFactory
from tests.discussions.factories import document_in, post, thread_open
from tests.reunions.factories import GroupeFactory

# A POST that succeeds redirects (302) back to the thread.
MEMBERS_POST = expect(anonymous=302, guest=403, member=302, coordinator=302, other=404, crpv=404, superuser=302)
READERS_POST = expect(anonymous=302, guest=302, member=302, coordinator=302, other=404, crpv=404, superuser=302)
GET_REFUSED = expect(anonymous=302, guest=405, member=405, coordinator=405, other=405, crpv=405, superuser=405)
NOT_IN_THIS_COLLECTIF = expect(
    anonymous=302, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404
)
# need=WRITE is checked before the subject is fetched: a guest is refused (403) before learning anything.
OTHER_SUBJECT = expect(anonymous=302, guest=403, member=404, coordinator=404, other=404, crpv=404, superuser=404)
# The member's own message: its author and the coordination amend it.
AUTHOR_OR_COORDINATION = expect(
    anonymous=302, guest=403, member=200, coordinator=200, other=404, crpv=404, superuser=200
)


def extend_world(w):
    c = w.collectif
    w.discussion_groupe = GroupeFactory(collectif=c, name="Groupe accueil (discussions)")
    w.discussion_action = ActionFactory(collectif=c, title="Café des parents (discussions)")
    w.discussion_document = document_in(c, folder_name="Dossier des discussions")
    w.discussion_thread = thread_open(c, w.users["coordinator"], title="Dates des séances")
    w.discussion_message = post(w.discussion_thread, w.users["member"])
    w.discussion_other_thread = thread_open(w.other_collectif, w.users["other"], title="Autre collectif")
    w.discussion_other_action = ActionFactory(collectif=w.other_collectif, title="Action d'ailleurs")


def _c(w):
    return {"collectif_slug": w.collectif.slug}


def _on(w, kind, subject):
    return {"collectif_slug": w.collectif.slug, "kind": kind, "subject_pk": subject.pk}


def _t(w):
    return {"collectif_slug": w.collectif.slug, "pk": w.discussion_thread.pk}


CASES = [
    Case("discussions:list", MEMBERS_READ, kwargs=_c),
    Case("discussions:list", MEMBERS_READ, kwargs=_c, query="?afficher=suivies&sujet=groupe", note="(filtrée)"),
    Case("discussions:create", MEMBERS_WRITE, kwargs=_c),
    Case(
        "discussions:create_on",
        MEMBERS_WRITE,
        kwargs=lambda w: _on(w, "groupe", w.discussion_groupe),
        note="(sur un groupe)",
    ),
    Case(
        "discussions:create_on",
        MEMBERS_WRITE,
        kwargs=lambda w: _on(w, "action", w.discussion_action),
        note="(sur une action)",
    ),
    Case(
        "discussions:create_on",
        MEMBERS_WRITE,
        kwargs=lambda w: _on(w, "document", w.discussion_document),
        note="(sur un document)",
    ),
    Case(
        "discussions:create_on",
        OTHER_SUBJECT,
        kwargs=lambda w: _on(w, "action", w.discussion_other_action),
        note="(action d'un autre collectif)",
    ),
    Case(
        "discussions:create_on",
        MEMBERS_POST,
        kwargs=lambda w: _on(w, "groupe", w.discussion_groupe),
        method="post",
        data=lambda w: {"title": "Séance de jeudi", "body": "Qui apporte les chiffres ?"},
        note="(sur un groupe)",
    ),
    Case(
        "discussions:create",
        MEMBERS_POST,
        kwargs=_c,
        method="post",
        data=lambda w: {"title": "Une question", "body": "Qui vient jeudi ?"},
    ),
    Case("discussions:thread", MEMBERS_READ, kwargs=_t),
    Case(
        "discussions:thread",
        NOT_IN_THIS_COLLECTIF,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "pk": w.discussion_other_thread.pk},
        note="(discussion d'un autre collectif)",
    ),
    Case("discussions:reply", GET_REFUSED, kwargs=_t, note="(GET refusé)"),
    Case("discussions:reply", MEMBERS_POST, kwargs=_t, method="post", data=lambda w: {"body": "<p>D'accord.</p>"}),
    Case("discussions:follow", READERS_POST, kwargs=_t, method="post"),
    Case("discussions:unfollow", READERS_POST, kwargs=_t, method="post"),
    Case(
        "discussions:message_edit",
        AUTHOR_OR_COORDINATION,
        kwargs=lambda w: {
            "collectif_slug": w.collectif.slug,
            "pk": w.discussion_thread.pk,
            "message_pk": w.discussion_message.pk,
        },
        note="(message de la membre)",
    ),
]


# Replies by e-mail through a provider (config/urls.py): anymail's inbound webhooks answer nobody without the
# webhook's basic auth, whatever their session; GET is not a method they take. The posts themselves are tested in
# tests/discussions/test_inbound_webhook.py.
NO_SECRET = expect(anonymous=400, guest=400, member=400, coordinator=400, other=400, crpv=400, superuser=400)
NO_GET = expect(anonymous=405, guest=405, member=405, coordinator=405, other=405, crpv=405, superuser=405)
INBOUND_WEBHOOKS = sorted(f"{provider}_inbound_webhook" for provider in INBOUND_PROVIDERS)

CASES += [
    *(Case(f"anymail:{name}", NO_SECRET, method="post", note="sans secret") for name in INBOUND_WEBHOOKS),
    *(Case(f"anymail:{name}", NO_GET, note="GET") for name in INBOUND_WEBHOOKS),
]
