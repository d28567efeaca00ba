"""Demo reunions of the Villefontaine collectif (seed 000): past plénières with attendance and adopted minutes,
an open date poll, a groupe de tâches with two séances, an upcoming plénière with its reminders armed.

Idempotent: every reunion is found again by (collectif, title). No e-mail is sent: rows are created directly
where a service would notify people.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

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


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _reunion(collectif, title: str, **fields) -> tuple[Reunion, bool]:
    return Reunion.objects.get_or_create(collectif=collectif, title=title, defaults=fields)


def _invite_all(reunion: Reunion, memberships, **fields) -> None:
    for m in memberships:
        Invitation.objects.get_or_create(reunion=reunion, membership=m, defaults=fields)


PAST = [
    (
        "Plénière d'automne : les exclusions temporaires",
        "Exclusions temporaires",
        -120,
        ["Tour de table des partenaires", "Chiffres des exclusions dans les trois collèges", "Projet d'accueil"],
        ["Un groupe de tâches prépare un dispositif d'accueil des collégiens exclus."],
    ),
    (
        "Plénière d'hiver : les relations avec les parents",
        "Relations avec les parents",
        -45,
        ["Retour du groupe de tâches", "Café des parents : bilan", "Calendrier du trimestre"],
        [
            "Le café des parents est reconduit dans les deux maisons de quartier.",
            "La prochaine plénière porte sur l'orientation.",
        ],
    ),
]


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

    for title, theme, days, items, decisions in PAST:
        reunion, created = _reunion(
            collectif,
            title,
            kind=Reunion.Kind.PLENIERE,
            theme=theme,
            starts_at=_at(days, 14),
            ends_at=_at(days, 16),
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
    for n, days in ((1, -20), (2, 15)):
        seance, created = _reunion(
            collectif,
            f"Groupe accueil des exclus — séance {n}",
            kind=Reunion.Kind.SEANCE,
            groupe=groupe,
            starts_at=_at(days, 10),
            ends_at=_at(days, 12),
            place="Collège Louis-Aragon, salle de réunion",
            status=Reunion.Status.HELD if days < 0 else Reunion.Status.CONVENED,
        )
        if created:
            attendance = Invitation.Attendance.PRESENT if days < 0 else ""
            _invite_all(seance, group_members, attendance=attendance)

    upcoming, created = _reunion(
        collectif,
        "Plénière de printemps : l'orientation en fin de 3e",
        kind=Reunion.Kind.PLENIERE,
        theme="Orientation",
        starts_at=_at(10, 14),
        ends_at=_at(
            10,
            16,
        ),
        place="Mairie de Villefontaine, salle du conseil",
        video_url="https://visio.exemple.org/pleniere-printemps",
        status=Reunion.Status.CONVENED,
        reminder_note="Pensez à apporter vos chiffres d'orientation.",
    )
    if created:
        for i, item in enumerate(["Accueil", "Retour du groupe de tâches", "Orientation : constats croisés"], start=1):
            AgendaItem.objects.create(reunion=upcoming, title=item, duration_minutes=30, position=i)
        _invite_all(upcoming, memberships, sent_sequence=0)
    reminders_recompute(reunion=upcoming)

    poll_reunion, created = _reunion(
        collectif,
        "Plénière de juin : bilan de l'année",
        kind=Reunion.Kind.PLENIERE,
        theme="Bilan",
        status=Reunion.Status.TO_SCHEDULE,
    )
    if created:
        _invite_all(poll_reunion, memberships)
        poll = DatePoll.objects.create(reunion=poll_reunion, deadline=_at(20, 18))
        slots = [PollSlot.objects.create(poll=poll, starts_at=_at(d, 14), ends_at=_at(d, 16)) for d in (40, 42, 47)]
        for m in memberships[:3]:
            for slot, answer in zip(slots, ("oui", "si_besoin", "non"), strict=True):
                PollVote.objects.create(slot=slot, membership=m, answer=answer)
    stdout.write("  réunions : plénières passées, sondage de date, groupe de tâches, plénière à venir")
