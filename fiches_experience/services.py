"""Every change to a fiche goes through these functions: each one records a version and refreshes the search index."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from collectifs.access import user_access
from core.html import sanitize_html
from core.outbox import mail_queue
from fiches_experience import permissions
from fiches_experience.models import (
    GABARIT_SECTIONS,
    SOURCE_FIELDS,
    FicheExperience,
    FicheProposal,
    FicheSection,
    FicheVersion,
    Gabarit,
    PublicCible,
    Status,
)
from fiches_experience.text import html_to_text, normalize

if TYPE_CHECKING:
    from membres.models import User
    from restitutions.selectors import FichePrefill, PrefillBlock

logger = logging.getLogger(__name__)

# A published fiche is due for review a year later, so that what the catalogue says does not rot.
REVIEW_AFTER = timedelta(days=365)
# Words used by the catalogue's own URLs under /fiches/: never a fiche's slug.
RESERVED_SLUGS = {"edition", "flux", "export", "import", "recherche"}
META_FIELDS = ("gabarit", "title", "public_cible", "structure_porteuse", "annees", "licence", "source_action_id")


# --- Reads used by the services ------------------------------------------------------------------------------


@dataclass
class FicheContent:
    """What a fiche's snapshot and search index are computed from, held in memory (no query)."""

    themes: list
    dispositifs: list
    sections: list  # FicheSection rows, in order


def _content(fiche: FicheExperience) -> FicheContent:
    return FicheContent(
        themes=list(fiche.themes.all()),
        dispositifs=list(fiche.dispositifs.all()),
        sections=list(fiche.sections.order_by("position")),
    )


def fiche_snapshot(fiche: FicheExperience, content: FicheContent | None = None) -> dict:
    """The fiche as JSON: what a version stores and what two versions are compared on."""
    content = content or _content(fiche)
    return {
        **{name: getattr(fiche, name) for name in META_FIELDS},
        "status": fiche.status,
        "territoire": str(fiche.territoire) if fiche.territoire_id else "",
        "collectif": str(fiche.collectif) if fiche.collectif_id else "",
        "themes": sorted(t.name for t in content.themes),
        "dispositifs": sorted(str(d) for d in content.dispositifs),
        "sections": [{"key": s.key, "heading": s.heading, "html": s.html} for s in content.sections],
    }


def _slug_base(title: str) -> str:
    base = slugify(title)[:100].strip("-") or "fiche"
    return f"fiche-{base}" if base in RESERVED_SLUGS else base


def _unique_slug(title: str, *, taken: set[str] | None = None) -> str:
    """A free slug: `taken` (a set of slugs, updated) when creating many fiches at once, else the database."""
    base = _slug_base(title)
    slug, n = base, 2
    while (slug in taken) if taken is not None else FicheExperience.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    if taken is not None:
        taken.add(slug)
    return slug


def _record_version(fiche: FicheExperience, *, by: User, change: str, content: FicheContent | None = None) -> None:
    # Two editors saving at once: the fiche's row lock orders them, so version numbers never collide.
    FicheExperience.objects.select_for_update().filter(pk=fiche.pk).values_list("pk", flat=True).first()
    last = fiche.versions.order_by("-number").values_list("number", flat=True).first() or 0
    FicheVersion.objects.create(
        fiche=fiche, number=last + 1, snapshot=fiche_snapshot(fiche, content), change=change, author=by
    )


def _index_parts(fiche: FicheExperience, content: FicheContent) -> tuple[str, str, str]:
    """(title, metadata, sections) as plain text: the three weights of the search vector."""
    meta = " ".join(
        [
            str(fiche.territoire or ""),
            fiche.structure_porteuse,
            fiche.get_public_cible_display() if fiche.public_cible else "",
            *(t.name for t in content.themes),
            *(f"{d.name} {d.acronym}" for d in content.dispositifs),
        ]
    )
    body = "\n".join(f"{s.heading}\n{html_to_text(s.html)}" for s in content.sections if s.html)
    return fiche.title, meta, body


