"""Demo actions of the Villefontaine collectif: 30 actions across statuses with their journals, some born from
decisions of past plénières. Idempotent: get_or_create on (collectif, title) and on journal (action, date, text).

When the reunions demo already created past plénières, their decisions are used; otherwise a few past plénières
(titles ending in « — bilan ») are created with invitations and attendance, so that the indicators show figures.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from actions.models import Action, JournalEntry
from collectifs.demo_dates import DemoCalendar
from collectifs.models import Collectif, Dispositif, Institution, Theme
from membres.models import Membership
from reunions.models import Decision, Invitation, Reunion

S = Action.Status
K = JournalEntry.Kind

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

ACTIONS = [
    # (title, status, themes, dispositifs, lead institution, decision index or None, target public)
    (
        "Protocole d'accueil des élèves exclus",
        S.IN_PROGRESS,
        ["exclusions-temporaires"],
        ["pre"],
        "Maison de quartier Saint-Bonnet",
        0,
        "Collégiens exclus temporairement",
    ),
    (
        "Présentation du protocole aux CA des collèges",
        S.DONE,
        ["exclusions-temporaires"],
        [],
        "Collège Louis-Aragon",
        1,
        "Conseils d'administration",
    ),
    (
        "Café des parents au collège Servenoble",
        S.IN_PROGRESS,
        ["relations-avec-les-parents"],
        ["reaap"],
        "Collège Servenoble",
        2,
        "Parents d'élèves de 6e",
    ),
    (
        "Livret d'accueil des familles traduit",
        S.PREPARATION,
        ["relations-avec-les-parents", "parentalite"],
        [],
        "Mairie de Villefontaine",
        3,
        "Familles allophones",
    ),
    (
        "Forum des métiers",
        S.IN_PROGRESS,
        ["orientation"],
        ["cite-educative"],
        "Collège Léonard-de-Vinci",
        4,
        "Élèves de 4e et 3e",
    ),
    (
        "Repérage des 16-18 ans sans solution",
        S.PREPARATION,
        ["16-18-ans", "orientation"],
        ["obligation-de-formation-16-18-ans"],
        "Prévention spécialisée Nord-Isère",
        5,
        "Jeunes de 16 à 18 ans",
    ),
    (
        "Liaison CM2-6e avec les écoles du secteur",
        S.IDEA,
        ["lien-avec-le-premier-degre"],
        ["rep"],
        "Circonscription de Villefontaine (IEN)",
        6,
        "Élèves de CM2",
    ),
    (
        "Café des parents au collège Louis-Aragon",
        S.IN_PROGRESS,
        ["relations-avec-les-parents"],
        ["reaap"],
        "Collège Louis-Aragon",
        None,
        "Parents d'élèves",
    ),
    (
        "Permanence de médiation scolaire",
        S.IN_PROGRESS,
        ["mediation-scolaire"],
        ["pre"],
        "Association ESA",
        None,
        "Collégiens et familles",
    ),
    (
        "Semaine de la santé et du bien-être",
        S.DONE,
        ["sante-et-bien-etre"],
        ["cite-educative"],
        "Collège Servenoble",
        None,
        "Élèves de 5e",
    ),
    (
        "Ateliers estime de soi",
        S.DONE,
        ["sante-et-bien-etre"],
        ["pre"],
        "GIP-DRE Nord-Isère (réussite éducative)",
        None,
        "Élèves repérés par les CPE",
    ),
    (
        "Accompagnement à la scolarité dans les maisons de quartier",
        S.IN_PROGRESS,
        ["accompagnement-a-la-scolarite"],
        ["clas"],
        "Maison de quartier des Roches",
        None,
        "Collégiens",
    ),
    (
        "Stage de remobilisation pendant les vacances",
        S.ABANDONED,
        ["decrochage-scolaire"],
        ["pre"],
        "Prévention spécialisée Nord-Isère",
        None,
        "Jeunes en voie de décrochage",
    ),
    (
        "Formation commune au repérage du décrochage",
        S.DONE,
        ["decrochage-scolaire", "cooperations-educatives"],
        [],
        "La Bouture",
        None,
        "Professionnels du collectif",
    ),
    (
        "Annuaire des dispositifs du territoire",
        S.IN_PROGRESS,
        ["cooperations-educatives"],
        ["pedt"],
        "Mairie de Villefontaine",
        None,
        "Professionnels du collectif",
    ),
    (
        "Rencontres parents-professeurs hors les murs",
        S.IDEA,
        ["relations-avec-les-parents"],
        [],
        "Maison de quartier Saint-Bonnet",
        None,
        "Parents éloignés de l'école",
    ),
    (
        "Tutorat par des lycéens",
        S.PREPARATION,
        ["accompagnement-a-la-scolarite"],
        ["cite-educative"],
        "Association ESA",
        None,
        "Élèves de 6e",
    ),
    (
        "Égalité filles-garçons dans l'orientation",
        S.IDEA,
        ["egalite-filles-garcons", "orientation"],
        [],
        "Collège Léonard-de-Vinci",
        None,
        "Élèves de 3e",
    ),
    (
        "Questionnaire aux familles sur l'accueil",
        S.DONE,
        ["relations-avec-les-parents", "evaluation"],
        [],
        "GIP-DRE Nord-Isère (réussite éducative)",
        None,
        "Familles",
    ),
    ("Mixité dans les clubs du midi", S.ABANDONED, ["mixite-sociale"], [], "Collège Louis-Aragon", None, "Collégiens"),
    (
        "Sorties culturelles parents-enfants",
        S.IN_PROGRESS,
        ["parentalite"],
        ["ctg"],
        "Maison de quartier des Roches",
        None,
        "Familles",
    ),
    (
        "Évaluation du protocole exclusions",
        S.IDEA,
        ["evaluation", "exclusions-temporaires"],
        [],
        "La Bouture",
        None,
        "Membres du collectif",
    ),
    (
        "Ateliers numériques pour les parents",
        S.PREPARATION,
        ["parentalite"],
        ["reaap"],
        "Maison de quartier Saint-Bonnet",
        None,
        "Parents",
    ),
    (
        "Visites d'entreprises pour les 4e",
        S.DONE,
        ["orientation"],
        ["contrat-de-ville"],
        "Mairie de Villefontaine",
        None,
        "Élèves de 4e",
    ),
    (
        "Point écoute santé au collège",
        S.PREPARATION,
        ["sante-et-bien-etre"],
        [],
        "Collège Servenoble",
        None,
        "Collégiens",
    ),
    (
        "Groupe de parole des CPE",
        S.IN_PROGRESS,
        ["cooperations-educatives"],
        [],
        "Collège Léonard-de-Vinci",
        None,
        "CPE du secteur",
    ),
    (
        "Accueil des nouveaux partenaires du collectif",
        S.DONE,
        ["cooperations-educatives"],
        [],
        "GIP-DRE Nord-Isère (réussite éducative)",
        None,
        "Nouveaux membres",
    ),
    (
        "Soutien aux élèves exclus pendant l'exclusion",
        S.ABANDONED,
        ["exclusions-temporaires"],
        ["pre"],
        "Association ESA",
        None,
        "Collégiens exclus",
    ),
    (
        "Journée portes ouvertes des maisons de quartier",
        S.IDEA,
        ["cooperations-educatives"],
        [],
        "Maison de quartier des Roches",
        None,
        "Familles et collégiens",
    ),
    (
        "Relais vers la mission locale",
        S.IN_PROGRESS,
        ["16-18-ans"],
        ["obligation-de-formation-16-18-ans"],
        "Prévention spécialisée Nord-Isère",
        None,
        "Jeunes de 16 à 18 ans",
    ),
]

JOURNAL = [
    (K.STEP, "Réunion de lancement avec les partenaires ; calendrier arrêté."),
    (K.DIFFICULTY, "Difficile de trouver un créneau commun aux trois collèges."),
    (K.STEP, "Première séance tenue, douze participants."),
    (K.RESULT, "Retours positifs des participants ; deuxième séance demandée."),
    (K.NOTE, "Penser à inviter la DSDEN à la prochaine plénière pour présenter l'action."),
]


def _past_plenieres(collectif, today) -> list[Reunion]:
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
                "ends_at": starts_at + datetime.timedelta(hours=2),
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


def load(stdout) -> None:
    collectif = Collectif.objects.filter(slug="villefontaine").first()
    if collectif is None:
        return
    today = timezone.localdate()
    reunions = _past_plenieres(collectif, today)
    decisions = list(Decision.objects.filter(reunion__in=reunions).order_by("reunion__starts_at", "position", "pk"))
    members = list(
        Membership.objects.active()
        .filter(collectif=collectif, role__in=[Membership.Role.COORDINATOR, Membership.Role.MEMBER])
        .select_related("user")
        .order_by("pk")
    )
    # Referents are people of the institution that carries the action (members first, then its guests).
    by_institution: dict[int, list] = {}
    for m in (
        Membership.objects.active()
        .filter(collectif=collectif, user__isnull=False)
        .select_related("user")
        .order_by("role", "pk")
    ):
        by_institution.setdefault(m.institution_id, []).append(m)
    for people in by_institution.values():
        people.sort(key=lambda m: (m.role == Membership.Role.GUEST, m.pk))
    institutions = {i.name: i for i in Institution.objects.filter(territoire=collectif.territoire)}
    themes = {t.slug: t for t in Theme.objects.all()}
    dispositifs = {d.slug: d for d in Dispositif.objects.all()}
    created_count = 0
    for n, (title, status, theme_slugs, dispositif_slugs, lead, decision_index, public) in enumerate(ACTIONS):
        lead_people = by_institution.get(institutions[lead].pk, []) if lead in institutions else []
        referents = [m.user for m in lead_people[n % 2 : n % 2 + 2] or lead_people[:2]]
        author = referents[0] if referents else (members[n % len(members)].user if members else None)
        origin = decisions[decision_index] if decision_index is not None and decision_index < len(decisions) else None
        started = today - datetime.timedelta(days=20 + 13 * n)
        action, created = Action.objects.get_or_create(
            collectif=collectif,
            title=title,
            defaults={
                "description": f"{title} : action pensée en plénière et portée par un partenaire du collectif.",
                "status": status,
                "abandon_reason": "Le financement n'a pas été reconduit." if status == S.ABANDONED else "",
                "target_public": public,
                "lead_institution": institutions.get(lead),
                "starts_on": None if status == S.IDEA else started,
                "ends_on": started + datetime.timedelta(days=90) if status in (S.DONE, S.ABANDONED) else None,
                "origin": origin,
                "created_by": author,
                "created_at": timezone.make_aware(datetime.datetime.combine(started, datetime.time(9, 0)))
                - datetime.timedelta(days=10),
            },
        )
        if not created:
            continue
        created_count += 1
        action.themes.set([themes[s] for s in theme_slugs if s in themes])
        action.dispositifs.set([dispositifs[s] for s in dispositif_slugs if s in dispositifs])
        action.referents.set(referents)
        partners = [i for name, i in institutions.items() if name != lead][n % 5 :: 5][:2]
        action.partner_institutions.set(partners)
        if status == S.IDEA:
            continue
        # Some actions en cours are left silent for over a month: the monthly nudge will ask about them.
        entries = JOURNAL[: 2 + n % 4]
        silent = status == S.IN_PROGRESS and n % 3 == 0
        cap = today - datetime.timedelta(days=40 if silent else 1)
        for k, (kind, text) in enumerate(entries):
            day = min(started + datetime.timedelta(days=10 * (k + 1)), cap - datetime.timedelta(days=len(entries) - k))
            JournalEntry.objects.get_or_create(
                action=action,
                date=day,
                text=text,
                defaults={"kind": kind, "author": referents[k % len(referents)] if referents else author},
            )
    stdout.write(f"  actions : {created_count} actions créées ({len(ACTIONS)} au total), journaux et origines")
