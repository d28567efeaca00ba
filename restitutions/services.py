"""Every change to cycles, restitutions, points and free sections goes through these functions.

Each change bumps the restitution's `updated_at`, on which the cached PDFs are keyed: a cycle's PDF is built
again as soon as one of its restitutions changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.html import sanitize_html
from restitutions.models import Cycle, CycleSession, FreeSection, Point, Restitution

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


CYCLE_FIELDS = ("name", "organiser", "starts_on", "ends_on", "objectives", "commitments", "manager")
CYCLE_RELATIONS = ("collectifs", "organisers", "partners")


def _cycle_relations(cycle: Cycle, relations: dict) -> None:
    for name, values in relations.items():
        values = list(values)
        if name == "collectifs":
            # The owning collectif is the cycle's own; it is never listed among the others.
            values = [c for c in values if c.pk != cycle.collectif_id]
        getattr(cycle, name).set(values)


def _split_cycle_fields(fields: dict) -> tuple[dict, dict]:
    unknown = set(fields) - set(CYCLE_FIELDS) - set(CYCLE_RELATIONS)
    if unknown:
        raise RestitutionError(f"Champs inconnus : {sorted(unknown)}")
    return (
        {k: v for k, v in fields.items() if k in CYCLE_FIELDS},
        {k: v for k, v in fields.items() if k in CYCLE_RELATIONS},
    )


@transaction.atomic
def cycle_create(*, by: User, collectif, name: str, **fields) -> Cycle:
    """A new cycle of `collectif`. A CRPV editor who starts it pilots it unless another manager is named."""
    plain, relations = _split_cycle_fields(fields)
    if plain.get("manager") is None and by.is_crpv_editor:
        plain["manager"] = by
    cycle = Cycle.objects.create(collectif=collectif, name=name, **plain)
    _cycle_relations(cycle, relations)
    logger.info("cycle_create cycle=%s collectif=%s user=%s", cycle.pk, collectif.pk, by.pk)
    return cycle


@transaction.atomic
def cycle_update(*, by: User, cycle: Cycle, **fields) -> Cycle:
    plain, relations = _split_cycle_fields(fields)
    for name, value in plain.items():
        setattr(cycle, name, value)
    cycle.save(update_fields=[*plain, "updated_at"])
    _cycle_relations(cycle, relations)
    logger.info("cycle_update cycle=%s fields=%s user=%s", cycle.pk, sorted(fields), by.pk)
    return cycle


SESSION_FIELDS = ("title", "planned_on", "precision", "collectif", "place", "reunion")


def _check_session(cycle: Cycle, fields: dict) -> None:
    collectif, reunion = fields.get("collectif"), fields.get("reunion")
    allowed = cycle.all_collectif_ids()
    if collectif is not None and collectif.pk not in allowed:
        raise RestitutionError(_("Ce collectif ne prend pas part au cycle."))
    if reunion is not None and (reunion.kind != "atelier" or reunion.collectif_id not in allowed):
        raise RestitutionError(_("Choisissez un atelier d'un collectif du cycle."))


@transaction.atomic
def cycle_session_add(*, by: User, cycle: Cycle, title: str, number: int | None = None, **fields) -> CycleSession:
    """Plan one more atelier of the cycle (numbered after the last one unless a number is given)."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise RestitutionError(f"Champs inconnus : {sorted(unknown)}")
    _check_session(cycle, fields)
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()  # numbers are given one at a time
    if number is None:
        number = (cycle.sessions.aggregate(last=Max("number"))["last"] or 0) + 1
    elif cycle.sessions.filter(number=number).exists():
        raise RestitutionError(_("Le cycle a déjà un atelier n° %(number)s.") % {"number": number})
    session = CycleSession.objects.create(cycle=cycle, number=number, title=title, **fields)
    Cycle.objects.filter(pk=cycle.pk).update(updated_at=timezone.now())
    logger.info("cycle_session_add session=%s cycle=%s user=%s", session.pk, cycle.pk, by.pk)
    return session


@transaction.atomic
def cycle_session_update(*, by: User, session: CycleSession, **fields) -> CycleSession:
    unknown = set(fields) - set(SESSION_FIELDS) - {"number"}
    if unknown:
        raise RestitutionError(f"Champs inconnus : {sorted(unknown)}")
    _check_session(session.cycle, fields)
    number = fields.get("number")
    if number is not None and session.cycle.sessions.filter(number=number).exclude(pk=session.pk).exists():
        raise RestitutionError(_("Le cycle a déjà un atelier n° %(number)s.") % {"number": number})
    for name, value in fields.items():
        setattr(session, name, value)
    session.save(update_fields=[*fields, "updated_at"])
    Cycle.objects.filter(pk=session.cycle_id).update(updated_at=timezone.now())
    logger.info("cycle_session_update session=%s fields=%s user=%s", session.pk, sorted(fields), by.pk)
    return session


@transaction.atomic
def cycle_session_delete(*, by: User, session: CycleSession) -> None:
    """Take a planned atelier out of the cycle; the reunion it was linked to, if any, stays in the reunions."""
    logger.info("cycle_session_delete session=%s cycle=%s user=%s", session.pk, session.cycle_id, by.pk)
    cycle_id = session.cycle_id
    session.delete()
    Cycle.objects.filter(pk=cycle_id).update(updated_at=timezone.now())


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


@transaction.atomic
def restitution_take_carry_over(*, by: User, restitution: Restitution, points: list[Point]) -> list[Point]:
    """Take questions vives of the previous atelier as starting points of this restitution: each becomes a question
    vive of it, after its own, unless the same text is already there (taking twice adds nothing)."""
    existing = set(restitution.points.filter(section=Point.Section.QUESTIONS).values_list("text", flat=True))
    if restitution.points.count() + len(points) > MAX_POINTS:
        raise RestitutionError(f"Une restitution compte au plus {MAX_POINTS} points.")
    last = restitution.points.filter(section=Point.Section.QUESTIONS).aggregate(last=Max("position"))["last"] or 0
    created = []
    for point in points:
        if point.text in existing:
            continue
        existing.add(point.text)
        last += 1
        created.append(
            Point.objects.create(
                restitution=restitution, section=Point.Section.QUESTIONS, text=point.text, position=last
            )
        )
    if created:
        _touch(restitution)
    logger.info("restitution_take_carry_over restitution=%s points=%s user=%s", restitution.pk, len(created), by.pk)
    return created