# The catalogue ranks by a small vector (title, metadata and the sections' first RANK_OPENING characters) kept in
# the row, and finds by the full one (migration 0004): ranking by the full vector read every match's 16 kB.
RANK_OPENING = 300


def _write_index(items: list[tuple[FicheExperience, FicheContent]]) -> None:
    """One statement for any number of fiches: search text, and on PostgreSQL the weighted vector."""
    if not items:
        return
    parts = [(fiche.pk, *_index_parts(fiche, content)) for fiche, content in items]
    for (fiche, _c), (_pk, title, meta, body) in zip(items, parts, strict=True):
        fiche.search_text = f"{title}\n{meta}\n{body}"
    if connection.vendor != "postgresql":
        FicheExperience.objects.bulk_update([fiche for fiche, _ in items], ["search_text"], batch_size=500)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE fiches_experience_ficheexperience AS f SET search_text = v.title || E'\\n' || v.meta || E'\\n'"
            " || v.body, search_vector = setweight(to_tsvector('french_unaccent', v.title), 'A')"
            " || setweight(to_tsvector('french_unaccent', v.meta), 'B')"
            " || setweight(to_tsvector('french_unaccent', v.body), 'C'),"
            " search_rank_vector = setweight(to_tsvector('french_unaccent', v.title), 'A')"
            " || setweight(to_tsvector('french_unaccent', v.meta), 'B')"
            f" || setweight(to_tsvector('french_unaccent', left(v.body, {RANK_OPENING})), 'C')"
            " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS v(id, title, meta, body)"
            " WHERE f.id = v.id",
            [list(column) for column in zip(*parts, strict=True)],
        )


def fiche_reindex(fiche: FicheExperience, content: FicheContent | None = None) -> None:
    """Refresh the search text, and on PostgreSQL the weighted vectors: title (A), metadata (B), sections (C) to
    find; the same with only the sections' opening to rank."""
    _write_index([(fiche, content or _content(fiche))])


def _changed(fiche: FicheExperience, *, by: User, change: str) -> None:
    content = _content(fiche)
    fiche_reindex(fiche, content)
    _record_version(fiche, by=by, change=change, content=content)
    logger.info("fiche %s: %s (user %s)", fiche.pk, change, getattr(by, "pk", None))


def _section_rows(gabarit: str, sections: dict[str, str], extra: Iterable[tuple[str, str, str]]) -> list[tuple]:
    """The gabarit's sections in order (empty ones included), then the extra ones (from an import)."""
    return [(key, heading, sections.get(key, "")) for key, heading in GABARIT_SECTIONS[gabarit]] + list(extra)


# --- Writes --------------------------------------------------------------------------------------------------


@dataclass
class FicheDraft:
    """A fiche to create: its description and the HTML of its sections by key (extra ones as (key, heading, html))."""

    title: str
    gabarit: str = Gabarit.COURT
    territoire: object = None
    themes: Iterable = ()
    dispositifs: Iterable = ()
    public_cible: str = ""
    structure_porteuse: str = ""
    annees: str = ""
    licence: str = ""
    collectif: object = None
    source_action_id: int | None = None
    source_restitution_id: int | None = None
    source_cycle_id: int | None = None
    sections: dict[str, str] = field(default_factory=dict)
    extra_sections: Iterable[tuple[str, str, str]] = ()


