"""Writes of the collectifs app: the charte (versions and adoptions)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from collectifs.models import CharteAdoption, CharteVersion, Collectif, Institution, PeriodeAEviter, Territoire
from collectifs.territoires import Scale, classify, region_name

logger = logging.getLogger(__name__)


class CharteUnchanged(Exception):
    """The submitted text is the current version's: no new version."""


@transaction.atomic
def charte_edit(*, collectif: Collectif, text: str, by) -> CharteVersion:
    """Each edit of the charte is a new version; earlier versions (and what was adopted) stay as they were."""
    text = text.replace("\r\n", "\n").strip()
    # Lock the collectif so that two coordinators saving at once get consecutive numbers.
    Collectif.objects.select_for_update().filter(pk=collectif.pk).first()
    current = CharteVersion.objects.filter(collectif=collectif).order_by("-number").first()
    if current is not None and current.text == text:
        raise CharteUnchanged
    number = (CharteVersion.objects.filter(collectif=collectif).aggregate(n=Max("number"))["n"] or 0) + 1
    version = CharteVersion.objects.create(collectif=collectif, number=number, text=text, author=by)
    logger.info("charte_edit collectif=%s version=%s by_user=%s", collectif.pk, number, getattr(by, "pk", None))
    return version


@transaction.atomic
def charte_adopt(
    *,
    collectif: Collectif,
    version: CharteVersion,
    adopted_on: datetime.date,
    institutions: Iterable[Institution],
    by,
) -> CharteAdoption:
    """Record that the partners adopted a version of the charte on a date, and which institutions adhered."""
    if version.collectif_id != collectif.pk:
        raise ValueError("The version belongs to another collectif.")
    adoption = CharteAdoption.objects.create(
        collectif=collectif, version=version, adopted_on=adopted_on, recorded_by=by
    )
    adoption.institutions.set(institutions)
    logger.info(
        "charte_adopt collectif=%s version=%s adoption=%s by_user=%s",
        collectif.pk,
        version.number,
        adoption.pk,
        getattr(by, "pk", None),
    )
    return adoption


@transaction.atomic
def institution_get_or_create(*, name: str, kind: str, territoire, by) -> Institution:
    """An institution named by a coordinator while inviting; an existing one of that name and territory is reused."""
    institution, created = Institution.objects.get_or_create(name=name, territoire=territoire, defaults={"kind": kind})
    if created:
        logger.info("institution_create institution=%s by_user=%s", institution.pk, getattr(by, "pk", None))
    return institution


@transaction.atomic
def territoire_get_or_create(*, name: str, by) -> Territoire | None:
    """The territory a person wrote (an import, a form), at its real scale.

    A name of the reference list (territoires_reference) is a région, a département, several départements or an
    overseas département (DROM), with its official name and code, a département inside its région. A name the list
    does not know is an existing territory of that name, else a new commune — but only when it is one plain name:
    « Nord Isère, Haut-Rhône » is not invented as a commune (None).
    """
    name = " ".join((name or "").split())
    if not name:
        return None
    match = classify(name)
    if match is None:
        existing = Territoire.objects.filter(name__iexact=name).order_by("kind").first()
        if existing is not None or any(sep in name for sep in (",", ";", "/", " et ")):
            return existing
        return _territoire_create(name=name, kind=Territoire.Kind.COMMUNE, code="", parent=None, by=by)
    existing = Territoire.objects.filter(name__iexact=match.name, kind=match.scale).first()
    if existing is not None:
        return existing
    parent = None
    if match.scale in (Scale.DEPARTEMENT, Scale.DEPARTEMENTS) and match.region_code:
        parent = territoire_get_or_create(name=region_name(match.region_code), by=by)
    return _territoire_create(name=match.name, kind=match.scale, code=match.code, parent=parent, by=by)


def _territoire_create(*, name: str, kind: str, code: str, parent: Territoire | None, by) -> Territoire:
    territoire = Territoire.objects.create(name=name, kind=kind, code=code, parent=parent)
    logger.info("territoire_create territoire=%s kind=%s by_user=%s", territoire.pk, kind, getattr(by, "pk", None))
    return territoire


# --- School calendar -----------------------------------------------------------------------------------------


class PeriodeError(ValueError):
    """A period to avoid that cannot be saved as given (its message is for the user)."""


@transaction.atomic
def collectif_set_academie(*, collectif: Collectif, academie: str, by) -> Collectif:
    """Choose the collectif's académie (blank: the one of its territory); its zone of school holidays follows."""
    from collectifs.calendrier import ACADEMIES

    if academie and academie not in ACADEMIES:
        raise ValueError(f"académie inconnue : {academie}")
    collectif.academie = academie
    collectif.save(update_fields=["academie"])
    logger.info("collectif_set_academie collectif=%s academie=%s by_user=%s", collectif.pk, academie, by.pk)
    return collectif


@transaction.atomic
def periode_add(
    *, collectif: Collectif, kind: str, label: str, starts_on: datetime.date, ends_on: datetime.date, by
) -> PeriodeAEviter:
    """Add a period to avoid. It belongs to the school year of its first day, and must end within it."""
    from django.utils.translation import gettext as _

    from core import schoolyear

    year = schoolyear.school_year_of(starts_on)
    if ends_on < starts_on:
        raise PeriodeError(_("La fin doit suivre le début."))
    if ends_on > schoolyear.bounds(year)[1]:
        raise PeriodeError(_("Une période à éviter tient dans une seule année scolaire (septembre à août)."))
    label = label.strip() or str(PeriodeAEviter.Kind(kind).label)
    if PeriodeAEviter.objects.filter(collectif=collectif, school_year=year, label=label).exists():
        raise PeriodeError(_("Cette année scolaire compte déjà une période « %(label)s ».") % {"label": label})
    periode = PeriodeAEviter.objects.create(
        collectif=collectif,
        school_year=year,
        kind=kind,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    logger.info("periode_add collectif=%s periode=%s by_user=%s", collectif.pk, periode.pk, by.pk)
    return periode


@transaction.atomic
def periode_delete(*, periode: PeriodeAEviter, by) -> None:
    logger.info("periode_delete collectif=%s periode=%s by_user=%s", periode.collectif_id, periode.pk, by.pk)
    periode.delete()
