"""Every change to cycles, restitutions, points and free sections goes through these functions.

Each change bumps the restitution's `updated_at`, on which the cached PDFs are keyed: a cycle's PDF is built
again as soon as one of its restitutions changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.html import sanitize_html
from restitutions.models import Cycle, FreeSection, Point, Restitution

if TYPE_CHECKING:
    from membres.models import User

logger = logging.getLogger(__name__)

RESTITUTION_FIELDS = (
    "title",
    "theme",
    "atelier_numbers",
    "held_on",
    "facilitators",
    "participants",
    "credits",
    "licence",
    "status",
    "cycle",
    "reunion",
)
MAX_POINTS = 200


class RestitutionError(ValueError):
    pass


def _touch(restitution: Restitution) -> None:
    Restitution.objects.filter(pk=restitution.pk).update(updated_at=timezone.now())


@transaction.atomic
def cycle_create(
    *, by: User, collectif, name: str, organiser: str = "", starts_on: date | None = None, ends_on: date | None = None
) -> Cycle:
    cycle = Cycle.objects.create(
        collectif=collectif, name=name, organiser=organiser, starts_on=starts_on, ends_on=ends_on
    )
    logger.info("cycle_create cycle=%s collectif=%s user=%s", cycle.pk, collectif.pk, by.pk)
    return cycle


@transaction.atomic
def cycle_update(
    *,
    by: User,
    cycle: Cycle,
    name: str,
    organiser: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Cycle:
    cycle.name, cycle.organiser, cycle.starts_on, cycle.ends_on = name, organiser, starts_on, ends_on
    cycle.save(update_fields=["name", "organiser", "starts_on", "ends_on", "updated_at"])
    logger.info("cycle_update cycle=%s user=%s", cycle.pk, by.pk)
    return cycle


@transaction.atomic
def restitution_create(*, by: User, collectif, title: str, **fields) -> Restitution:
    unknown = set(fields) - set(RESTITUTION_FIELDS)
    if unknown:
        raise RestitutionError(f"Champs inconnus : {sorted(unknown)}")
    restitution = Restitution.objects.create(collectif=collectif, title=title, created_by=by, **fields)
    logger.info("restitution_create restitution=%s collectif=%s user=%s", restitution.pk, collectif.pk, by.pk)
    return restitution


@transaction.atomic
def restitution_update(*, by: User, restitution: Restitution, **fields) -> Restitution:
    unknown = set(fields) - set(RESTITUTION_FIELDS)
    if unknown:
        raise RestitutionError(f"Champs inconnus : {sorted(unknown)}")
    for name, value in fields.items():
        setattr(restitution, name, value)
    restitution.save(update_fields=[*fields, "updated_at"])
    logger.info("restitution_update restitution=%s fields=%s user=%s", restitution.pk, sorted(fields), by.pk)
    return restitution


@transaction.atomic
def restitution_fill_participants(*, by: User, restitution: Restitution) -> Restitution:
    """« Remplir depuis les présences »: the participants by type of structure become those recorded as present at
    the atelier (members and registrants, walk-ins included), read through reunions.selectors. They stay editable
    on the restitution's form."""
    from reunions.selectors import attendance_by_structure_kind

    if restitution.reunion_id is None:
        raise RestitutionError(_("Cette restitution n'est liée à aucune réunion."))
    rows = attendance_by_structure_kind(restitution.reunion)
    restitution.participants = [{"label": row["label"], "count": row["count"]} for row in rows]
    restitution.save(update_fields=["participants", "updated_at"])
    logger.info("restitution_fill_participants restitution=%s rows=%s user=%s", restitution.pk, len(rows), by.pk)
    return restitution


@transaction.atomic
def restitution_delete(*, by: User, restitution: Restitution) -> None:
    logger.info("restitution_delete restitution=%s user=%s", restitution.pk, by.pk)
    restitution.delete()


@dataclass
class ImportedSection:
    title: str
    lines: list[str]