@transaction.atomic
def fiches_create(*, by: User, drafts: list[FicheDraft], change: str = "") -> list[FicheExperience]:
    """Create drafts with every section of their gabarit, a first version and their search index.

    A constant number of queries whatever the number of fiches, so that importing a thousand fiches stays quick.
    """
    change = change or _("Création")
    taken = set(FicheExperience.objects.values_list("slug", flat=True)) if len(drafts) > 1 else None
    fiches = []
    for draft in drafts:
        fiche = FicheExperience(
            gabarit=draft.gabarit,
            title=draft.title.strip(),
            slug=_unique_slug(draft.title, taken=taken),
            title_key=normalize(draft.title),
            territoire=draft.territoire,
            public_cible=draft.public_cible,
            structure_porteuse=draft.structure_porteuse,
            annees=draft.annees,
            collectif=draft.collectif,
            source_action_id=draft.source_action_id,
            source_restitution_id=draft.source_restitution_id,
            source_cycle_id=draft.source_cycle_id,
            author=by,
        )
        if draft.licence:
            fiche.licence = draft.licence
        fiches.append(fiche)
    FicheExperience.objects.bulk_create(fiches)
    contents = []
    themes_rows, dispositifs_rows, section_rows = [], [], []
    ThemeLink, DispositifLink = FicheExperience.themes.through, FicheExperience.dispositifs.through
    for fiche, draft in zip(fiches, drafts, strict=True):
        content = FicheContent(themes=list(draft.themes), dispositifs=list(draft.dispositifs), sections=[])
        themes_rows += [ThemeLink(ficheexperience_id=fiche.pk, theme_id=t.pk) for t in content.themes]
        dispositifs_rows += [
            DispositifLink(ficheexperience_id=fiche.pk, dispositif_id=d.pk) for d in content.dispositifs
        ]
        for position, (key, heading, html) in enumerate(
            _section_rows(fiche.gabarit, draft.sections, draft.extra_sections)
        ):
            section = FicheSection(fiche=fiche, key=key, heading=heading, html=sanitize_html(html), position=position)
            content.sections.append(section)
        section_rows += content.sections
        contents.append(content)
    ThemeLink.objects.bulk_create(themes_rows)
    DispositifLink.objects.bulk_create(dispositifs_rows)
    FicheSection.objects.bulk_create(section_rows, batch_size=2_000)
    _write_index(list(zip(fiches, contents, strict=True)))
    FicheVersion.objects.bulk_create(
        [
            FicheVersion(fiche=fiche, number=1, snapshot=fiche_snapshot(fiche, content), change=change, author=by)
            for fiche, content in zip(fiches, contents, strict=True)
        ],
        batch_size=500,
    )
    for fiche in fiches:
        logger.info("fiche %s: %s (user %s)", fiche.pk, change, getattr(by, "pk", None))
    return fiches


def fiche_create(*, by: User, title: str, change: str = "", **fields) -> FicheExperience:
    """A new draft, with every section of its gabarit (empty ones too, to be filled in section by section).

    `fields` are those of FicheDraft: gabarit, territoire, themes, dispositifs, sections, extra_sections…
    """
    return fiches_create(by=by, drafts=[FicheDraft(title=title, **fields)], change=change)[0]


@transaction.atomic
def fiche_update(*, fiche: FicheExperience, by: User, themes=None, dispositifs=None, **fields) -> FicheExperience:
    """Change the description of the fiche (title, territory, vocabulary…), not its sections."""
    if not permissions.can_edit_fiche(user_access(by), fiche):
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
    _changed(fiche, by=by, change=_("Description modifiée"))
    return fiche


@transaction.atomic
def fiche_section_update(*, fiche: FicheExperience, by: User, key: str, html: str) -> FicheSection:
    """Rewrite one section; the HTML is sanitized (paragraphs, lists, links, bold, italic)."""
    if not permissions.can_edit_fiche(user_access(by), fiche):
        raise PermissionDenied(_("Cette fiche ne peut plus être modifiée."))
    section = fiche.sections.get(key=key)
    section.html = sanitize_html(html)
    section.save(update_fields=["html"])
    fiche.save(update_fields=["updated_at"])
    _changed(fiche, by=by, change=_("Section « %(heading)s » modifiée") % {"heading": section.heading})
    return section


@transaction.atomic
def fiche_submit(*, fiche: FicheExperience, by: User) -> FicheExperience:
    """A draft goes to review: another editor will read it and publish it."""
    if not permissions.can_submit_fiche(user_access(by), fiche):
        raise PermissionDenied(_("Seul un brouillon peut être envoyé en relecture."))
    fiche.status = Status.IN_REVIEW
    fiche.submitted_at = timezone.now()
    fiche.save(update_fields=["status", "submitted_at", "updated_at"])
    _changed(fiche, by=by, change=_("Envoyée en relecture"))
    return fiche


