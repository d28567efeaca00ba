"""Reads of reunions spanning several models: the poll's grid and tallies, the coordinator's to-do, the attendance
figures of the school year (read by actions' indicators and the bilan: other apps read reunions through here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from collectifs.models import Institution
from core import schoolyear
from core.models import OutboxMessage
from core.outbox import mail_counts
from membres.models import Niveau
from reunions.hooks import atelier_restitutions
from reunions.models import DatePoll, Decision, Invitation, Minutes, PollSlot, PollVote, ReminderDue, Reunion


def poll_grid(slots: list[PollSlot], votes: list[PollVote], invitations: list[Invitation]) -> dict:
    """Who answered what per slot (`rows`), the totals per slot (`tally`), and who has not answered (`waiting`)."""
    grid = {(v.slot_id, v.membership_id): v.answer for v in votes}
    rows = [
        {"invitation": inv, "answers": [grid.get((s.pk, inv.membership_id), "") for s in slots]} for inv in invitations
    ]
    tally = [
        {
            "slot": s,
            "oui": sum(1 for v in votes if v.slot_id == s.pk and v.answer == PollVote.Answer.YES),
            "si_besoin": sum(1 for v in votes if v.slot_id == s.pk and v.answer == PollVote.Answer.MAYBE),
            "non": sum(1 for v in votes if v.slot_id == s.pk and v.answer == PollVote.Answer.NO),
        }
        for s in slots
    ]
    answered = {v.membership_id for v in votes}
    return {"rows": rows, "tally": tally, "waiting": [i for i in invitations if i.membership_id not in answered]}


def coordinator_todo(collectif, *, now: datetime | None = None) -> dict[str, list]:
    """What waits for the coordination: open polls (with their answer counts), reunions to convene, attendance to
    record, minutes not adopted yet, reminders that failed."""
    now = now or timezone.now()
    reunions = Reunion.objects.filter(collectif=collectif)
    open_polls = (
        DatePoll.objects.filter(reunion__collectif=collectif, status=DatePoll.Status.OPEN)
        .select_related("reunion")
        .annotate(
            voters=Count("slots__votes__membership", distinct=True),
            invited=Count("reunion__invitations", distinct=True),
        )
    )
    to_convene = reunions.filter(status=Reunion.Status.TO_SCHEDULE, poll__isnull=True).order_by("starts_at", "pk")
    attendance_due = reunions.filter(status=Reunion.Status.CONVENED, starts_at__lt=now).order_by("starts_at")
    minutes_due = (
        reunions.filter(status=Reunion.Status.HELD, starts_at__lt=now)
        .exclude(minutes__status=Minutes.Status.ADOPTED)
        .select_related("minutes", "secretary__user")
        .order_by("starts_at")
    )
    failed_mails = dict(
        OutboxMessage.objects.filter(collectif_id=collectif.pk, status=OutboxMessage.Status.FAILED)
        .exclude(reunion_id=None)
        .values_list("reunion_id")
        .annotate(n=Count("pk"))
        .values_list("reunion_id", "n")
    )
    # An atelier's account is its restitution (written by the CRPV, given by the restitutions app through a hook):
    # once it exists, the coordination is not asked for minutes.
    minutes_due = [r for r in minutes_due if r.kind != Reunion.Kind.ATELIER or not any(atelier_restitutions.call(r))]
    failed_reminders = (
        ReminderDue.objects.filter(reunion__collectif=collectif, status=ReminderDue.Status.FAILED)
        .values_list("reunion_id")
        .annotate(n=Count("pk"))
        .values_list("reunion_id", "n")
    )
    for reunion_id, n in failed_reminders:  # failed before the outbox sent the reminders
        failed_mails[reunion_id] = failed_mails.get(reunion_id, 0) + n
    titles = dict(reunions.filter(pk__in=failed_mails).values_list("pk", "title"))
    failed = [
        {"reunion_id": pk, "reunion__title": titles[pk], "n": n}
        for pk, n in sorted(failed_mails.items())
        if pk in titles
    ]
    return {
        "open_polls": list(open_polls),
        "to_convene": list(to_convene),
        "attendance_due": list(attendance_due),
        "minutes_due": minutes_due,
        "failed": failed,
    }


def mail_stats(reunion: Reunion) -> dict[str, int]:
    """The reunion's e-mails in the outbox (invitations, updates, polls, notices, reminders): waiting, sent, failed."""
    return mail_counts(reunion_id=reunion.pk)


