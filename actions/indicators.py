"""The collectif's indicators for one school year, computed in SQL from what members already record (reunions,
attendance, actions), in a fixed number of queries whatever the number of reunions, invitations or actions.

The funders and the CRPV ask for the frequency of meetings and the number and diversity of participants (seed 003,
« Indicateurs de suivi ») : they come out of the attendance recorded after each reunion, not from a separate report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import number_format

from actions.models import Action
from core import schoolyear
from membres.models import Membership, Niveau
from reunions import selectors as reunion_selectors
from reunions.selectors import (
    PooledQuestionnaires,
    ReunionFigures,
    held_plenieres,
    institutions_by_kind,
    present_membership_ids,
    questionnaires_of_year,
    reunion_figures,
)


@dataclass
class Indicators:
    year: int
    years: list[int]
    reunions: list[ReunionFigures]
    by_kind: list[tuple[str, int]]
    actions_by_status: list[tuple[str, int]]
    actions_by_theme: list[tuple[str, int]]
    institutions_by_kind: list[tuple[str, int]] = field(default_factory=list)
    decrochage: list[Membership] | None = None
    questionnaires: PooledQuestionnaires | None = None

    @property
    def label(self) -> str:
        return schoolyear.label(self.year)

    @property
    def present(self) -> int:
        return sum(r.present for r in self.reunions)

    @property
    def recorded(self) -> int:
        return sum(r.recorded for r in self.reunions)

    @property
    def attendance_rate(self) -> int | None:
        return round(100 * self.present / self.recorded) if self.recorded else None

    @property
    def institutions(self) -> int:
        """Distinct institutions present at least once in the year (each has one kind, so the sum is exact)."""
        return sum(n for _label, n in self.institutions_by_kind)

    @property
    def presences_by_niveau(self) -> list[tuple[str, int, int]]:
        """(niveau, presences over the year, reunions where the niveau was present)."""
        return [
            (
                str(label),
                sum(r.present_by_niveau[value] for r in self.reunions),
                sum(1 for r in self.reunions if r.present_by_niveau[value]),
            )
            for value, label in Niveau.choices
        ]

    @property
    def niveaux(self) -> int:
        return sum(1 for _label, presences, _n in self.presences_by_niveau if presences)

    @property
    def reunions_held(self) -> int:
        return len(self.reunions)


def available_years(collectif) -> list[int]:
    """From the school year of the collectif's first reunion to the current one, most recent first."""
    current = schoolyear.school_year_of(timezone.localdate())
    first = reunion_selectors.first_reunion_start(collectif)
    start = schoolyear.school_year_of(timezone.localtime(first).date()) if first else current
    start = min(start, current)
    return list(range(current, start - 1, -1))


