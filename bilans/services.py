"""Building the annual bilan's documents in the background, cached by content.

The figures are computed on each visit of the page (a dozen SQL queries); their hash names the files. While the
collectif's figures for that year do not change, the PDF and the ODT are served from MEDIA_ROOT; any change (one
more presence, a new decision) gives a new hash, hence a new build, and the old files are removed. The build runs
in a Celery task (WeasyPrint takes seconds), which reports its progress in the cache for the page to show.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from bilans import data, documents
from collectifs.models import Collectif

logger = logging.getLogger(__name__)

PENDING_SECONDS = 300
# A bilan prints in a few seconds; past a minute and a half something is wrong: stop, say so, let the user retry.
SOFT_TIME_LIMIT = 90
FORMATS = ("pdf", "odt")


def _dir(collectif_pk: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "bilans" / str(collectif_pk)


def bilan_path(collectif_pk: int, year: int, digest: str, fmt: str) -> Path:
    return _dir(collectif_pk) / f"bilan-{year}-{digest}.{fmt}"


def _progress_key(collectif_pk: int, year: int, digest: str) -> str:
    return f"bilans:progress:{collectif_pk}:{year}:{digest}"


def _failed_key(collectif_pk: int, year: int, digest: str) -> str:
    return f"bilans:failed:{collectif_pk}:{year}:{digest}"


def bilan_state(bilan: data.Bilan) -> tuple[str, int]:
    """("ready" | "pending" | "failed" | "missing", progress in percent) of the documents of this content."""
    pk, year, digest = bilan.collectif.pk, bilan.year, bilan.digest()
    if all(bilan_path(pk, year, digest, fmt).is_file() for fmt in FORMATS):
        return "ready", 100
    if cache.get(_failed_key(pk, year, digest)):
        return "failed", 0
    progress = cache.get(_progress_key(pk, year, digest))
    if progress is not None:
        return "pending", int(progress)
    return "missing", 0


def bilan_request(*, bilan: data.Bilan, by, retry: bool = False) -> str:
    """Ask for the documents: enqueue their build after the transaction commits, unless ready or underway."""
    state, _progress = bilan_state(bilan)
    if state in ("ready", "pending") or (state == "failed" and not retry):
        return state
    pk, year, digest = bilan.collectif.pk, bilan.year, bilan.digest()
    cache.delete(_failed_key(pk, year, digest))
    cache.set(_progress_key(pk, year, digest), 0, PENDING_SECONDS)
    logger.info("bilan_request collectif=%s year=%s digest=%s by_user=%s", pk, year, digest, by.pk)
    transaction.on_commit(lambda: build_bilan.delay(pk, year))
    return "pending"


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename: a reader never sees half a file, and two workers racing write the same bytes.
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    os.replace(tmp, path)


def bilan_build(*, collectif_id: int, year: int) -> dict[str, Path] | None:
    """Build the PDF and the ODT of the collectif's bilan for the year, unless the files of its current content are
    there already (safe to run twice). Reports its progress in the cache."""
    collectif = Collectif.objects.select_related("territoire").filter(pk=collectif_id).first()
    if collectif is None:
        return None
    bilan = data.compute(collectif, year)
    digest = bilan.digest()
    key = _progress_key(collectif.pk, bilan.year, digest)
    paths = {fmt: bilan_path(collectif.pk, bilan.year, digest, fmt) for fmt in FORMATS}
    if not all(p.is_file() for p in paths.values()):
        cache.set(key, 10, PENDING_SECONDS)
        _write(paths["odt"], documents.render_bilan_odt(bilan))
        cache.set(key, 40, PENDING_SECONDS)
        _write(paths["pdf"], documents.render_bilan_pdf(bilan))
        cache.set(key, 90, PENDING_SECONDS)
        for old in paths["pdf"].parent.glob(f"bilan-{bilan.year}-*"):
            if old not in paths.values():
                old.unlink(missing_ok=True)
        logger.info("bilan_build collectif=%s year=%s digest=%s", collectif.pk, bilan.year, digest)
    cache.delete(key)
    return paths


def bilan_mark_failed(*, collectif_id: int, year: int) -> None:
    collectif = Collectif.objects.filter(pk=collectif_id).first()
    if collectif is None:
        return
    digest = data.compute(collectif, year).digest()
    cache.delete(_progress_key(collectif.pk, year, digest))
    cache.set(_failed_key(collectif.pk, year, digest), True, PENDING_SECONDS)
    logger.warning("bilan_build failed collectif=%s year=%s digest=%s", collectif.pk, year, digest)


# The task, next to the service it runs; `bilans/tasks.py` imports it for Celery's autodiscovery.
@shared_task(name="bilans.tasks.build_bilan", soft_time_limit=SOFT_TIME_LIMIT, time_limit=SOFT_TIME_LIMIT + 30)
def build_bilan(collectif_id: int, year: int) -> None:
    try:
        bilan_build(collectif_id=collectif_id, year=year)
    except SoftTimeLimitExceeded:
        bilan_mark_failed(collectif_id=collectif_id, year=year)