def _mark_published(fiche: FicheExperience, *, by: User, now) -> None:
    """Live in the catalogue, reviewed by `by`, due for its yearly review (first publication date kept)."""
    fiche.status = Status.PUBLISHED
    fiche.reviewer = by
    fiche.published_at = fiche.published_at or now
    fiche.review_on = timezone.localdate() + REVIEW_AFTER
    fiche.save(update_fields=["status", "reviewer", "published_at", "review_on", "updated_at"])


@transaction.atomic
def fiche_publish(*, fiche: FicheExperience, by: User, force: bool = False) -> FicheExperience:
    """Publish a fiche in review (by another editor than its author, see permissions) and set its review date.

    `force` is for the import command, which publishes fiches that were already published elsewhere.
    """
    if not force and not permissions.can_publish_fiche(user_access(by), fiche):
        raise PermissionDenied(_("Une fiche est publiée par un autre éditeur que son auteur, après relecture."))
    now = timezone.now()
    _mark_published(fiche, by=by, now=now)
    _changed(fiche, by=by, change=_("Publiée"))
    return fiche


@transaction.atomic
def fiche_archive(*, fiche: FicheExperience, by: User) -> FicheExperience:
    """Withdraw a fiche from the catalogue; it is kept with its versions."""
    if not permissions.can_archive_fiche(user_access(by), fiche):
        raise PermissionDenied(_("Seule une fiche publiée peut être archivée."))
    fiche.status = Status.ARCHIVED
    fiche.save(update_fields=["status", "updated_at"])
    _changed(fiche, by=by, change=_("Archivée"))
    return fiche


@transaction.atomic
def fiche_return_to_draft(*, fiche: FicheExperience, by: User) -> FicheExperience:
    """Review refused, or an archived fiche brought back: it becomes a draft again."""
    if not permissions.can_return_to_draft(user_access(by), fiche):
        raise PermissionDenied(_("Cette fiche ne peut pas redevenir un brouillon."))
    fiche.status = Status.DRAFT
    fiche.save(update_fields=["status", "updated_at"])
    _changed(fiche, by=by, change=_("Revenue en brouillon"))
    return fiche


@transaction.atomic
def fiche_mark_reviewed(*, fiche: FicheExperience, by: User) -> FicheExperience:
    """The fiche was reread and is still right: the next review is a year from today."""
    if not permissions.can_mark_reviewed(user_access(by), fiche):
        raise PermissionDenied(_("Seule une fiche publiée se relit."))
    fiche.review_on = timezone.localdate() + REVIEW_AFTER
    fiche.save(update_fields=["review_on", "updated_at"])
    _changed(fiche, by=by, change=_("Relue et confirmée"))
    return fiche


@transaction.atomic
def fiche_import_update(
    *, fiche: FicheExperience, by: User, sections: dict[str, str], extra: Iterable[tuple[str, str, str]]
) -> FicheExperience:
    """An import brings a newer text of a draft: the sections it fills are rewritten in place (one new version).

    Only drafts and fiches in review: a published or archived fiche gets a proposal instead (`fiche_propose`).
    A section the file leaves empty or does not mention keeps its text.
    """
    changes = fiche_import_changes(fiche=fiche, sections=sections, extra=extra)
    if not changes:
        return fiche
    _apply_sections(fiche, changes)
    fiche.save(update_fields=["updated_at"])
    _changed(fiche, by=by, change=_("Mise à jour par import"))
    return fiche


def fiche_draft_from_action(*, action, description_html: str, journal_html: str, by: User) -> FicheExperience:
    """Capitalisation (registered in `actions.hooks.fiche_draft_from_action`): a draft from an action that worked."""
    return fiche_create_draft_from_action(
        title=action.title,
        territoire=action.collectif.territoire,
        themes=list(action.themes.all()),
        description_html=description_html,
        journal_html=journal_html,
        by=by,
        source_action_id=action.pk,
    )


