"""Printing restitutions with WeasyPrint (core.pdf.render_pdf): one alone, or a whole cycle in one document.

A single restitution prints synchronously (a few hundred milliseconds, at most MAX_POINTS points) and is
cached keyed by its `updated_at`. A cycle's final report prints in a Celery task with a time limit; the file is kept
in the private storage (core.storage) under a name carrying a hash of its HTML (what it shows), so a change to the
cycle, its sessions, their turnout or any of its restitutions makes a new file and the old one is removed.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch

from core.pdf import content_digest, html_to_pdf, render_html, render_pdf, save_stored_pdf, stored_pdf, stored_pdf_name
from core.storage import private_storage
from restitutions.models import Cycle, FreeSection, Point, Restitution

logger = logging.getLogger(__name__)

PENDING_SECONDS = 300
SINGLE_CACHE_SECONDS = 24 * 3600


def with_content(queryset):
    """Restitutions with what a page or a PDF shows, in three queries whatever their number."""
    return queryset.select_related("collectif", "cycle").prefetch_related(
        Prefetch("points", queryset=Point.objects.order_by("position", "pk")),
        Prefetch("free_sections", queryset=FreeSection.objects.order_by("position", "pk")),
    )


def sections_of(restitution: Restitution) -> list[dict]:
    """The four lists in the order of seed 001, each with its points in order."""
    by_section: dict[str, list[Point]] = {value: [] for value in Point.Section.values}
    for point in restitution.points.all():
        by_section[point.section].append(point)
    return [{"key": key, "label": label, "points": by_section[key]} for key, label in Point.Section.choices]


def _item(restitution: Restitution, *, with_cycle: bool) -> dict:
    return {
        "restitution": restitution,
        "sections": sections_of(restitution),
        "free_sections": list(restitution.free_sections.all()),
        "cycle_name": restitution.cycle.name if with_cycle and restitution.cycle_id else "",
    }


def render_restitution_pdf(restitution: Restitution) -> bytes:
    header = restitution.cycle.name if restitution.cycle_id else restitution.collectif.name
    title = f"{restitution.atelier_label} — {restitution.title}" if restitution.atelier_label else restitution.title
    return render_pdf(
        "pdf/restitution.html",
        {"item": _item(restitution, with_cycle=True), "running_header": header},
        title=title,
        lang="fr",
    )


SINGLE_DIR = "restitutions/single"


def restitution_pdf(restitution: Restitution) -> bytes:
    """The PDF of one restitution, printed once per version (its `updated_at`, bumped by every change to it or its
    points) and then read from storage."""
    key = f"restitutions:pdf:{restitution.pk}:{restitution.updated_at.timestamp()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = stored_pdf(
            folder=SINGLE_DIR,
            stem=f"restitution-{restitution.pk}",
            digest=content_digest(str(restitution.pk), restitution.updated_at.isoformat()),
            build=lambda: render_restitution_pdf(with_content(Restitution.objects.filter(pk=restitution.pk)).get()),
            storage=private_storage(),
        )
        cache.set(key, pdf, SINGLE_CACHE_SECONDS)
    return pdf


def cycle_restitutions(cycle: Cycle):
    return with_content(cycle.restitutions.order_by("held_on", "atelier_numbers", "pk"))


def cycle_report_title(cycle: Cycle) -> str:
    return f"Rapport final — {cycle.name}"


def cycle_report_html(cycle: Cycle, restitutions=None) -> str:
    """The cycle's final report as HTML (cheap: a fixed number of queries): objectives and commitments, organisers
    and partners, sessions with their turnout, each restitution whole, and the carry-over from one atelier to the
    next. Its hash names the stored PDF, so any change to what it shows makes a new PDF."""
    from restitutions.cycles import cycle_overview

    cycle = (
        Cycle.objects.select_related("collectif", "manager")
        .prefetch_related("collectifs", "organisers", "partners")
        .get(pk=cycle.pk)
    )
    restitutions = list(restitutions if restitutions is not None else cycle_restitutions(cycle))
    overview = cycle_overview(cycle, restitutions=restitutions)
    carry_overs = [row for row in overview.rows if row.carry_over]
    return render_html(
        "pdf/cycle.html",
        {
            "cycle": cycle,
            "overview": overview,
            "carry_overs": carry_overs,
            "items": [_item(r, with_cycle=False) for r in restitutions],
            "running_header": f"{cycle.name} — {cycle.collectif.name}",
        },
        title=cycle_report_title(cycle),
        lang="fr",
    )


def render_cycle_pdf(cycle: Cycle, restitutions=None) -> bytes:
    return html_to_pdf(cycle_report_html(cycle, restitutions))


def cycle_digest(cycle: Cycle, html: str | None = None) -> str:
    """A hash of what the cycle's report shows (its HTML): the cycle, its sessions and their turnout, its
    restitutions. Cached by content, like `core.pdf.cached_pdf`."""
    return content_digest(html if html is not None else cycle_report_html(cycle))


CYCLE_DIR = "restitutions/cycles"


def cycle_pdf_storage():
    return private_storage()


def cycle_pdf_name(cycle: Cycle, digest: str) -> str:
    return stored_pdf_name(CYCLE_DIR, f"cycle-{cycle.pk}", digest)


def _pending_key(cycle_pk: int, digest: str) -> str:
    return f"restitutions:cycle-pdf:pending:{cycle_pk}:{digest}"


def _failed_key(cycle_pk: int, digest: str) -> str:
    return f"restitutions:cycle-pdf:failed:{cycle_pk}:{digest}"


def cycle_pdf_state(cycle: Cycle) -> tuple[str, str]:
    """("ready" | "pending" | "failed" | "missing", digest)."""
    digest = cycle_digest(cycle)
    if cycle_pdf_storage().exists(cycle_pdf_name(cycle, digest)):
        return "ready", digest
    if cache.get(_failed_key(cycle.pk, digest)):
        return "failed", digest
    if cache.get(_pending_key(cycle.pk, digest)):
        return "pending", digest
    return "missing", digest


def cycle_pdf_request(cycle: Cycle, *, retry: bool = False) -> str:
    """Ask for the cycle's PDF: enqueue its build after the transaction commits, unless it is ready or underway."""
    state, digest = cycle_pdf_state(cycle)
    if state == "ready" or (state == "pending") or (state == "failed" and not retry):
        return state
    cache.delete(_failed_key(cycle.pk, digest))
    cache.set(_pending_key(cycle.pk, digest), True, PENDING_SECONDS)
    cycle_pk = cycle.pk
    transaction.on_commit(lambda: build_cycle_pdf.delay(cycle_pk))
    return "pending"