def reminder_stats(reunion: Reunion) -> dict[str, int]:
    """How many reminders of the reunion are in each status."""
    return dict(reunion.reminders.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


# --- Attendance over a school year (indicators, bilan) ---------------------------------------------------------

# A reunion counts as held once its date is past and it was convened, held or its minutes adopted.
HELD_STATUSES = [Reunion.Status.CONVENED, Reunion.Status.HELD, Reunion.Status.MINUTES_ADOPTED]
PRESENT = Invitation.Attendance.PRESENT


def held_reunions(collectif):
    return Reunion.objects.filter(collectif=collectif, status__in=HELD_STATUSES, starts_at__lt=timezone.now())


@dataclass
class ReunionFigures:
    pk: int
    title: str
    kind: str
    kind_label: str
    starts_at: datetime
    invited: int
    present: int
    excused: int
    absent: int
    institutions: int
    institution_kinds: int
    present_by_niveau: dict[str, int]

    @property
    def recorded(self) -> int:
        return self.present + self.excused + self.absent

    @property
    def attendance_rate(self) -> int | None:
        """Present among those whose attendance was recorded, in percent."""
        return round(100 * self.present / self.recorded) if self.recorded else None

    @property
    def niveaux(self) -> int:
        return sum(1 for n in self.present_by_niveau.values() if n)


def reunion_figures(collectif, year: int) -> list[ReunionFigures]:
    start, end = schoolyear.datetime_bounds(year)
    present = Q(invitations__attendance=PRESENT)
    niveau_counts = {
        f"present_{value}": Count("invitations", filter=present & Q(invitations__membership__niveau=value))
        for value in Niveau.values
    }
    rows = (
        held_reunions(collectif)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .annotate(
            n_invited=Count("invitations"),
            n_present=Count("invitations", filter=present),
            n_excused=Count("invitations", filter=Q(invitations__attendance=Invitation.Attendance.EXCUSED)),
            n_absent=Count("invitations", filter=Q(invitations__attendance=Invitation.Attendance.ABSENT)),
            n_institutions=Count("invitations__membership__institution", filter=present, distinct=True),
            n_kinds=Count("invitations__membership__institution__kind", filter=present, distinct=True),
            **niveau_counts,
        )
        .order_by("starts_at")
        .values(
            "pk",
            "title",
            "kind",
            "starts_at",
            "n_invited",
            "n_present",
            "n_excused",
            "n_absent",
            "n_institutions",
            "n_kinds",
            *niveau_counts,
        )
    )
    kinds = dict(Reunion.Kind.choices)
    return [
        ReunionFigures(
            pk=r["pk"],
            title=r["title"],
            kind=r["kind"],
            kind_label=str(kinds.get(r["kind"], r["kind"])),
            starts_at=r["starts_at"],
            invited=r["n_invited"],
            present=r["n_present"],
            excused=r["n_excused"],
            absent=r["n_absent"],
            institutions=r["n_institutions"],
            institution_kinds=r["n_kinds"],
            present_by_niveau={value: r[f"present_{value}"] for value in Niveau.values},
        )
        for r in rows
    ]


def institutions_by_kind(collectif, year: int) -> list[tuple[str, int]]:
    """Distinct institutions present at the year's held reunions, by kind of institution."""
    start, end = schoolyear.datetime_bounds(year)
    reunions = held_reunions(collectif).filter(starts_at__gte=start, starts_at__lt=end)
    rows = (
        Invitation.objects.filter(reunion__in=reunions, attendance=PRESENT)
        .values_list("membership__institution__kind")
        .annotate(n=Count("membership__institution", distinct=True))
        .order_by("-n", "membership__institution__kind")
    )
    labels = dict(Institution.Kind.choices)
    return [(str(labels.get(kind, kind)), n) for kind, n in rows]


def first_reunion_start(collectif) -> datetime | None:
    """When the collectif's first reunion started (None before any)."""
    return Reunion.objects.filter(collectif=collectif).aggregate(first=Min("starts_at"))["first"]


def reunion_kind_choices() -> list[tuple[str, str]]:
    return list(Reunion.Kind.choices)


def held_plenieres(collectif):
    """The plénières held, most recent first."""
    return held_reunions(collectif).filter(kind=Reunion.Kind.PLENIERE).order_by("-starts_at")


def present_membership_ids(reunions):
    """The memberships present at any of `reunions` (a queryset or subquery of reunion pks), as a subquery."""
    return Invitation.objects.filter(reunion__in=reunions, attendance=PRESENT).values("membership_id")


def decisions_of(collectif):
    """The decisions taken in the collectif's reunions (an action may be opened from each)."""
    return Decision.objects.filter(reunion__collectif=collectif).select_related("reunion")


def past_pleniere_decisions(collectif):
    """The decisions of the plénières already held (not cancelled), oldest first."""
    return (
        decisions_of(collectif)
        .filter(reunion__kind=Reunion.Kind.PLENIERE, reunion__starts_at__lt=timezone.now())
        .exclude(reunion__status=Reunion.Status.CANCELLED)
        .order_by("reunion__starts_at", "position", "pk")
    )


def attendance_by_structure_kind(reunion: Reunion) -> list[dict]:
    """Who came to a reunion, counted by type of structure (`collectifs.models.Institution.Kind`): members marked
    present (the kind of their institution) and registrants marked present, walk-ins included. In the order of the
    kinds; kinds nobody came from are left out. Read by restitutions (« Remplir depuis les présences »)."""
    counts: dict[str, int] = {}
    members = (
        Invitation.objects.filter(reunion=reunion, attendance=Invitation.Attendance.PRESENT)
        .values("membership__institution__kind")
        .annotate(n=Count("pk"))
    )
    for row in members:
        kind = row["membership__institution__kind"] or Institution.Kind.AUTRE
        counts[kind] = counts.get(kind, 0) + row["n"]
    registrants = reunion.registrations.filter(attended=True).values("structure_kind").annotate(n=Count("pk"))
    for row in registrants:
        counts[row["structure_kind"]] = counts.get(row["structure_kind"], 0) + row["n"]
    return [
        {"kind": kind, "label": str(label), "count": counts[kind]}
        for kind, label in Institution.Kind.choices
        if counts.get(kind)
    ]


# --- Files attached to reunions, shown by the document space (« one document, several places ») ---------------


def reunion_attachments(collectif, *, q: str = ""):
    """The files attached to the collectif's reunions (`reunions.Document`), newest first; `q` searches their title
    and file name. Served by `reunions:document`, which checks access."""
    from reunions.models import Document

    queryset = Document.objects.filter(reunion__collectif=collectif).order_by("-uploaded_at", "-pk")
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(original_name__icontains=q))
    return queryset


def upcoming_plenieres(collectif):
    """The collectif's plénières still to hold (to schedule or convened, not past): where documents flagged « à
    discuter en plénière » are proposed."""
    return (
        Reunion.objects.filter(
            collectif=collectif,
            kind=Reunion.Kind.PLENIERE,
            status__in=[Reunion.Status.TO_SCHEDULE, Reunion.Status.CONVENED],
        )
        .filter(Q(starts_at__isnull=True) | Q(starts_at__gte=timezone.now()))
        .order_by("starts_at", "pk")
    )
