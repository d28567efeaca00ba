"""The HTTP bench's data (bench_http): the side-by-side data set of the Indico comparison (peers/sidebyside).

Run from a checkout of the project, after `migrate` and `load_demo`, with the production environment:
    CELERY_TASK_ALWAYS_EAGER=true .venv/bin/python manage.py shell -c "exec(open('seed_ours.py').read())"
(eager Celery + the default console e-mail backend: invitation e-mails are built, .ics included, and printed.)

Everything goes through the project's services (reunions.services), as the views do:
- in the demo collectif Villefontaine (coordinator coordination@exemple.org, member cpe.servenoble@exemple.org):
  - « Plénière mensuelle du collectif », starting about 65 minutes from now, 3 hours, with a place;
    5 agenda items (15/45/30/45/15 min, one presenter each); all 30 active members invited, all answered
    (25 present, 5 excused); draft minutes (one section per item + « Questions diverses ») with text;
    a secretary; 2 documents (a text file and a small PDF);
  - 200 séances « Groupe de tâches N – séance M » of 12 groupes, 1 hour each, each with 2 agenda items,
    spread from the 1st of last month to the 1st of next month at the same hours as Indico's 200 meetings;
  - « Plénière mensuelle précédente » (one week ago) with 5 items, 30 invitations with attendance and
    adopted minutes, for the minutes PDF (Indico's counterpart is the timetable PDF of its meeting);
- a calendar token for the member (its collectif feed URL).
Writes the ids and URLs to $SEED_OUT (default ./sbs-seed.json). Idempotent: exits early when seeded.
"""

import json
import os
from datetime import datetime, timedelta
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from collectifs.models import Collectif
from membres.models import Membership, User
from reunions.models import GroupeDeTaches, Invitation, Reunion
from reunions.services import agenda, attendance, documents, feeds, groupes
from reunions.services import minutes as minutes_services
from reunions.services import reunions as reunion_services

services = SimpleNamespace(
    **{
        name: getattr(module, name)
        for module in (agenda, attendance, documents, feeds, groupes, minutes_services, reunion_services)
        for name in dir(module)
        if not name.startswith("_")
    }
)

OUT = os.environ["SEED_OUT"]
TITLE = "Plénière mensuelle du collectif"
AGENDA = [
    ("Accueil et validation de l'ordre du jour", 15),
    ("Retour des groupes de tâches", 45),
    ("Budget et subventions", 30),
    ("Calendrier pédagogique du trimestre", 45),
    ("Questions diverses", 15),
]


def _upload(name, data, content_type):
    f = SimpleUploadedFile(name, data, content_type=content_type)
    f.checked_content_type = content_type  # what the upload form's validation sets
    return f


def _plenary(collectif, by, title, starts_at, memberships, secretary):
    reunion = services.reunion_create(
        collectif=collectif,
        by=by,
        kind=Reunion.Kind.PLENIERE,
        title=title,
        theme="Bilan des groupes de tâches, budget, calendrier",
        description="Plénière mensuelle : bilan des groupes de tâches, budget, calendrier.",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        place="Maison des associations, salle polyvalente, 1 rue de l'École",
        secretary=secretary,
    )
    for i, (item, minutes) in enumerate(AGENDA, 1):
        services.agenda_item_add(
            reunion=reunion, by=by, title=item, duration_minutes=minutes, presenter=f"Intervenant{i} Collectif"
        )
    services.reunion_invite(reunion=reunion, by=by, memberships=memberships)
    return reunion


def _minutes_text(minutes, by):
    bodies = {
        s.pk: f"<p>{s.title} : échanges entre les partenaires.</p><ul><li>Présents : 25</li>"
        f"<li>Décision : calendrier adopté à l'unanimité.</li></ul>"
        for s in minutes.sections.all()
    }
    services.minutes_save(minutes=minutes, by=by, bodies=bodies)


