from django.core.files.base import ContentFile

from tests.access import COORDINATORS, MEMBERS_READ, MEMBERS_WRITE, Case, expect
from tests.actions.factories import ActionFactory, DecisionFactory, JournalEntryFactory, ReunionFactory

# A POST that succeeds redirects (302) back to the action.
MEMBERS_POST = expect(anonymous=302, guest=403, member=302, coordinator=302, other=404, crpv=404, superuser=302)
COORDINATORS_POST = expect(anonymous=302, guest=403, member=403, coordinator=302, other=404, crpv=404, superuser=302)
NOBODY_THROUGH_THIS_COLLECTIF = expect(
    anonymous=302, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404
)


def extend_world(world):
    c = world.collectif
    # No referent: the member is neither referent nor author, so editing is the coordinators' (403 for members).
    world.action = ActionFactory(collectif=c, title="Café des parents")
    world.entry = JournalEntryFactory(action=world.action, author=world.users["coordinator"])
    world.entry.attachment_name = "compte-rendu.pdf"
    world.entry.attachment.save("compte-rendu.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    world.action_decision = DecisionFactory(reunion=ReunionFactory(collectif=c))
    world.other_action = ActionFactory(collectif=world.other_collectif)
    world.done_action = ActionFactory(collectif=c, title="Stage d'établissement", done=True)
    world.other_decision = DecisionFactory(reunion=ReunionFactory(collectif=world.other_collectif))


def _c(w):
    return {"collectif_slug": w.collectif.slug}


def _a(w):
    return {"collectif_slug": w.collectif.slug, "pk": w.action.pk}


def _e(w):
    return {"collectif_slug": w.collectif.slug, "pk": w.action.pk, "entry_pk": w.entry.pk}


CASES = [
    Case(
        "actions:capitalise",
        COORDINATORS_POST,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "pk": w.done_action.pk},
        method="post",
    ),
    Case(
        "actions:capitalise",
        expect(anonymous=302, guest=405, member=405, coordinator=405, other=405, crpv=405, superuser=405),
        kwargs=_a,
        note="(GET refusé)",
    ),
    Case("actions:list", MEMBERS_READ, kwargs=_c),
    Case("actions:list", MEMBERS_READ, kwargs=_c, query="?status=idee&q=caf", note="(filtrée)"),
    Case("actions:export_csv", MEMBERS_READ, kwargs=_c),
    Case("actions:export_ods", MEMBERS_READ, kwargs=_c),
    Case("actions:create", MEMBERS_WRITE, kwargs=_c),
    Case(
        "actions:create",
        MEMBERS_POST,
        kwargs=_c,
        method="post",
        data=lambda w: {"title": "Nouvelle action", "status": "idee"},
    ),
    Case(
        "actions:create_from_decision",
        MEMBERS_WRITE,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "decision_pk": w.action_decision.pk},
    ),
    Case(
        "actions:create_from_decision",
        expect(anonymous=302, guest=403, member=404, coordinator=404, other=404, crpv=404, superuser=404),
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "decision_pk": w.other_decision.pk},
        note="(décision d'un autre collectif)",
    ),
    Case("actions:detail", MEMBERS_READ, kwargs=_a),
    Case(
        "actions:detail",
        expect(anonymous=302, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404),
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "pk": w.other_action.pk},
        note="(action d'un autre collectif)",
    ),
    Case("actions:edit", COORDINATORS, kwargs=_a),
    Case(
        "actions:change_status",
        COORDINATORS_POST,
        kwargs=_a,
        method="post",
        data=lambda w: {"status": "preparation"},
    ),
    Case(
        "actions:journal_add",
        MEMBERS_POST,
        kwargs=_a,
        method="post",
        data=lambda w: {"kind": "note", "date": "2025-03-01", "text": "Réunion de lancement tenue."},
    ),
    Case("actions:journal_edit", COORDINATORS, kwargs=_e, note="(entrée de la coordinatrice)"),
    Case("actions:journal_attachment", MEMBERS_READ, kwargs=_e),
    Case("actions:indicateurs", MEMBERS_READ, kwargs=_c),
    Case("actions:indicateurs", MEMBERS_READ, kwargs=_c, query="?annee=2023-2024", note="(année choisie)"),
    Case("actions:indicateurs_csv", MEMBERS_READ, kwargs=_c),
]
