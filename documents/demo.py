"""Demo documents of the Villefontaine collectif (seeds 000 and 003): the references folder with the charte and a
répertoire des structures, and the folder of the groupe de tâches « Accueil des collégiens exclus » with its draft
protocol in two versions, flagged « à discuter en plénière ».

The files are small real OpenDocument files made here (odfpy). They speak of the collective's work only: no pupil
nor family. Idempotent: every document is found again by (collectif, folder, title).
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile

from collectifs.models import Collectif
from core.exports import to_ods
from documents import services
from documents.models import Document
from membres.models import Membership
from reunions.models import GroupeDeTaches

CHARTE = (
    "Charte du collectif persévérance scolaire de Villefontaine",
    [
        "Le collectif réunit les principaux des trois collèges, leurs adjoints et CPE, les assistantes sociales et "
        "infirmières scolaires, les directeurs et animateurs des maisons de quartier, les éducateurs de prévention, "
        "les bénévoles de l'association ESA, la coordinatrice et la référente de la Réussite éducative, l'IEN, le "
        "chargé de mission politique de la ville de la DSDEN et la direction des services à la population.",
        "Il se réunit en plénière trois à quatre fois par an autour d'un thème commun. Entre ces temps, des groupes "
        "de tâches préparent les dossiers : demandes de financement, documents à discuter collectivement, collecte "
        "d'informations.",
        "Chaque partenaire s'engage à partager ce qui sert le travail commun, à respecter la parole de chacun et à "
        "ne jamais nommer un élève ou une famille dans les documents du collectif : les situations individuelles "
        "relèvent du secret partagé et ne passent pas par cette plateforme.",
        "Les actions sont pensées ensemble et souvent portées par un partenaire ; le collectif en suit l'avancée "
        "en plénière.",
    ],
)

PROTOCOLE_V1 = (
    "Projet de protocole d'accueil des collégiens exclus temporairement",
    [
        "Objet : proposer à chaque collégien exclu temporairement un accueil en journée, pour que l'exclusion ne "
        "devienne pas une rupture avec l'école.",
        "1. Le collège informe la coordinatrice de la Réussite éducative de l'exclusion et de sa durée.",
        "2. Un entretien d'accueil réunit le CPE, l'élève et sa famille avant le premier jour.",
        "3. L'accueil a lieu le matin dans une maison de quartier ; le travail scolaire est fourni par le collège.",
        "Questions ouvertes : qui assure le lien avec les enseignants ? Combien d'élèves par maison de quartier ?",
    ],
)

PROTOCOLE_V2 = (
    "Projet de protocole d'accueil des collégiens exclus temporairement",
    [
        *PROTOCOLE_V1[1][:4],
        "4. Les maisons de quartier désignent un animateur référent par site ; l'éducateur de prévention rencontre "
        "l'élève au moins une fois pendant l'exclusion.",
        "5. Au retour, un entretien réunit le CPE, l'élève et sa famille ; le collège fait un point au bout d'un "
        "mois.",
        "Pour la plénière : valider le circuit d'information, le rôle de chacun, et les trois sites d'accueil.",
    ],
)


def odt(title: str, paragraphs: list[str]) -> bytes:
    """A small OpenDocument text: a heading and its paragraphs."""
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text=title))
    for paragraph in paragraphs:
        doc.text.addElement(P(text=paragraph))
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def _repertoire(collectif) -> bytes:
    """The structures of the collectif's members, as the Essonne cycle's shared « répertoire » (seed 003)."""
    rows = {}
    memberships = Membership.objects.active().filter(collectif=collectif).select_related("institution__territoire")
    for m in memberships.order_by("institution__name"):
        institution = m.institution
        if institution is None:
            continue
        entry = rows.setdefault(
            institution.pk, [institution.name, institution.get_kind_display(), str(institution.territoire or ""), []]
        )
        if m.function and m.function not in entry[3]:
            entry[3].append(m.function)
    table = [[name, kind, territory, ", ".join(functions)] for name, kind, territory, functions in rows.values()]
    return to_ods(table, ["Structure", "Type", "Territoire", "Fonctions présentes au collectif"], "Répertoire")


def _document(collectif, folder, title: str, *, name: str, content: bytes, note: str, by) -> tuple[Document, bool]:
    found = Document.objects.filter(collectif=collectif, folder=folder, title=title).first()
    if found is not None:
        return found, False
    upload = ContentFile(content, name=name)
    return services.document_create(
        collectif=collectif, folder=folder, title=title, upload=upload, note=note, by=by
    ), True


def load(stdout) -> None:
    collectif = Collectif.objects.filter(slug="villefontaine").first()
    if collectif is None:
        return
    writers = [
        m
        for m in Membership.objects.active()
        .filter(collectif=collectif, user__isnull=False)
        .select_related("user")
        .order_by("pk")
        if m.can_write
    ]
    coordinator = next((m.user for m in writers if m.is_coordinator), None)
    if coordinator is None:
        return
    members = [m.user for m in writers if not m.is_coordinator] or [coordinator]

    references = services.folder_for_references(collectif=collectif)
    _document(
        collectif,
        references,
        "Charte du collectif",
        name="charte-collectif-villefontaine.odt",
        content=odt(*CHARTE),
        note="Version adoptée en plénière",
        by=coordinator,
    )
    _document(
        collectif,
        references,
        "Répertoire des structures",
        name="repertoire-des-structures.ods",
        content=_repertoire(collectif),
        note="Les structures des membres, leurs fonctions présentes au collectif",
        by=coordinator,
    )

    groupe = GroupeDeTaches.objects.filter(collectif=collectif, name="Accueil des collégiens exclus").first()
    if groupe is not None:
        pilot = groupe.pilot or members[0]
        folder = services.folder_for_groupe(groupe=groupe, by=pilot)
        document, created = _document(
            collectif,
            folder,
            "Projet de protocole d'accueil",
            name="protocole-accueil-v1.odt",
            content=odt(*PROTOCOLE_V1),
            note="Premier jet après la première séance",
            by=pilot,
        )
        if created:
            second = next((u for u in members if u != pilot), coordinator)
            services.document_version_add(
                document=document,
                upload=ContentFile(odt(*PROTOCOLE_V2), name="protocole-accueil-v2.odt"),
                note="Rôle des maisons de quartier et retour au collège ajoutés",
                by=second,
            )
            services.document_flag(document=document, to_discuss=True, by=pilot)
    stdout.write("  documents : références (charte, répertoire), dossier du groupe de tâches, projet à discuter")