def cycle_pdf_build(*, cycle_id: int) -> str | None:
    """Build the cycle's PDF unless the file for its current content is already there (safe to run twice).

    Returns its name in the private storage."""
    cycle = Cycle.objects.select_related("collectif").filter(pk=cycle_id).first()
    if cycle is None:
        return None
    storage = cycle_pdf_storage()
    html = cycle_report_html(cycle)
    digest = cycle_digest(cycle, html)
    name = cycle_pdf_name(cycle, digest)
    if storage.exists(name):
        cache.delete(_pending_key(cycle.pk, digest))
        return name
    pdf = html_to_pdf(html)
    # Whole or not at all (a reader never sees half a file); the former content's file is removed.
    save_stored_pdf(storage=storage, folder=CYCLE_DIR, stem=f"cycle-{cycle.pk}", digest=digest, pdf=pdf)
    cache.delete(_pending_key(cycle.pk, digest))
    logger.info("cycle_pdf_build cycle=%s digest=%s bytes=%s", cycle.pk, digest, len(pdf))
    return name


def cycle_pdf_mark_failed(*, cycle_id: int) -> None:
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        return
    digest = cycle_digest(cycle)
    cache.delete(_pending_key(cycle.pk, digest))
    cache.set(_failed_key(cycle.pk, digest), True, PENDING_SECONDS)
    logger.warning("cycle_pdf_build failed cycle=%s digest=%s", cycle.pk, digest)


# A cycle of a dozen restitutions prints in a few seconds; past a minute something is wrong (a huge text):
# stop, say so on the page, and let the user try again.
SOFT_TIME_LIMIT = 60


# Declared next to the service it runs (pretix's habit), so that the service enqueues it without a cycle;
# `restitutions/tasks.py` imports it for Celery's autodiscovery, under its registered name of always.
@shared_task(
    name="restitutions.tasks.build_cycle_pdf", soft_time_limit=SOFT_TIME_LIMIT, time_limit=SOFT_TIME_LIMIT + 30
)
def build_cycle_pdf(cycle_id: int) -> None:
    try:
        cycle_pdf_build(cycle_id=cycle_id)
    except SoftTimeLimitExceeded:
        cycle_pdf_mark_failed(cycle_id=cycle_id)
