"""Printing restitutions with WeasyPrint (core.pdf.render_pdf): one alone, or a whole cycle in one document.

A single restitution prints synchronously (a few hundred milliseconds, at most MAX_POINTS points) and is
cached keyed by its `updated_at`. A cycle prints in a Celery task with a time limit; the file is kept in
the private storage (core.storage) under a name carrying a hash of what it shows, so a change to any of its
restitutions makes a new file and the old one is removed.
"""

from __future__ import annotations

import hashlib
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch

from core.pdf import content_digest, render_pdf, save_stored_pdf, stored_pdf, stored_pdf_name
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


def render_cycle_pdf(cycle: Cycle, restitutions=None) -> bytes:
    restitutions = list(restitutions if restitutions is not None else cycle_restitutions(cycle))
    return render_pdf(
        "pdf/cycle.html",
        {
            "cycle": cycle,
            "items": [_item(r, with_cycle=False) for r in restitutions],
            "running_header": f"{cycle.name} — {cycle.collectif.name}",
        },
        title=f"Restitutions — {cycle.name}",
        lang="fr",
    )


def cycle_digest(cycle: Cycle) -> str:
    """A hash of what the cycle's PDF shows: the cycle and the last change of each of its restitutions."""
    parts = [f"{cycle.pk}|{cycle.updated_at.isoformat()}"]
    parts += [
        f"{pk}|{updated_at.isoformat()}"
        for pk, updated_at in cycle.restitutions.order_by("pk").values_list("pk", "updated_at")
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


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
    digest = cycle_digest(cycle)
    name = cycle_pdf_name(cycle, digest)
    if storage.exists(name):
        cache.delete(_pending_key(cycle.pk, digest))
        return name
    pdf = render_cycle_pdf(cycle)
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
