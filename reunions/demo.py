"""Demo reunions of the Villefontaine collectif (seed 000): past plénières with attendance and adopted minutes,
an open date poll, a groupe de tâches with two séances, an upcoming plénière with its reminders armed.

Dates follow the school year of the day the demo is loaded (collectifs.demo_dates): plénières in their season and
named after it, on weekdays outside the holidays of the collectif's zone.

Idempotent: every reunion is found again by (collectif, title). No e-mail is sent: rows are created directly
where a service would notify people.
"""

from __future__ import annotations

from datetime import timedelta

from collectifs.demo_dates import DemoCalendar, at, ensure_demo_periods
from collectifs.models import Collectif
from membres.models import Membership
from reunions.models import (
    AgendaItem,
    DatePoll,
    Decision,
    GroupeDeTaches,
    Invitation,
    Minutes,
    MinutesSection,
    PollSlot,
    PollVote,
    Reunion,
)
from reunions.services.minutes import minutes_adopt
from reunions.services.reminders import reminders_recompute


def _reunion(collectif, title: str, **fields) -> tuple[Reunion, bool]:
    return Reunion.objects.get_or_create(collectif=collectif, title=title, defaults=fields)


def _invite_all(reunion: Reunion, memberships, **fields) -> None:
    for m in memberships:
        Invitation.objects.get_or_create(reunion=reunion, membership=m, defaults=fields)


# The last four plénières held, oldest first: (theme, agenda, decisions). Their decisions open the demo's actions
# (actions/demo.py counts on these seven decisions, in this order).
PAST = [
    (
        "les exclusions temporaires",
        "Exclusions temporaires",
        ["Tour de table des partenaires", "Chiffres des exclusions dans les trois collèges", "Projet d'accueil"],
        [
            "Construire un protocole d'accueil des élèves exclus temporairement avec les maisons de quartier",
            "Présenter le protocole aux conseils d'administration des trois collèges",
        ],
    ),
    (
        "les relations avec les parents",
        "Relations avec les parents",
        ["Retour du groupe de tâches", "Café des parents : bilan", "Calendrier du trimestre"],
        ["Ouvrir un café des parents dans chaque collège", "Traduire le livret d'accueil des familles"],
    ),
    (
        "l'orientation en fin de 3e",
        "Orientation",
        ["Accueil", "Retour du groupe de tâches", "Orientation : constats croisés"],
        [
            "Organiser un forum des métiers avec les entreprises du territoire",
            "Accompagner les 16-18 ans sans solution à la rentrée",
        ],
    ),
    (
        "le lien avec le premier degré",
        "Lien avec le premier degré",
        ["Tour de table", "Liaison CM2-6e : ce qui existe", "Suites à donner"],
        ["Préparer la liaison CM2-6e avec les écoles du secteur"],
    ),
]

# The next plénière is convened; the one after it is being scheduled with a date poll.
UPCOMING = ("la santé et le bien-être des collégiens", "Santé et bien-être")
POLL_THEMES = {
    "juin": ("bilan de l'année", "Bilan"),
    "automne": ("les priorités de l'année", "Priorités de l'année"),
    "hiver": ("point d'étape sur les actions", "Point d'étape"),
    "printemps": ("préparer la rentrée", "Préparer la rentrée"),
}


def pleniere_title(slot, theme: str) -> str:
    return f"Plénière {slot.name} : {theme}"