def fiche_create_draft_from_action(
    *,
    title: str,
    territoire,
    themes: Iterable,
    description_html: str,
    journal_html: str,
    by: User,
    source_action_id: int,
) -> FicheExperience:
    """Start a fiche (short gabarit) from an action of a collectif: its description and journal become the first
    two sections, to be rewritten by a CRPV editor before review."""
    return fiche_create(
        by=by,
        title=title,
        gabarit=Gabarit.COURT,
        territoire=territoire,
        themes=themes,
        source_action_id=source_action_id,
        sections={"idee_de_depart": description_html, "ce_qui_se_passe": journal_html},
        change=_("Brouillon créé depuis une action"),
    )


# --- From a restitution or a cycle of ateliers (restitutions app, read through restitutions.selectors) ----------

# The fiche's CRPV sections a restitution fills (restitutions.selectors.FichePrefill has a field for each).
PREFILL_SECTIONS = ("identite", "contexte", "objectifs", "mesures", "acteurs", "enseignements", "ressources")


def _blocks_html(blocks: Iterable[PrefillBlock]) -> str:
    """Plain text blocks as HTML (escaped): the lead-in in bold, paragraphs, then the bulleted list."""
    parts = []
    for block in blocks:
        if block.title:
            parts.append(f"<p><strong>{escape(block.title)}</strong></p>")
        parts += [f"<p>{escape(text)}</p>" for text in block.paragraphs]
        if block.items:
            parts.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>")
    return "".join(parts)


def fiche_from_restitutions(*, source: str, source_id: int) -> FicheExperience | None:
    """The fiche drafted from a restitution (`source="restitution"`) or a cycle (`"cycle"`), if one was."""
    return FicheExperience.objects.filter(**{SOURCE_FIELDS[source]: source_id}).first()


@transaction.atomic
def fiche_draft_from_restitutions(*, prefill: FichePrefill, by: User) -> tuple[FicheExperience, bool]:
    """Draft a fiche (CRPV gabarit) from a restitution or a cycle and send it to the CRPV editors' review, once.

    The sections start from the restitution's text (`restitutions.selectors`): context, objectives, what happened,
    those involved, lessons learnt; the editors rewrite them before publishing. `by` (a coordinator or an editor)
    is its author and the fiche is « en relecture » at once: another editor than its author publishes it (four
    eyes, `permissions.can_publish_fiche`). Asking again returns the fiche already drafted, whatever became of it
    (`created` False); two requests at the same time create one fiche (unique constraint on the source's id).
    """
    existing = fiche_from_restitutions(source=prefill.source, source_id=prefill.source_id)
    if existing is not None:
        return existing, False
    collectif = prefill.collectif
    try:
        with transaction.atomic():
            fiche = fiche_create(
                by=by,
                title=prefill.title[:250],
                gabarit=Gabarit.CRPV,
                territoire=collectif.territoire,
                themes=list(collectif.themes.all()),
                public_cible=PublicCible.PROFESSIONNELS,
                structure_porteuse=prefill.structure_porteuse[:250],
                annees=prefill.annees[:40],
                collectif=collectif,
                sections={key: _blocks_html(getattr(prefill, key)) for key in PREFILL_SECTIONS},
                change=_("Brouillon créé depuis %(source)s") % {"source": prefill.source_label},
                **{SOURCE_FIELDS[prefill.source]: prefill.source_id},
            )
    except IntegrityError:
        # Another request drafted it a moment ago: that one is the fiche.
        return fiche_from_restitutions(source=prefill.source, source_id=prefill.source_id), False
    fiche.status = Status.IN_REVIEW
    fiche.submitted_at = timezone.now()
    fiche.save(update_fields=["status", "submitted_at", "updated_at"])
    _changed(fiche, by=by, change=_("Envoyée en relecture"))
    return fiche, True


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
                .select_related("author", "reviewer")
                .filter(pk=pk)
                .first()
            )
            if fiche is None:
                continue
            # Queued in the outbox in the transaction that records the reminder (once per review date).
            mail_queue(
                key=f"fiche-review:{fiche.pk}:{fiche.review_on}",
                to=fiche.author.email,
                subject=_("Fiche à relire : %(title)s") % {"title": fiche.title},
                **_review_reminder(fiche),
            )
            fiche.review_reminded_for = fiche.review_on
            fiche.save(update_fields=["review_reminded_for"])
            logger.info("fiche %s: review reminder sent to user %s", fiche.pk, fiche.author_id)
            sent += 1
    return sent


