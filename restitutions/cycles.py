"""Reads of a cycle of ateliers as a project: its sessions with their turnout and restitutions, and the carry-over
from one atelier to the next. Shared by the cycle's page, its final report (PDF) and the restitution form.

The carry-over (seed 002: a cycle builds « une vision partagée » atelier after atelier): the *questions vives* of
the previous atelier's restitution are offered as the starting points of the next one. « Previous » follows the
cycle's planned sessions (by number) when the restitution belongs to one of them; otherwise the order of the
cycle's restitutions (date of the atelier, numbers, creation).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from restitutions.models import Cycle, CycleSession, Point, Restitution
from reunions.selectors import PooledQuestionnaires, Turnout, questionnaires_of_reunions, turnout_by_reunion

RESTITUTION_ORDER = ("held_on", "atelier_numbers", "pk")


@dataclass
class CarryOver:
    """The questions vives of `restitutions` (those of one atelier), offered to the atelier after it."""

    restitutions: list[Restitution]
    points: list[Point]
    session: CycleSession | None = None

    @property
    def source_label(self) -> str:
        """« l'atelier 2 « Un diagnostic partagé » », to follow « de » in a sentence."""
        if self.session is not None:
            return _("l'atelier %(number)s « %(title)s »") % {
                "number": self.session.number,
                "title": self.session.title,
            }
        first = self.restitutions[0]
        if first.atelier_numbers:
            return _("l'atelier %(number)s « %(title)s »") % {"number": first.atelier_numbers, "title": first.title}
        return _("l'atelier « %(title)s »") % {"title": first.title}


@dataclass
class SessionRow:
    session: CycleSession
    turnout: Turnout | None
    restitutions: list[Restitution] = field(default_factory=list)
    carry_over: CarryOver | None = None
    is_next: bool = False
    # Set by the page for the visitor's collectif: the reunion's page, the link to write its restitution.
    reunion_url: str = ""
    write_url: str = ""


@dataclass
class CycleOverview:
    cycle: Cycle
    rows: list[SessionRow]
    restitutions: list[Restitution]
    # The restitutions of the cycle attached to no planned session (written before sessions existed).
    loose: list[Restitution]
    # What the next atelier starts from: the questions vives of the last atelier with a restitution.
    next_carry_over: CarryOver | None
    # The questionnaires of the held sessions, pooled (reunions.selectors.questionnaires_of_reunions).
    questionnaires: PooledQuestionnaires | None = None

    @property
    def held(self) -> int:
        return sum(1 for row in self.rows if row.session.is_held)

    @property
    def turnout_total(self) -> int:
        return sum(row.turnout.total for row in self.rows if row.turnout)


def questions_of(restitution: Restitution) -> list[Point]:
    """The questions vives of a restitution, in order, from its prefetched points."""
    return sorted(
        (p for p in restitution.points.all() if p.section == Point.Section.QUESTIONS), key=lambda p: (p.position, p.pk)
    )


def _carry_over(restitutions: list[Restitution], session: CycleSession | None = None) -> CarryOver | None:
    points = [p for r in restitutions for p in questions_of(r)]
    return CarryOver(restitutions=restitutions, points=points, session=session) if points else None


def sessions_of(cycle: Cycle) -> list[CycleSession]:
    return list(cycle.sessions.select_related("reunion__collectif", "collectif").order_by("number", "pk"))


def restitutions_with_questions(cycle: Cycle):
    """The cycle's restitutions (every collectif of the cycle) with only their questions vives: two queries."""
    return (
        cycle.restitutions.select_related("collectif")
        .prefetch_related(Prefetch("points", queryset=Point.objects.filter(section=Point.Section.QUESTIONS)))
        .order_by(*RESTITUTION_ORDER)
    )


def cycle_overview(cycle: Cycle, *, restitutions=None) -> CycleOverview:
    """The sessions in order, each with its turnout (members and registrants present at its reunion), its
    restitutions and what it starts from; in a fixed number of queries whatever the number of sessions.

    `restitutions`: the cycle's restitutions with their points prefetched (the report passes them with all their
    content); by default, with their questions vives only."""
    sessions = sessions_of(cycle)
    restitutions = list(restitutions if restitutions is not None else restitutions_with_questions(cycle))
    turnout = turnout_by_reunion([s.reunion_id for s in sessions])
    by_reunion: dict[int, list[Restitution]] = {}
    for r in restitutions:
        if r.reunion_id:
            by_reunion.setdefault(r.reunion_id, []).append(r)
    rows, previous, next_marked = [], None, False
    for session in sessions:
        row = SessionRow(
            session=session,
            turnout=turnout.get(session.reunion_id) if session.reunion_id else None,
            restitutions=by_reunion.get(session.reunion_id, []) if session.reunion_id else [],
            carry_over=previous,
        )
        if not next_marked and session.state in (CycleSession.State.PLANNED, CycleSession.State.SCHEDULED):
            row.is_next = next_marked = True
        # A session starts from the previous questions once held, or as the next one; the later ones will start from
        # what the ateliers before them raise.
        if not (row.is_next or session.is_held):
            row.carry_over = None
        rows.append(row)
        if row.restitutions:
            previous = _carry_over(row.restitutions, session) or previous
    attached = {r.pk for row in rows for r in row.restitutions}
    loose = [r for r in restitutions if r.pk not in attached]
    # Without planned sessions (a cycle of restitutions only), the next atelier starts from the last restitution.
    next_carry_over = previous if rows else _carry_over(restitutions[-1:])
    reunion_ids = [s.reunion_id for s in sessions if s.reunion_id]
    return CycleOverview(
        cycle=cycle,
        rows=rows,
        restitutions=restitutions,
        loose=loose,
        next_carry_over=next_carry_over,
        questionnaires=questionnaires_of_reunions(reunion_ids) if reunion_ids else None,
    )