def load(stdout) -> None:
    collectif = Collectif.objects.filter(slug="villefontaine").first()
    if collectif is None:
        return
    memberships = list(
        Membership.objects.active().filter(collectif=collectif, user__isnull=False).select_related("user")
    )
    coordinator = next(m for m in memberships if m.is_coordinator)
    by = coordinator.user
    writers = [m for m in memberships if m.can_write]

    ensure_demo_periods(collectif, by=by)
    dates = DemoCalendar(collectif)
    for slot, (subject, theme, items, decisions) in zip(dates.past(len(PAST)), PAST, strict=True):
        reunion, created = _reunion(
            collectif,
            pleniere_title(slot, subject),
            kind=Reunion.Kind.PLENIERE,
            theme=theme,
            starts_at=slot.at(14),
            ends_at=slot.at(16),
            place="Maison de quartier Saint-Bonnet",
            status=Reunion.Status.MINUTES_ADOPTED,
            secretary=writers[1] if len(writers) > 1 else coordinator,
        )
        if not created:
            continue
        for i, item in enumerate(items, start=1):
            AgendaItem.objects.create(reunion=reunion, title=item, duration_minutes=30, position=i)
        for i, m in enumerate(memberships):
            attendance = Invitation.Attendance.ABSENT if i % 5 == 4 else Invitation.Attendance.PRESENT
            if i % 4 == 3:
                attendance = Invitation.Attendance.EXCUSED
            response = Invitation.Response.EXCUSED if attendance == "excuse" else Invitation.Response.PRESENT
            Invitation.objects.create(reunion=reunion, membership=m, response=response, attendance=attendance)
        for i, text in enumerate(decisions, start=1):
            Decision.objects.create(reunion=reunion, text=text, position=i)
        minutes = Minutes.objects.create(reunion=reunion)
        for i, item in enumerate(reunion.agenda.all(), start=1):
            MinutesSection.objects.create(
                minutes=minutes,
                agenda_item=item,
                title=item.title,
                position=i,
                body=f"<p>Échanges sur « {item.title} » : chaque partenaire a présenté ce qu'il observe.</p>",
            )
        minutes_adopt(minutes=minutes, by=by)

    groupe, _ = GroupeDeTaches.objects.get_or_create(
        collectif=collectif,
        name="Accueil des collégiens exclus",
        defaults={
            "mandate": "Préparer pour la plénière de printemps un projet d'accueil des exclus temporaires.",
            "pilot": writers[2].user if len(writers) > 2 else by,
        },
    )
    groupe.members.set([m.user for m in writers[:4]])
    group_members = list(writers[:4])
    for n, day in ((1, dates.weekday_before(20)), (2, dates.weekday_after(15))):
        past = day < dates.today
        seance, created = _reunion(
            collectif,
            f"Groupe accueil des exclus — séance {n}",
            kind=Reunion.Kind.SEANCE,
            groupe=groupe,
            starts_at=at(day, 17),
            ends_at=at(day, 19),
            place="Collège Louis-Aragon, salle de réunion",
            status=Reunion.Status.HELD if past else Reunion.Status.CONVENED,
        )
        if created:
            attendance = Invitation.Attendance.PRESENT if past else ""
            _invite_all(seance, group_members, attendance=attendance)

    next_slot, poll_slot = dates.upcoming(2)
    upcoming, created = _reunion(
        collectif,
        pleniere_title(next_slot, UPCOMING[0]),
        kind=Reunion.Kind.PLENIERE,
        theme=UPCOMING[1],
        starts_at=next_slot.at(14),
        ends_at=next_slot.at(16),
        place="Mairie de Villefontaine, salle du conseil",
        video_url="https://visio.exemple.org/pleniere",
        status=Reunion.Status.CONVENED,
        reminder_note="Pensez à apporter les demandes des familles reçues à l'infirmerie et au service social.",
    )
    if created:
        for i, item in enumerate(["Accueil", "Retour du groupe de tâches", "Santé : constats croisés"], start=1):
            AgendaItem.objects.create(reunion=upcoming, title=item, duration_minutes=30, position=i)
        _invite_all(upcoming, memberships, sent_sequence=0)
    reminders_recompute(reunion=upcoming)

    subject, theme = POLL_THEMES[poll_slot.key]
    poll_reunion, created = _reunion(
        collectif,
        pleniere_title(poll_slot, subject),
        kind=Reunion.Kind.PLENIERE,
        theme=theme,
        status=Reunion.Status.TO_SCHEDULE,
    )
    if created:
        _invite_all(poll_reunion, memberships)
        # The slots: three free weekdays of the plénière's month; answers are due a week before the first one, or
        # in three weeks when the plénière is far away.
        days = dates.days_in_month_of(poll_slot, 3)
        deadline = min(at(days[0] - timedelta(days=7), 18), at(dates.today + timedelta(days=21), 18))
        poll = DatePoll.objects.create(reunion=poll_reunion, deadline=deadline)
        slots = [PollSlot.objects.create(poll=poll, starts_at=at(d, 14), ends_at=at(d, 16)) for d in days]
        for m in memberships[:3]:
            for slot, answer in zip(slots, ("oui", "si_besoin", "non"), strict=True):
                PollVote.objects.create(slot=slot, membership=m, answer=answer)
    stdout.write("  réunions : plénières passées, sondage de date, groupe de tâches, plénière à venir")
