"""Who may open each URL of the annual bilan: every member of the collectif reads it (guests too), members and
coordinators ask for its documents; another collectif's member gets 404."""

from datetime import date

from core.schoolyear import school_year_of
from tests.access import MEMBERS_READ, Case, expect

WRITE_POST = expect(anonymous=302, guest=403, member=302, coordinator=302, other=404, crpv=404, superuser=302)
POST_ONLY = expect(anonymous=302, guest=405, member=405, coordinator=405, other=405, crpv=405, superuser=405)
# The current school year: a year before the collectif's first reunion falls back to it.
YEAR = school_year_of(date.today())


def _ready(w, fmt: str) -> dict:
    """The documents as the Celery task leaves them, so that the downloads answer. Written when the case is built,
    after every app has extended the world: the files are named after the figures, which the other apps change."""
    from bilans import data, services

    bilan = data.compute(w.collectif, YEAR)
    for each in services.FORMATS:
        path = services.bilan_path(w.collectif.pk, bilan.year, bilan.digest(), each)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7\n%%EOF\n" if each == "pdf" else b"PK")
    return {"collectif_slug": w.collectif.slug, "year": YEAR, "fmt": fmt}


def _c(w):
    return {"collectif_slug": w.collectif.slug}


def _y(w):
    return {"collectif_slug": w.collectif.slug, "year": YEAR}


CASES = [
    Case("bilans:bilan", MEMBERS_READ, kwargs=_c),
    Case("bilans:bilan", MEMBERS_READ, kwargs=_c, query="?annee=2024-2025", note="(année choisie)"),
    Case("bilans:build", WRITE_POST, kwargs=_y, method="post"),
    Case("bilans:build", POST_ONLY, kwargs=_y, note="(GET refusé)"),
    Case("bilans:status", MEMBERS_READ, kwargs=_y),
    Case("bilans:file", MEMBERS_READ, kwargs=lambda w: _ready(w, "pdf")),
    Case("bilans:file", MEMBERS_READ, kwargs=lambda w: _ready(w, "odt"), note="(ODT)"),
]