def _review_reminder(fiche: FicheExperience) -> dict:
    """The body (and Reply-To) of a fiche's yearly review reminder. An author who edits fiches (a CRPV editor) gets
    the edit page. Another author (a coordinator whose action or restitution became the fiche) cannot open it: they
    get the public page, and their answer goes to the editor who published the fiche, who updates it."""
    footer = _(
        "Vous recevez ce message parce que vous êtes l'auteur de la fiche ; vous pouvez désactiver ces rappels dans "
        "votre profil."
    )
    if permissions.can_edit_fiches(user_access(fiche.author)):
        url = settings.SITE_URL + reverse("fiches_experience:edit", kwargs={"pk": fiche.pk})
        text = _(
            "Bonjour,\n\nLa fiche « %(title)s » a été publiée il y a un an. Est-elle toujours juste ?\n"
            "Relisez-la et confirmez-la (ou mettez-la à jour) : %(url)s\n\n"
        ) % {"title": fiche.title, "url": url}
        return {"body": text + footer}
    url = settings.SITE_URL + fiche.get_absolute_url()
    reviewer = fiche.reviewer if fiche.reviewer is not None and fiche.reviewer.is_active else None
    if reviewer is not None:
        ask = _(
            "Si quelque chose a changé, répondez simplement à ce message : votre réponse part à %(name)s, du centre "
            "de ressources, qui a publié la fiche et la mettra à jour."
        ) % {"name": str(reviewer)}
    else:
        ask = _("Si quelque chose a changé, écrivez au centre de ressources (CRPV) de votre territoire.")
    text = _(
        "Bonjour,\n\nLa fiche « %(title)s » a été publiée il y a un an. Est-elle toujours juste ?\n"
        "Relisez-la : %(url)s\n%(ask)s\n\n"
    ) % {"title": fiche.title, "url": url, "ask": ask}
    return {"body": text + footer, "reply_to": reviewer.email if reviewer is not None else ""}


def fiche_for_action(action_id: int) -> FicheExperience | None:
    """The fiche drafted from an action of a collectif, if one was (capitalisation)."""
    return FicheExperience.objects.filter(source_action_id=action_id).only("pk", "slug", "title", "status").first()


# --- Proposed versions (imports of fiches that are not drafts) ----------------------------------------------------


def fiche_import_changes(
    *, fiche: FicheExperience, sections: dict[str, str], extra: Iterable[tuple[str, str, str]]
) -> list[dict]:
    """What an imported text changes in a fiche, as [{"key", "heading", "html"}] in the fiche's order.

    A section is changed only when the file gives it a text that differs: an empty or absent section in the file
    never empties the fiche's (a two-line file is not a fiche rewritten as two lines).
    """
    current = {s.key: s for s in fiche.sections.all()}
    # A file of the other gabarit still brings its sections (kept after the fiche's own, like extra ones).
    headings = {key: heading for rows in GABARIT_SECTIONS.values() for key, heading in rows}
    headings.update(GABARIT_SECTIONS[fiche.gabarit])
    wanted = [(key, headings.get(key, key), html) for key, html in sections.items()]
    wanted += [(key, heading, html) for key, heading, html in extra if key not in sections]
    changes = []
    for key, heading, html in wanted:
        html = sanitize_html(html or "")
        if not html.strip():
            continue
        section = current.get(key)
        if section is None or section.html != html:
            changes.append({"key": key, "heading": section.heading if section else heading, "html": html})
    return changes