def seed():
    collectif = Collectif.objects.get(slug="villefontaine")
    if Reunion.objects.filter(collectif=collectif, title=TITLE).exists():
        print("[seed] already seeded")
        reunion = Reunion.objects.get(collectif=collectif, title=TITLE)
        past = Reunion.objects.get(collectif=collectif, title="Plénière mensuelle précédente")
        member = User.objects.get(email="cpe.servenoble@exemple.org")
        return _write(collectif, reunion, past, member)
    coordinator = User.objects.get(email="coordination@exemple.org")
    member = User.objects.get(email="cpe.servenoble@exemple.org")
    memberships = list(Membership.objects.active().filter(collectif=collectif, user__isnull=False).order_by("pk"))
    assert len(memberships) == 30, len(memberships)
    secretary = Membership.objects.get(collectif=collectif, user=member)
    tz = timezone.get_default_timezone()
    now_local = timezone.localtime(timezone.now(), tz)
    start = (now_local + timedelta(minutes=65)).replace(second=0, microsecond=0)
    start += timedelta(minutes=(5 - start.minute % 5) % 5)

    with transaction.atomic():
        # --- the upcoming plénière
        reunion = _plenary(collectif, coordinator, TITLE, start, memberships, secretary)
        for i, inv in enumerate(reunion.invitations.select_related("reunion").order_by("pk")):
            services.invitation_respond(
                invitation=inv,
                response=Invitation.Response.EXCUSED if i % 6 == 5 else Invitation.Response.PRESENT,
                by=inv.membership.user,
            )
        minutes = services.minutes_get_or_create(reunion=reunion)
        _minutes_text(minutes, coordinator)
        services.document_add(
            reunion=reunion,
            by=coordinator,
            title="Synthèse des groupes de tâches",
            upload=_upload("synthese-groupes.txt", "Synthèse des groupes de tâches\n".encode(), "text/plain"),
        )
        services.document_add(
            reunion=reunion,
            by=coordinator,
            title="Compte rendu précédent",
            upload=_upload("compte-rendu-precedent.pdf", b"%PDF-1.4\n% minimal\n", "application/pdf"),
        )

        # --- a past plénière with adopted minutes (for the minutes PDF)
        past = _plenary(
            collectif, coordinator, "Plénière mensuelle précédente", start - timedelta(days=7), memberships, secretary
        )
        values = {}
        for i, inv in enumerate(past.invitations.order_by("pk")):
            values[inv.pk] = Invitation.Attendance.EXCUSED if i % 6 == 5 else Invitation.Attendance.PRESENT
        services.attendance_record(reunion=past, by=coordinator, values=values)
        services.decision_add(reunion=past, by=coordinator, text="Le calendrier du trimestre est adopté.")
        services.decision_add(reunion=past, by=coordinator, text="La subvention municipale est demandée.")
        pmin = services.minutes_get_or_create(reunion=past)
        _minutes_text(pmin, coordinator)
        services.minutes_adopt(minutes=pmin, by=coordinator)

    # --- 200 séances of 12 groupes de tâches, in Indico's window (1st of last month .. 1st of next month)
    groupes = []
    for g in range(1, 13):
        groupe = GroupeDeTaches(collectif=collectif, name=f"Groupe de tâches {g}", mandate="Séances de travail.")
        groupes.append(services.groupe_save(groupe=groupe, by=coordinator, members=[]))
    lo = (now_local - relativedelta(months=1, day=1, hour=0, minute=0)) + timedelta(days=1)
    hi = (now_local + relativedelta(months=1, day=1, hour=0, minute=0)) - timedelta(days=1)
    span = (hi - lo).total_seconds()
    now = timezone.now()
    with transaction.atomic():
        for n in range(200):
            s = lo + timedelta(seconds=int(span * n / 200))
            s = timezone.make_aware(datetime(s.year, s.month, s.day, 9 + n % 9, 0), tz)
            r = services.reunion_create(
                collectif=collectif,
                by=coordinator,
                kind=Reunion.Kind.SEANCE,
                groupe=groupes[n % 12],
                title=f"Groupe de tâches {n % 12 + 1} – séance {n // 12 + 1}",
                description="Séance de travail du groupe de tâches.",
                starts_at=s,
                ends_at=s + timedelta(hours=1),
                status=Reunion.Status.HELD if s < now else Reunion.Status.CONVENED,
            )
            services.agenda_item_add(
                reunion=r, by=coordinator, title="Tour de table", duration_minutes=20, presenter=""
            )
            services.agenda_item_add(
                reunion=r, by=coordinator, title="Avancement et prochaines actions", duration_minutes=40, presenter=""
            )

    _write(collectif, reunion, past, member)


def _write(collectif, reunion, past, member):
    token = services.calendar_token_new(by=member)  # the clear token (only its hash is stored)
    slug = collectif.slug
    ids = {
        "collectif_slug": slug,
        "reunion_id": reunion.pk,
        "past_reunion_id": past.pk,
        "member_email": member.email,
        "coordinator_email": "coordination@exemple.org",
        "reunions_in_collectif": Reunion.objects.filter(collectif=collectif).count(),
        "paths": {
            "detail": reverse("reunions:detail", kwargs={"collectif_slug": slug, "pk": reunion.pk}),
            "list": reverse("reunions:list", kwargs={"collectif_slug": slug}),
            "month": reverse("reunions:month", kwargs={"collectif_slug": slug}),
            "feed_collectif": reverse("reunions:feed_collectif", kwargs={"token": token, "collectif_slug": slug}),
            "minutes_pdf": reverse("reunions:minutes_pdf", kwargs={"collectif_slug": slug, "pk": past.pk}),
            "reunion_ics": reverse("reunions:ics", kwargs={"collectif_slug": slug, "pk": reunion.pk}),
            "restitution_pdf": "/restitutions/1/pdf/",
            "healthz": "/healthz",
        },
    }
    with open(OUT, "w") as f:
        json.dump(ids, f, indent=2)
    os.chmod(OUT, 0o600)  # holds a calendar token
    print("[seed] done:", json.dumps({k: v for k, v in ids.items() if k != "paths"}))


seed()
