"""Every change to a fiche goes through these functions: each one records a version and refreshes the search index."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.html import sanitize_html
from fiches_experience import permissions
from fiches_experience.models import GABARIT_SECTIONS, FicheExperience, FicheSection, FicheVersion, Gabarit, Statut
from fiches_experience.text import html_to_text, normalize

logger = logging.getLogger(__name__)

# A published fiche is due for review a year later, so that what the catalogue says does not rot.
REVIEW_AFTER = timedelta(days=365)
# Words used by the catalogue's own URLs under /fiches/: never a fiche's slug.
RESERVED_SLUGS = {"edition", "flux", "export", "import", "recherche"}
META_FIELDS = ("gabarit", "title", "public_cible", "structure_porteuse", "annees", "licence", "source_action_id")


# --- Reads used by the services ------------------------------------------------------------------------------


def fiche_snapshot(fiche: FicheExperience) -> dict:
    """The fiche as JSON: what a version stores and what two versions are compared on."""
    return {
        **{name: getattr(fiche, name) for name in META_FIELDS},
        "status": fiche.status,
        "territoire": str(fiche.territoire) if fiche.territoire_id else "",
        "collectif": str(fiche.collectif) if fiche.collectif_id else "",
        "themes": sorted(t.name for t in fiche.themes.all()),
        "dispositifs": sorted(str(d) for d in fiche.dispositifs.all()),
        "sections": [
            {"key": s.key, "heading": s.heading, "html": s.html} for s in fiche.sections.order_by("position")
        ],
    }


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:100].strip("-") or "fiche"
    if base in RESERVED_SLUGS:
        base = f"fiche-{base}"
    slug, n = base, 2
    taken = FicheExperience.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _record_version(fiche: FicheExperience, *, actor, change: str) -> FicheVersion:
    last = fiche.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return FicheVersion.objects.create(
        fiche=fiche, number=last + 1, snapshot=fiche_snapshot(fiche), change=change, author=actor
    )


def fiche_reindex(fiche: FicheExperience) -> None:
    """Refresh the search text, and on PostgreSQL the weighted vector: title (A), metadata (B), sections (C)."""
    title = fiche.title
    meta = " ".join(
        [
            str(fiche.territoire or ""),
            fiche.structure_porteuse,
            fiche.get_public_cible_display() if fiche.public_cible else "",
            *(t.name for t in fiche.themes.all()),
            *(f"{d.name} {d.acronym}" for d in fiche.dispositifs.all()),
        ]
    )
    body = "\n".join(f"{s.heading}\n{html_to_text(s.html)}" for s in fiche.sections.order_by("position") if s.html)
    fiche.search_text = f"{title}\n{meta}\n{body}"
    FicheExperience.objects.filter(pk=fiche.pk).update(search_text=fiche.search_text)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE fiches_experience_ficheexperience SET search_vector ="
                " setweight(to_tsvector('french_unaccent', %s), 'A')"
                " || setweight(to_tsvector('french_unaccent', %s), 'B')"
                " || setweight(to_tsvector('french_unaccent', %s), 'C') WHERE id = %s",
                [title, meta, body, fiche.pk],
            )


def _changed(fiche: FicheExperience, *, actor, change: str) -> None:
    fiche_reindex(fiche)
    _record_version(fiche, actor=actor, change=change)
    logger.info("fiche %s: %s (user %s)", fiche.pk, change, getattr(actor, "pk", None))


def _set_sections(
    fiche: FicheExperience, sections: dict[str, str], extra: Iterable[tuple[str, str, str]] = (), *, new: bool = False
) -> None:
    """The gabarit's sections in order (empty ones included), then the extra ones (from an import)."""
    rows = [(key, heading, sections.get(key, "")) for key, heading in GABARIT_SECTIONS[fiche.gabarit]] + list(extra)
    if new:
        FicheSection.objects.bulk_create(
            FicheSection(fiche=fiche, key=key, heading=heading, html=sanitize_html(html), position=position)
            for position, (key, heading, html) in enumerate(rows)
        )
        return
    for position, (key, heading, html) in enumerate(rows):
        FicheSection.objects.update_or_create(
            fiche=fiche, key=key, defaults={"heading": heading, "html": sanitize_html(html), "position": position}
        )


# --- Writes --------------------------------------------------------------------------------------------------


