from fiches_experience.models import FicheProposal
from tests.access import CRPV_EDITORS, PUBLIC, Case, expect
from tests.fiches_experience.factories import FicheFactory
from tests.membres.factories import UserFactory

# Not public: the fiche exists but only editors see it.
HIDDEN = expect(anonymous=404, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404)
# A change by POST: editors are redirected back to the fiche, the others refused.
EDITORS_POST = expect(anonymous=302, guest=403, member=403, coordinator=403, other=403, crpv=302, superuser=302)
# A fiche drafted from a restitution or a cycle (restitutions' world): the coordination and CRPV editors ask for it
# (redirected to the fiche or back to the page), members and guests are refused, another collectif does not exist.
DRAFT_FROM_RESTITUTIONS = expect(
    anonymous=302, guest=403, member=403, coordinator=302, other=404, crpv=302, superuser=302
)
FOREIGN_POST = expect(anonymous=302, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404)


def extend_world(world):
    author = UserFactory(email="auteur-fiches@exemple.org", crpv_editor=True)
    world.fiche = FicheFactory(published=True, title="Fiche publiée du monde", author=author)
    world.draft = FicheFactory(title="Brouillon du monde", author=author)
    world.in_review = FicheFactory(in_review=True, title="Fiche en relecture du monde", author=author)
    world.archived = FicheFactory(archived=True, title="Fiche archivée du monde", author=author)
    # A version an import proposed for the published fiche (by the command: any editor may publish it).
    world.proposal = FicheProposal.objects.create(
        fiche=world.fiche, sections=[{"key": "contact", "heading": "Contact", "html": "<p>Nouveau contact</p>"}]
    )


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


def _proposal(w):
    return {"pk": w.fiche.pk, "proposal_pk": w.proposal.pk}


CASES = [
    Case("fiches_experience:catalogue", PUBLIC),
    Case("fiches_experience:catalogue", PUBLIC, query="?q=decrochage&gabarit=court", note="(recherche)"),
    Case("fiches_experience:feed", PUBLIC),
    Case("fiches_experience:export_json", PUBLIC),
    Case("fiches_experience:export_csv", PUBLIC),
    Case("fiches_experience:detail", PUBLIC, kwargs=lambda w: {"slug": w.fiche.slug}),
    Case("fiches_experience:pdf", PUBLIC, kwargs=lambda w: {"slug": w.fiche.slug}),
    Case("fiches_experience:detail", HIDDEN, kwargs=lambda w: {"slug": w.draft.slug}, note="(brouillon)"),
    Case("fiches_experience:detail", HIDDEN, kwargs=lambda w: {"slug": w.in_review.slug}, note="(en relecture)"),
    Case("fiches_experience:detail", HIDDEN, kwargs=lambda w: {"slug": w.archived.slug}, note="(archivée)"),
    Case("fiches_experience:pdf", HIDDEN, kwargs=lambda w: {"slug": w.draft.slug}, note="(brouillon)"),
    Case("fiches_experience:editor_list", CRPV_EDITORS),
    Case("fiches_experience:create", CRPV_EDITORS),
    Case("fiches_experience:import", CRPV_EDITORS),
    Case("fiches_experience:edit", CRPV_EDITORS, kwargs=_pk("draft")),
    Case("fiches_experience:preview", CRPV_EDITORS, kwargs=_pk("draft")),
    Case(
        "fiches_experience:section_edit",
        CRPV_EDITORS,
        kwargs=lambda w: {"pk": w.draft.pk, "key": "idee_de_depart"},
    ),
    Case("fiches_experience:versions", CRPV_EDITORS, kwargs=_pk("draft")),
    Case("fiches_experience:version_diff", CRPV_EDITORS, kwargs=lambda w: {"pk": w.draft.pk, "number": 1}),
    Case("fiches_experience:submit", EDITORS_POST, kwargs=_pk("draft"), method="post"),
    Case("fiches_experience:publish", EDITORS_POST, kwargs=_pk("in_review"), method="post"),
    Case("fiches_experience:return_to_draft", EDITORS_POST, kwargs=_pk("in_review"), method="post"),
    Case("fiches_experience:mark_reviewed", EDITORS_POST, kwargs=_pk("fiche"), method="post"),
    Case("fiches_experience:archive", CRPV_EDITORS, kwargs=_pk("fiche"), note="(confirmation)"),
    Case("fiches_experience:archive", EDITORS_POST, kwargs=_pk("fiche"), method="post"),
    Case("fiches_experience:proposal_publish", EDITORS_POST, kwargs=_proposal, method="post"),
    Case("fiches_experience:proposal_reject", EDITORS_POST, kwargs=_proposal, method="post"),
    Case(
        "fiches_experience:from_restitution",
        DRAFT_FROM_RESTITUTIONS,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "pk": w.restitution.pk},
        method="post",
    ),
    Case(
        "fiches_experience:from_restitution",
        FOREIGN_POST,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "pk": w.foreign.pk},
        method="post",
        note="d'un autre collectif",
    ),
    Case(
        "fiches_experience:from_cycle",
        DRAFT_FROM_RESTITUTIONS,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "pk": w.cycle.pk},
        method="post",
    ),
]