def actions_figures(collectif, year: int) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Actions under way at some point of the school year, by current status and by theme."""
    actions = Action.objects.filter(collectif=collectif).active_during(*schoolyear.bounds(year))
    counts = dict(actions.order_by().values_list("status").annotate(n=Count("pk")))
    by_status = [(str(label), counts.get(value, 0)) for value, label in Action.Status.choices]
    by_theme = list(
        Action.themes.through.objects.filter(action__in=actions.values("pk"))
        .values_list("theme__name")
        .annotate(n=Count("action_id"))
        .order_by("-n", "theme__name")
    )
    return by_status, by_theme


def decrochage(collectif) -> list[Membership]:
    """Members who were at none of the last three plénières held (a « décrochage du collectif » warning).

    Only members and coordinators (guests are not expected) who had already joined at the first of those three
    count; with fewer than three plénières held, nobody is flagged. One query: the three plénières are a subquery.
    """
    plenieres = held_plenieres(collectif)
    attended = present_membership_ids(plenieres.values("pk")[:3])
    return list(
        Membership.objects.active()
        .filter(collectif=collectif)
        .exclude(role=Membership.Role.GUEST)
        .annotate(third_pleniere=TruncDate(Subquery(plenieres.values("starts_at")[2:3])))
        .filter(joined_on__lte=F("third_pleniere"))
        .exclude(pk__in=attended)
        .select_related("user", "institution")
        .order_by("institution__name", "user__last_name")
    )


def compute(collectif, year: int | None, *, with_decrochage: bool) -> Indicators:
    years = available_years(collectif)
    if year not in years:
        year = years[0]
    reunions = reunion_figures(collectif, year)
    kind_counts = Counter(r.kind for r in reunions)
    by_kind = [(str(label), kind_counts.get(value, 0)) for value, label in reunion_selectors.reunion_kind_choices()]
    by_status, by_theme = actions_figures(collectif, year)
    indicators = Indicators(
        year=year,
        years=years,
        reunions=reunions,
        by_kind=by_kind,
        actions_by_status=by_status,
        actions_by_theme=by_theme,
        institutions_by_kind=institutions_by_kind(collectif, year),
        questionnaires=questionnaires_of_year(collectif, year),
    )
    if with_decrochage:
        indicators.decrochage = decrochage(collectif)
    return indicators


# --- Server-rendered charts --------------------------------------------------------------------------------

CHART_WIDTH = 640
LABEL_WIDTH = 230
BAR_MAX = 330
ROW_HEIGHT = 30


def bar_chart(rows: list[tuple[str, int | None]], *, unit: str = "", maximum: int | None = None) -> dict:
    """Geometry of a horizontal bar chart (drawn by `actions/includes/bar_chart.html`, no inline style)."""
    values = [v or 0 for _label, v in rows]
    top = maximum or max(values, default=0) or 1
    bars = []
    for i, (label, value) in enumerate(rows):
        width = round(BAR_MAX * (value or 0) / top)
        short = label if len(label) <= 32 else label[:31] + "…"
        bars.append(
            {
                "label": short,
                "value": "—" if value is None else f"{number_format(value)}{unit}",
                "y": i * ROW_HEIGHT,
                "text_y": i * ROW_HEIGHT + 20,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
    }


def csv_rows(ind: Indicators) -> list[list]:
    """The figures of the page, one per line: (section, item, value)."""
    rows: list[list] = [["Année scolaire", ind.label, ""]]
    rows.append(["Réunions tenues", "Total", ind.reunions_held])
    rows += [["Réunions tenues par type", label, n] for label, n in ind.by_kind]
    rows.append(["Présence", "Présences", ind.present])
    rows.append(["Présence", "Présences renseignées", ind.recorded])
    rows.append(["Présence", "Taux de présence (%)", "" if ind.attendance_rate is None else ind.attendance_rate])
    rows.append(["Institutions présentes", "Nombre sur l'année", ind.institutions])
    rows += [["Institutions présentes par type", label, n] for label, n in ind.institutions_by_kind]
    rows.append(["Niveaux présents", "Nombre sur l'année", ind.niveaux])
    rows += [["Présences par niveau", label, n] for label, n, _r in ind.presences_by_niveau]
    for r in ind.reunions:
        item = f"{timezone.localtime(r.starts_at):%d/%m/%Y} {r.title}"
        rows.append(["Réunion : présents", item, r.present])
        rows.append(["Réunion : taux de présence (%)", item, "" if r.attendance_rate is None else r.attendance_rate])
        rows.append(["Réunion : institutions présentes", item, r.institutions])
        rows.append(["Réunion : niveaux présents", item, r.niveaux])
    q = ind.questionnaires
    if q and q.questionnaires:
        rows.append(["Questionnaires des participants", "Questionnaires", q.questionnaires])
        rows.append(["Questionnaires des participants", "Personnes sollicitées", q.asked])
        rows.append(["Questionnaires des participants", "Réponses", q.answers])
        for question in q.asked_questions:
            rows.append(["Questionnaire : réponses", question.label, question.count])
            rows.append(["Questionnaire : moyenne sur 5", question.label, number_format(question.mean, 1)])
    rows += [["Actions par statut", label, n] for label, n in ind.actions_by_status]
    rows += [["Actions par thème", label, n] for label, n in ind.actions_by_theme]
    return rows