@transaction.atomic
def fiche_create(
    *,
    actor,
    title: str,
    gabarit: str = Gabarit.COURT,
    territoire=None,
    themes: Iterable = (),
    dispositifs: Iterable = (),
    public_cible: str = "",
    structure_porteuse: str = "",
    annees: str = "",
    licence: str = "",
    collectif=None,
    source_action_id: int | None = None,
    sections: dict[str, str] | None = None,
    extra_sections: Iterable[tuple[str, str, str]] = (),
    change: str = "",
) -> FicheExperience:
    """A new draft, with every section of its gabarit (empty ones too, to be filled in section by section)."""
    fiche = FicheExperience(
        gabarit=gabarit,
        title=title.strip(),
        slug=_unique_slug(title),
        title_key=normalize(title),
        territoire=territoire,
        public_cible=public_cible,
        structure_porteuse=structure_porteuse,
        annees=annees,
        collectif=collectif,
        source_action_id=source_action_id,
        author=actor,
    )
    if licence:
        fiche.licence = licence
    fiche.save()
    fiche.themes.set(themes)
    fiche.dispositifs.set(dispositifs)
    _set_sections(fiche, sections or {}, extra_sections, new=True)
    _changed(fiche, actor=actor, change=change or _("Création"))
    return fiche


@transaction.atomic
def fiche_update(*, fiche: FicheExperience, actor, themes=None, dispositifs=None, **fields) -> FicheExperience:
    """Change the description of the fiche (title, territory, vocabulary…), not its sections."""
    if not permissions.can_edit_fiche(actor, fiche):
        raise PermissionDenied(_("Cette fiche ne peut plus être modifiée."))
    allowed = {*META_FIELDS, "territoire", "collectif"} - {"gabarit"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Champs inconnus : {unknown}")
    for name, value in fields.items():
        setattr(fiche, name, value)
    if "title" in fields:
        fiche.title_key = normalize(fiche.title)
    fiche.save()
    if themes is not None:
        fiche.themes.set(themes)
    if dispositifs is not None:
        fiche.dispositifs.set(dispositifs)
    _changed(fiche, actor=actor, change=_("Description modifiée"))
    return fiche


@transaction.atomic
def fiche_section_update(*, fiche: FicheExperience, actor, key: str, html: str) -> FicheSection:
    """Rewrite one section; the HTML is sanitized (paragraphs, lists, links, bold, italic)."""
    if not permissions.can_edit_fiche(actor, fiche):
        raise PermissionDenied(_("Cette fiche ne peut plus être modifiée."))
    section = fiche.sections.get(key=key)
    section.html = sanitize_html(html)
    section.save(update_fields=["html"])
    fiche.save(update_fields=["updated_at"])
    _changed(fiche, actor=actor, change=_("Section « %(heading)s » modifiée") % {"heading": section.heading})
    return section


@transaction.atomic
def fiche_submit(*, fiche: FicheExperience, actor) -> FicheExperience:
    """A draft goes to review: another editor will read it and publish it."""
    if not permissions.can_submit_fiche(actor, fiche):
        raise PermissionDenied(_("Seul un brouillon peut être envoyé en relecture."))
    fiche.status = Statut.EN_RELECTURE
    fiche.submitted_at = timezone.now()
    fiche.save(update_fields=["status", "submitted_at", "updated_at"])
    _changed(fiche, actor=actor, change=_("Envoyée en relecture"))
    return fiche


@transaction.atomic
def fiche_publish(*, fiche: FicheExperience, actor, force: bool = False) -> FicheExperience:
    """Publish a fiche in review (by another editor than its author, see permissions) and set its review date.

    `force` is for the import command, which publishes fiches that were already published elsewhere.
    """
    if not force and not permissions.can_publish_fiche(actor, fiche):
        raise PermissionDenied(_("Une fiche est publiée par un autre éditeur que son auteur, après relecture."))
    now = timezone.now()
    fiche.status = Statut.PUBLIEE
    fiche.reviewer = actor
    fiche.published_at = fiche.published_at or now
    fiche.review_on = timezone.localdate() + REVIEW_AFTER
    fiche.save(update_fields=["status", "reviewer", "published_at", "review_on", "updated_at"])
    _changed(fiche, actor=actor, change=_("Publiée"))
    return fiche


@transaction.atomic
def fiche_archive(*, fiche: FicheExperience, actor) -> FicheExperience:
    """Withdraw a fiche from the catalogue; it is kept with its versions."""
    if not permissions.can_archive_fiche(actor, fiche):
        raise PermissionDenied(_("Seule une fiche publiée peut être archivée."))
    fiche.status = Statut.ARCHIVEE
    fiche.save(update_fields=["status", "updated_at"])
    _changed(fiche, actor=actor, change=_("Archivée"))
    return fiche


@transaction.atomic
def fiche_return_to_draft(*, fiche: FicheExperience, actor) -> FicheExperience:
    """Review refused, or an archived fiche brought back: it becomes a draft again."""
    if not permissions.can_return_to_draft(actor, fiche):
        raise PermissionDenied(_("Cette fiche ne peut pas redevenir un brouillon."))
    fiche.status = Statut.BROUILLON
    fiche.save(update_fields=["status", "updated_at"])
    _changed(fiche, actor=actor, change=_("Revenue en brouillon"))
    return fiche


@transaction.atomic
def fiche_mark_reviewed(*, fiche: FicheExperience, actor) -> FicheExperience:
    """The fiche was reread and is still right: the next review is a year from today."""
    if not permissions.can_mark_reviewed(actor, fiche):
        raise PermissionDenied(_("Seule une fiche publiée se relit."))
    fiche.review_on = timezone.localdate() + REVIEW_AFTER
    fiche.save(update_fields=["review_on", "updated_at"])
    _changed(fiche, actor=actor, change=_("Relue et confirmée"))
    return fiche


@transaction.atomic
def fiche_import_update(
    *, fiche: FicheExperience, actor, sections: dict[str, str], extra: Iterable[tuple[str, str, str]]
) -> FicheExperience:
    """An import brings a newer text of an existing fiche: its sections are replaced (one new version)."""
    _set_sections(fiche, sections, extra)
    fiche.save(update_fields=["updated_at"])
    _changed(fiche, actor=actor, change=_("Mise à jour par import"))
    return fiche


def fiche_create_draft_from_action(
    *,
    title: str,
    territoire,
    themes: Iterable,
    description_html: str,
    journal_html: str,
    author,
    source_action_id: int,
) -> FicheExperience:
    """Start a fiche (short gabarit) from an action of a collectif: its description and journal become the first
    two sections, to be rewritten by a CRPV editor before review."""
    return fiche_create(
        actor=author,
        title=title,
        gabarit=Gabarit.COURT,
        territoire=territoire,
        themes=themes,
        source_action_id=source_action_id,
        sections={"idee_de_depart": description_html, "ce_qui_se_passe": journal_html},
        change=_("Brouillon créé depuis une action"),
    )


# --- Review reminders (Celery beat, daily) ---------------------------------------------------------------------


def fiche_send_review_reminders(*, today: date | None = None) -> int:
    """Remind each author whose published fiche is due for review, once per review date.

    Safe to run twice (two beats, a retried task): the fiche row is locked and `review_reminded_for` records
    that this review date was handled. Authors who turned the reminder off in their profile get nothing.
    """
    today = today or timezone.localdate()
    sent = 0
    due = FicheExperience.objects.review_due(today).filter(author__is_active=True, author__notify_fiche_reviews=True)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            fiche = (
                FicheExperience.objects.review_due(today)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("author")
                .filter(pk=pk)
                .first()
            )
            if fiche is None:
                continue
            url = settings.SITE_URL + reverse("fiches_experience:edit", kwargs={"pk": fiche.pk})
            send_mail(
                _("Fiche à relire : %(title)s") % {"title": fiche.title},
                _(
                    "Bonjour,\n\nLa fiche « %(title)s » a été publiée il y a un an. Est-elle toujours juste ?\n"
                    "Relisez-la et confirmez-la (ou mettez-la à jour) : %(url)s\n\n"
                    "Vous recevez ce message parce que vous êtes l'auteur de la fiche ; vous pouvez désactiver ces "
                    "rappels dans votre profil."
                )
                % {"title": fiche.title, "url": url},
                None,
                [fiche.author.email],
            )
            fiche.review_reminded_for = fiche.review_on
            fiche.save(update_fields=["review_reminded_for"])
            logger.info("fiche %s: review reminder sent to user %s", fiche.pk, fiche.author_id)
            sent += 1
    return sent