@transaction.atomic
def restitution_import(
    *,
    by,
    collectif,
    title: str,
    atelier_numbers: str = "",
    points: list[tuple[str, str]],
    free_sections: list[ImportedSection] = (),
    cycle: Cycle | None = None,
) -> Restitution:
    """Create a restitution from a pasted text, once the user has reviewed where each line goes."""
    if len(points) > MAX_POINTS:
        raise RestitutionError(f"Une restitution compte au plus {MAX_POINTS} points.")
    restitution = Restitution.objects.create(
        collectif=collectif, title=title, atelier_numbers=atelier_numbers, cycle=cycle, created_by=by
    )
    positions: dict[str, int] = {}
    rows = []
    for section, text in points:
        positions[section] = positions.get(section, 0) + 1
        rows.append(Point(restitution=restitution, section=section, text=text, position=positions[section]))
    Point.objects.bulk_create(rows)
    FreeSection.objects.bulk_create(
        FreeSection(
            restitution=restitution,
            position=i,
            title=section.title,
            body=sanitize_html("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in section.lines) + "</ul>")
            if section.lines
            else "",
        )
        for i, section in enumerate(free_sections, start=1)
    )
    logger.info(
        "restitution_import restitution=%s points=%s sections=%s user=%s",
        restitution.pk,
        len(rows),
        len(free_sections),
        by.pk,
    )
    return restitution


@transaction.atomic
def point_add(*, by: User, restitution: Restitution, section: str, text: str) -> Point:
    if section not in Point.Section.values:
        raise RestitutionError("Liste inconnue.")
    if restitution.points.count() >= MAX_POINTS:
        raise RestitutionError(f"Une restitution compte au plus {MAX_POINTS} points.")
    last = restitution.points.filter(section=section).aggregate(last=Max("position"))["last"] or 0
    point = Point.objects.create(restitution=restitution, section=section, text=text, position=last + 1)
    _touch(restitution)
    logger.info("point_add point=%s restitution=%s user=%s", point.pk, restitution.pk, by.pk)
    return point


@transaction.atomic
def point_update(*, by: User, point: Point, text: str) -> Point:
    point.text = text
    point.save(update_fields=["text"])
    _touch(point.restitution)
    logger.info("point_update point=%s user=%s", point.pk, by.pk)
    return point


@transaction.atomic
def point_delete(*, by: User, point: Point) -> None:
    restitution = point.restitution
    logger.info("point_delete point=%s restitution=%s user=%s", point.pk, restitution.pk, by.pk)
    point.delete()
    _touch(restitution)


@transaction.atomic
def point_move(*, by: User, point: Point, direction: Literal["up", "down"]) -> Point:
    """Swap the point with its neighbour in its list; the first stays first, the last stays last."""
    siblings = list(
        Point.objects.select_for_update()
        .filter(restitution_id=point.restitution_id, section=point.section)
        .order_by("position", "pk")
    )
    index = next(i for i, p in enumerate(siblings) if p.pk == point.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    # Renumber the whole list: positions stay dense even after deletions.
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            Point.objects.filter(pk=sibling.pk).update(position=position)
    _touch(point.restitution)
    logger.info("point_move point=%s direction=%s user=%s", point.pk, direction, by.pk)
    point.refresh_from_db(fields=["position"])
    return point


@transaction.atomic
def free_section_add(*, by: User, restitution: Restitution, title: str, body: str) -> FreeSection:
    last = restitution.free_sections.aggregate(last=Max("position"))["last"] or 0
    section = FreeSection.objects.create(
        restitution=restitution, title=title, body=sanitize_html(body), position=last + 1
    )
    _touch(restitution)
    logger.info("free_section_add section=%s restitution=%s user=%s", section.pk, restitution.pk, by.pk)
    return section


@transaction.atomic
def free_section_update(*, by: User, section: FreeSection, title: str, body: str) -> FreeSection:
    section.title, section.body = title, sanitize_html(body)
    section.save(update_fields=["title", "body"])
    _touch(section.restitution)
    logger.info("free_section_update section=%s user=%s", section.pk, by.pk)
    return section


@transaction.atomic
def free_section_delete(*, by: User, section: FreeSection) -> None:
    restitution = section.restitution
    logger.info("free_section_delete section=%s restitution=%s user=%s", section.pk, restitution.pk, by.pk)
    section.delete()
    _touch(restitution)
