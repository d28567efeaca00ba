"""Demo reunions of the Villefontaine collectif (seed 000): past plénières with attendance and adopted minutes,
an open date poll, a groupe de tâches with two séances, an upcoming plénière with its reminders armed.

Dates follow the school year of the day the demo is loaded (collectifs.demo_dates): plénières in their season and
named after it, on weekdays outside the holidays of the collectif's zone.

Idempotent: every reunion is found again by (collectif, title). No e-mail is sent: rows are created directly
where a service would notify people.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import timedelta

from django.utils import timezone

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

logger = logging.getLogger(__name__)


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
    # The plénières whose decisions opened the demo's actions (actions.demo reads them through reunions.selectors).
    _bilan_plenieres(collectif, timezone.localdate())


# The actions demo links its actions to these decisions (reunions.selectors.decisions_of); oldest first.
PLENIERES = [
    # (title, decisions), oldest first: placed on the last four plénières of the collectif's rhythm
    (
        "Plénière exclusions temporaires — bilan",
        [
            "Construire un protocole d'accueil des élèves exclus temporairement avec les maisons de quartier",
            "Présenter le protocole aux conseils d'administration des trois collèges",
        ],
    ),
    (
        "Plénière relations avec les parents — bilan",
        [
            "Ouvrir un café des parents dans chaque collège",
            "Traduire le livret d'accueil des familles",
        ],
    ),
    (
        "Plénière orientation — bilan",
        [
            "Organiser un forum des métiers avec les entreprises du territoire",
            "Accompagner les 16-18 ans sans solution à la rentrée",
        ],
    ),
    (
        "Plénière lien avec le premier degré — bilan",
        [
            "Préparer la liaison CM2-6e avec les écoles du secteur",
        ],
    ),
]


def _bilan_plenieres(collectif, today) -> list[Reunion]:
    existing = list(
        Reunion.objects.filter(collectif=collectif, kind=Reunion.Kind.PLENIERE, starts_at__lt=timezone.now())
        .exclude(status=Reunion.Status.CANCELLED)
        .order_by("starts_at")
    )
    if len(existing) >= 3 and Decision.objects.filter(reunion__in=existing).count() >= 4:
        return existing
    memberships = list(Membership.objects.active().filter(collectif=collectif).order_by("pk"))
    writers = [m.pk for m in memberships if m.role != Membership.Role.GUEST]
    drifting = writers[-1] if writers else None
    reunions = []
    slots = DemoCalendar(collectif, today).past(len(PLENIERES))
    for age, (slot, (title, decisions)) in enumerate(zip(slots, PLENIERES, strict=True)):
        months_ago = (today - slot.day).days // 30
        starts_at = slot.at(14)
        reunion, created = Reunion.objects.get_or_create(
            collectif=collectif,
            title=title,
            defaults={
                "kind": Reunion.Kind.PLENIERE,
                "theme": title.split("—")[0].replace("Plénière", "").strip(),
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=2),
                "place": "Salle du conseil, mairie de Villefontaine",
                "status": Reunion.Status.HELD,
            },
        )
        if created:
            for position, text in enumerate(decisions):
                Decision.objects.create(reunion=reunion, text=text, position=position)
            for i, m in enumerate(memberships):
                # A believable pattern: most present, some excused, one drifting member absent from recent ones.
                if m.pk == drifting and months_ago < 12:
                    attendance = Invitation.Attendance.ABSENT
                elif (i + age) % 5 == 0:
                    attendance = Invitation.Attendance.EXCUSED
                else:
                    attendance = Invitation.Attendance.PRESENT
                Invitation.objects.get_or_create(reunion=reunion, membership=m, defaults={"attendance": attendance})
        reunions.append(reunion)
    return reunions


# --- A held atelier opened to partners: registrants, attendance, questionnaire ------------------------------------

# Six types of structure (collectifs.models.Institution.Kind) and their structures around Villefontaine. Only
# professionals and volunteers: no pupil, no family.
DEMO_STRUCTURES = {
    "etablissement": ["Collège Louis-Aragon", "Collège Françoise-Dolto", "Lycée professionnel Léonard-de-Vinci"],
    "association": ["Maison de quartier Saint-Bonnet", "Centre social Michel-Colucci", "Association Passerelles"],
    "collectivite": ["Ville de Villefontaine, service jeunesse", "CAPI, politique de la ville"],
    "dispositif": ["Programme de réussite éducative de Villefontaine", "Cité éducative Nord-Isère"],
    "education_nationale": ["CIO de Bourgoin-Jallieu", "Circonscription de Villefontaine"],
    "sante": ["Maison des adolescents Nord-Isère", "CMP enfants-adolescents de Villefontaine"],
}
DEMO_PEOPLE = [
    ("Inès", "Morel"),
    ("Paul", "Girard"),
    ("Léa", "Martin"),
    ("Mehdi", "Saïdi"),
    ("Claire", "Dubois"),
    ("Yanis", "Benhamou"),
    ("Sandrine", "Lefèvre"),
    ("Thomas", "Roux"),
    ("Aïcha", "Diallo"),
    ("Julien", "Fabre"),
    ("Nathalie", "Garnier"),
    ("Karim", "Haddouche"),
    ("Émilie", "Chevalier"),
    ("Olivier", "Perret"),
    ("Samia", "Belkacem"),
    ("Romain", "Vidal"),
    ("Céline", "Masson"),
    ("Hugo", "Lambert"),
]
DEMO_COMMENTS = [
    "Des échanges francs entre le collège et les maisons de quartier : on repart avec des contacts directs.",
    "Le temps en petits groupes était trop court pour aller au bout des situations évoquées.",
    "Très utile de voir comment chacun s'y prend pour les élèves exclus temporairement.",
    "J'aurais aimé que les services de santé soient davantage représentés.",
    "Bonne organisation, salle adaptée. À refaire au printemps avec les mêmes partenaires.",
    "Les questions vives méritent un deuxième atelier : prévoir une suite concrète.",
]
DEMO_QUESTIONS = ["qualite_echanges", "utilite_pratique", "envie_poursuivre"]


def populate_held_atelier(reunion: Reunion, *, by, seed: int) -> None:
    """A held atelier as the organiser would leave it: its registration page, about fifteen registrants from six
    types of structure (most present, two absent, one walk-in), and its questionnaire of three questions with
    anonymous answers and a few comments. Idempotent: each part is made only when the atelier has none; no e-mail
    is queued (rows are written where a service would notify). `seed` varies names, attendance and scores."""
    import random
    import secrets

    from reunions.models import Questionnaire, QuestionnaireInvite, Registration, RegistrationPage, Reponse
    from reunions.services.questionnaires import RESPONSE_DAYS, hash_token, questionnaire_send_at
    from reunions.services.registrations import add_months

    if reunion.starts_at is None or reunion.starts_at >= timezone.now() or reunion.is_cancelled:
        return
    rng = random.Random(seed)
    day = timezone.localdate(reunion.starts_at)
    RegistrationPage.objects.get_or_create(
        reunion=reunion,
        defaults={
            "public_id": secrets.token_urlsafe(12),
            "closes_at": reunion.starts_at - timedelta(days=2),
            "retention_months": 12,
        },
    )
    if reunion.status == Reunion.Status.CONVENED:
        Reunion.objects.filter(pk=reunion.pk).update(status=Reunion.Status.HELD)
    if not reunion.registrations.exists():
        kinds = list(DEMO_STRUCTURES)
        people = rng.sample(DEMO_PEOPLE, 16)
        registered_on = reunion.starts_at - timedelta(days=12)
        erase_after = add_months(day, 12)
        rows = []
        for i, (first, last) in enumerate(people):
            kind = kinds[i % len(kinds)]  # each of the six types at least twice
            walk_in = i == len(people) - 1
            rows.append(
                Registration(
                    reunion=reunion,
                    status=Registration.Status.CONFIRMED,
                    name=f"{first} {last}",
                    email=_demo_email(first, last),
                    structure=rng.choice(DEMO_STRUCTURES[kind]),
                    structure_kind=kind,
                    walk_in=walk_in,
                    # Two registrants did not come; everyone else did (the walk-in by definition).
                    attended=walk_in or i not in (3, 10),
                    consented_at=None if walk_in else registered_on + timedelta(hours=i),
                    confirmed_at=reunion.starts_at if walk_in else registered_on + timedelta(hours=i, minutes=20),
                    erase_after=erase_after,
                )
            )
        Registration.objects.bulk_create(rows)

    questionnaire, created = Questionnaire.objects.get_or_create(
        reunion=reunion,
        defaults={
            "questions": DEMO_QUESTIONS,
            "closes_at": questionnaire_send_at(reunion) + timedelta(days=RESPONSE_DAYS),
        },
    )
    if not created or questionnaire.invites.exists():
        return
    present = reunion.registrations.filter(attended=True).exclude(email="").order_by("pk")
    invites = [
        QuestionnaireInvite(
            questionnaire=questionnaire,
            registration=registration,
            status=QuestionnaireInvite.Status.SENT,
            token_hash=hash_token(secrets.token_urlsafe(32)),  # the demo's links are never shown
        )
        for registration in present
    ]
    members = reunion.invitations.filter(attendance=Invitation.Attendance.PRESENT).values_list(
        "membership_id", flat=True
    )
    invites += [
        QuestionnaireInvite(
            questionnaire=questionnaire,
            membership_id=membership_id,
            status=QuestionnaireInvite.Status.SENT,
            token_hash=hash_token(secrets.token_urlsafe(32)),
        )
        for membership_id in members
    ]
    # About three in four answer; their links are marked used, in an order that says nothing of who answered what.
    answering = rng.sample(range(len(invites)), k=round(len(invites) * 0.75))
    for i in answering:
        invites[i].used = True
    QuestionnaireInvite.objects.bulk_create(invites)
    comments = rng.sample(DEMO_COMMENTS, k=min(4, len(answering)))
    reponses = []
    for n in range(len(answering)):
        scores = {code: rng.choices((2, 3, 4, 5), weights=(1, 3, 6, 5))[0] for code in questionnaire.questions}
        if rng.random() < 0.1:
            scores.pop(rng.choice(questionnaire.questions))  # a question left without a score
        reponses.append(
            Reponse(questionnaire=questionnaire, scores=scores, comment=comments[n] if n < len(comments) else "")
        )
    Reponse.objects.bulk_create(reponses)
    logger.info("populate_held_atelier reunion=%s by=%s answers=%s", reunion.pk, by.pk, len(reponses))


def _demo_email(first: str, last: str) -> str:
    """« Émilie Chevalier » → « e.chevalier@exemple.org »."""
    plain = unicodedata.normalize("NFKD", f"{first[0]}.{last}").encode("ascii", "ignore").decode()
    return f"{plain.lower().replace(' ', '')}@exemple.org"