def _apply_sections(fiche: FicheExperience, changes: list[dict]) -> None:
    """Write changed sections; a new (extra) section goes after the last one."""
    current = {s.key: s for s in fiche.sections.all()}
    next_position = max((s.position for s in current.values()), default=-1) + 1
    for change in changes:
        section = current.get(change["key"])
        if section is None:
            FicheSection.objects.create(
                fiche=fiche, key=change["key"], heading=change["heading"], html=change["html"], position=next_position
            )
            next_position += 1
        else:
            section.html = change["html"]
            section.save(update_fields=["html"])


def proposal_snapshot(fiche: FicheExperience, proposal: FicheProposal) -> tuple[dict, dict]:
    """(the fiche as it is, the fiche as it would be once the proposal is published): what its diff compares."""
    before = fiche_snapshot(fiche)
    changed = {change["key"]: change for change in proposal.sections}
    sections = [{**section, **changed.pop(section["key"], {})} for section in before["sections"]]
    sections += [{"key": c["key"], "heading": c["heading"], "html": c["html"]} for c in changed.values()]
    return before, {**before, "sections": sections}


@transaction.atomic
def fiche_propose(
    *, fiche: FicheExperience, by: User | None, sections: list[dict], source: str = ""
) -> FicheProposal | None:
    """Propose a new text for a published, in-review or archived fiche, to be published by a second editor.

    Nothing is proposed when the text changes nothing, or when the same text already waits or was set aside: an
    import of the same file twice proposes nothing new. A different text replaces the proposal that waited.
    """
    if not sections:
        return None
    FicheExperience.objects.select_for_update().filter(pk=fiche.pk).values_list("pk", flat=True).first()
    same = fiche.proposals.filter(
        status__in=(FicheProposal.Status.PENDING, FicheProposal.Status.REJECTED), sections=sections
    ).exists()
    if same:
        return None
    fiche.proposals.pending().update(status=FicheProposal.Status.SUPERSEDED, decided_at=timezone.now())
    proposal = FicheProposal.objects.create(fiche=fiche, sections=sections, source=source[:250], proposed_by=by)
    logger.info(
        "fiche %s: version proposed (proposal %s, %s section(s)) (user %s)",
        fiche.pk,
        proposal.pk,
        len(sections),
        getattr(by, "pk", None),
    )
    return proposal


@transaction.atomic
def fiche_proposal_publish(*, proposal: FicheProposal, by: User) -> FicheExperience:
    """A second editor publishes a proposed version: its sections replace the fiche's, the fiche is published (an
    archived fiche comes back to the catalogue) and gets a new version and a review date a year away."""
    if not permissions.can_publish_proposal(user_access(by), proposal):
        raise PermissionDenied(_("Une version proposée est publiée par un autre éditeur que celui qui l'a importée."))
    fiche = proposal.fiche
    _apply_sections(fiche, proposal.sections)
    now = timezone.now()
    _mark_published(fiche, by=by, now=now)
    proposal.status, proposal.decided_by, proposal.decided_at = FicheProposal.Status.PUBLISHED, by, now
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    _changed(fiche, by=by, change=_("Version proposée par import publiée"))
    return fiche


@transaction.atomic
def fiche_proposal_reject(*, proposal: FicheProposal, by: User) -> FicheProposal:
    """An editor sets a proposed version aside: the fiche keeps its text, and the same import is not proposed again."""
    if not permissions.can_decide_proposal(user_access(by), proposal):
        raise PermissionDenied(_("Cette version proposée a déjà été traitée."))
    proposal.status, proposal.decided_by, proposal.decided_at = FicheProposal.Status.REJECTED, by, timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    logger.info("fiche %s: proposal %s rejected (user %s)", proposal.fiche_id, proposal.pk, getattr(by, "pk", None))
    return proposal