def carry_over_for(
    cycle: Cycle, *, reunion_id: int | None = None, restitution: Restitution | None = None
) -> CarryOver | None:
    """What an atelier's restitution may start from: the questions vives of the previous atelier of `cycle`.

    `reunion_id`: the atelier the restitution reports on (a planned session's reunion gives the session order);
    `restitution`: the restitution being edited (never its own source)."""
    sessions = list(cycle.sessions.order_by("number", "pk").only("pk", "number", "title", "reunion_id", "cycle_id"))
    every = list(restitutions_with_questions(cycle))
    restitutions = [r for r in every if restitution is None or r.pk != restitution.pk]
    session = next((s for s in sessions if reunion_id and s.reunion_id == reunion_id), None)
    if session is not None:
        by_reunion: dict[int, list[Restitution]] = {}
        for r in restitutions:
            if r.reunion_id:
                by_reunion.setdefault(r.reunion_id, []).append(r)
        for earlier in reversed([s for s in sessions if s.number < session.number]):
            found = _carry_over(by_reunion.get(earlier.reunion_id, []) if earlier.reunion_id else [], earlier)
            if found is not None:
                return found
        return None
    if restitution is not None and restitution.pk:
        index = next((i for i, r in enumerate(every) if r.pk == restitution.pk), None)
        if index is not None:
            before = every[:index]
            return _carry_over(before[-1:]) if before else None
    return _carry_over(restitutions[-1:]) if restitutions else None


def cycles_of(collectif):
    """The cycles a collectif takes part in (owned or shared), for its list of restitutions."""
    return Cycle.objects.for_collectif(collectif).select_related("collectif").order_by("-starts_on", "name")


def collectifs_of_departement(collectif):
    """The other collectifs of the département of `collectif`, which a cycle of it may take in (the territory's
    département code, `collectifs.calendrier.departement_of`; the same territory when the département is unknown)."""
    from collectifs.calendrier import departement_of
    from collectifs.models import Collectif

    departement = departement_of(collectif.territoire)
    candidates = Collectif.objects.exclude(pk=collectif.pk).select_related("territoire__parent__parent__parent")
    if not departement:
        return candidates.filter(territoire=collectif.territoire).order_by("name")
    pks = [c.pk for c in candidates if departement_of(c.territoire) == departement]
    return Collectif.objects.filter(pk__in=pks).order_by("name")


def atelier_choices(cycle: Cycle, *, session: CycleSession | None = None):
    """The ateliers (reunions of kind atelier) of the cycle's collectifs that a session may be linked to: not yet
    linked to another session, nor reported on by a restitution of another cycle."""
    from reunions.models import Reunion

    taken = CycleSession.objects.exclude(reunion=None)
    if session is not None and session.pk:
        taken = taken.exclude(pk=session.pk)
    elsewhere = Restitution.objects.filter(reunion__isnull=False, cycle__isnull=False).exclude(cycle=cycle)
    return (
        Reunion.objects.filter(kind=Reunion.Kind.ATELIER, collectif_id__in=cycle.all_collectif_ids())
        .exclude(pk__in=taken.values("reunion_id"))
        .exclude(pk__in=elsewhere.values("reunion_id"))
        .select_related("collectif")
        .order_by("-starts_at")
    )


def restitution_visible_in(restitution: Restitution, collectif) -> bool:
    """Whether a member of `collectif` opens the restitution's own page: it is written in that collectif, or it is
    published (public). A restitution of another collectif of the cycle shows in the cycle's report either way."""
    return restitution.collectif_id == collectif.pk or restitution.is_published


def carry_over_offered(restitution: Restitution) -> CarryOver | None:
    """The previous atelier's questions vives that `restitution` has not taken yet (same text among its questions
    vives): what its page offers to take in one click. None when nothing is left to offer."""
    if not restitution.cycle_id:
        return None
    source = carry_over_for(restitution.cycle, reunion_id=restitution.reunion_id, restitution=restitution)
    if source is None:
        return None
    taken = set(restitution.points.filter(section=Point.Section.QUESTIONS).values_list("text", flat=True))
    source.points = [p for p in source.points if p.text not in taken]
    return source if source.points else None
