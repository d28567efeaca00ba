"""What the annual bilan shows, read from every app for one collectif and one school year.

The funders and the comité de pilotage ask each year for the same things (seed 003, « Évaluation et résultats »,
« Indicateurs de suivi »): who is in the collectif, at which niveau; how often it met and who came; how diverse the
institutions were; what it did (actions, with their results) and decided; what it produced (restitutions, fiches).
The reunion, attendance and action figures are those of the indicators page (actions.indicators), computed by the
same function, so that the two never disagree.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from actions import indicators
from actions.models import Action, JournalEntry
from collectifs.models import Collectif
from core import schoolyear
from fiches_experience.models import FicheExperience
from membres.models import Membership, Niveau
from restitutions.models import Restitution
from reunions import selectors as reunion_selectors
from reunions.models import Decision


@dataclass
class Bilan:
    collectif: Collectif
    year: int
    indicators: indicators.Indicators
    members_by_niveau: list[tuple[str, int, int]]  # (niveau, members, institutions)
    members: int
    member_institutions: int
    actions: list[dict]
    decisions: list[dict]
    restitutions: list[dict]
    fiches: list[dict]
    questionnaires: list[dict] = field(default_factory=list)
    questionnaire_totals: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return schoolyear.label(self.year)

    @property
    def title(self) -> str:
        return f"Bilan {self.label} — {self.collectif.name}"

    def figures(self) -> dict:
        """Every figure and line of the documents, as plain values: the content the cached files are keyed on."""
        ind = self.indicators
        return {
            "collectif": [self.collectif.pk, self.collectif.name],
            "year": self.year,
            "members": [self.members, self.member_institutions, self.members_by_niveau],
            "indicators": [list(map(str, row)) for row in indicators.csv_rows(ind)],
            "actions": self.actions,
            "decisions": self.decisions,
            "restitutions": self.restitutions,
            "fiches": self.fiches,
            "questionnaires": self.questionnaires,
            "questionnaire_totals": self.questionnaire_totals,
        }

    def digest(self) -> str:
        payload = json.dumps(self.figures(), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


def _members(collectif, year: int) -> tuple[list[tuple[str, int, int]], int, int]:
    """Members of the collectif at some point of the school year, and their institutions, by niveau."""
    start, end = schoolyear.bounds(year)
    memberships = Membership.objects.filter(collectif=collectif, joined_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=start)
    )
    rows = {
        niveau: (n, i)
        for niveau, n, i in memberships.order_by()
        .values_list("niveau")
        .annotate(n=Count("pk"), i=Count("institution", distinct=True))
    }
    by_niveau = [(str(label), *rows.get(value, (0, 0))) for value, label in Niveau.choices]
    totals = memberships.aggregate(n=Count("pk"), i=Count("institution", distinct=True))
    return by_niveau, totals["n"], totals["i"]


def _actions(collectif, year: int) -> list[dict]:
    """Actions under way during the year, with their results noted in the journal during the year (outcomes)."""
    start, end = schoolyear.bounds(year)
    actions = (
        Action.objects.filter(collectif=collectif)
        .active_during(start, end)
        .select_related("lead_institution")
        .prefetch_related("themes")
        .order_by("status", "title")
    )
    results: dict[int, list[str]] = {}
    for action_id, text in (
        JournalEntry.objects.filter(action__in=actions, kind=JournalEntry.Kind.RESULT, date__gte=start, date__lte=end)
        .order_by("date", "pk")
        .values_list("action_id", "text")
    ):
        results.setdefault(action_id, []).append(text)
    return [
        {
            "title": a.title,
            "status": str(a.get_status_display()),
            "lead": a.lead_institution.name if a.lead_institution else "",
            "themes": ", ".join(t.name for t in a.themes.all()),
            "results": results.get(a.pk, []),
        }
        for a in actions
    ]


def _decisions(collectif, year: int) -> list[dict]:
    start, end = schoolyear.datetime_bounds(year)
    rows = (
        Decision.objects.filter(
            reunion__collectif=collectif,
            reunion__starts_at__gte=start,
            reunion__starts_at__lt=end,
            reunion__status__in=reunion_selectors.HELD_STATUSES,
        )
        .select_related("reunion")
        .order_by("reunion__starts_at", "position", "pk")
    )
    return [
        {"date": f"{timezone.localtime(d.reunion.starts_at):%d/%m/%Y}", "reunion": d.reunion.title, "text": d.text}
        for d in rows
    ]


def _restitutions(collectif, year: int) -> list[dict]:
    start, end = schoolyear.bounds(year)
    rows = (
        Restitution.objects.filter(collectif=collectif)
        .filter(
            Q(held_on__gte=start, held_on__lte=end)
            | Q(held_on__isnull=True, created_at__date__gte=start, created_at__date__lte=end)
        )
        .select_related("cycle")
        .annotate(n_points=Count("points"))
        .order_by("held_on", "atelier_numbers", "pk")
    )
    return [
        {
            "title": f"{r.atelier_label} — {r.title}" if r.atelier_label else r.title,
            "cycle": r.cycle.name if r.cycle_id else "",
            "held_on": f"{r.held_on:%d/%m/%Y}" if r.held_on else "",
            "points": r.n_points,
            "status": str(r.get_status_display()),
        }
        for r in rows
    ]


def _fiches(collectif, year: int) -> list[dict]:
    start, end = schoolyear.datetime_bounds(year)
    rows = FicheExperience.objects.filter(collectif=collectif, created_at__gte=start, created_at__lt=end).order_by(
        "title"
    )
    return [{"title": f.title, "status": str(f.get_status_display())} for f in rows]


def _questionnaires(ind: indicators.Indicators) -> tuple[list[dict], dict]:
    """The anonymous answers to the questionnaires after the year's reunions (reunions.selectors.
    questionnaires_of_year, read once by the indicators): per question, answers and mean."""
    year = ind.questionnaires
    if year is None or not year.questionnaires:
        return [], {}
    rows = [{"question": q.label, "answers": q.count, "mean": q.mean} for q in year.asked_questions]
    return rows, {"questionnaires": year.questionnaires, "asked": year.asked, "answers": year.answers}


def compute(collectif, year: int) -> Bilan:
    ind = indicators.compute(collectif, year, with_decrochage=False)
    questionnaires, questionnaire_totals = _questionnaires(ind)
    by_niveau, members, institutions = _members(collectif, ind.year)
    return Bilan(
        collectif=collectif,
        year=ind.year,
        indicators=ind,
        members_by_niveau=by_niveau,
        members=members,
        member_institutions=institutions,
        actions=_actions(collectif, ind.year),
        decisions=_decisions(collectif, ind.year),
        restitutions=_restitutions(collectif, ind.year),
        fiches=_fiches(collectif, ind.year),
        questionnaires=questionnaires,
        questionnaire_totals=questionnaire_totals,
    )


def available_years(collectif) -> list[int]:
    return indicators.available_years(collectif)
