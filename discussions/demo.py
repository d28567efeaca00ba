"""Demo discussions of the Villefontaine collectif (seed 000): one thread on the groupe de tâches « Accueil des
collégiens exclus », one on the action « Café des parents au collège Servenoble », each with replies, one of them
answered by e-mail. No pupil or family is named, as on the platform.

Idempotent: a thread is found again by (collectif, title). No e-mail is sent: rows are created directly where a
service would notify people."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from actions.models import Action
from collectifs.models import Collectif
from discussions.models import Follow, Message, ReadMark, Thread
from membres.models import User
from reunions.models import GroupeDeTaches

EDUCATEUR = "educateur@exemple.org"
PRINCIPAL = "principal.aragon@exemple.org"
CPE = "cpe.servenoble@exemple.org"
COORDINATION = "coordination@exemple.org"
DGA = "dga@exemple.org"

# (title, subject, [(author's e-mail, answered by e-mail, HTML)])
THREADS = [
    (
        "Protocole d'accueil : qui reçoit les collégiens exclus le matin ?",
        ("groupe", "Accueil des collégiens exclus"),
        [
            (
                EDUCATEUR,
                False,
                "<p>Bonjour à tous,</p><p>Pour la prochaine séance, je propose d'arrêter la liste des lieux "
                "d'accueil. Les deux maisons de quartier sont d'accord pour accueillir les collégiens exclus "
                "temporairement le matin, de 9 h à 12 h, avec un animateur référent. Reste à savoir qui fait le lien "
                "avec le collège le premier jour.</p>",
            ),
            (
                PRINCIPAL,
                False,
                "<p>Au collège Louis-Aragon, le CPE peut appeler la maison de quartier la veille. Il nous faudrait "
                "une fiche de liaison commune aux trois collèges, avec seulement les dates et le lieu d'accueil.</p>"
                "<p>@Nadia Haddad, est-ce que cela conviendrait à Servenoble ?</p>",
            ),
            (
                CPE,
                True,
                "<p>Oui, cela nous convient. Je prépare un modèle de fiche de liaison pour la séance, à relire "
                "ensemble avant la plénière.</p>",
            ),
            (
                COORDINATION,
                False,
                "<p>Merci ! Je propose le protocole à l'ordre du jour de la plénière. La Bouture animera un temps "
                "d'échange sur les premiers retours des maisons de quartier.</p>",
            ),
        ],
    ),
    (
        "Café des parents : date de la deuxième rencontre",
        ("action", "Café des parents au collège Servenoble"),
        [
            (
                CPE,
                False,
                "<p>La première rencontre a réuni douze parents ; ils en demandent une deuxième avant les vacances. "
                "Je propose un mardi à 8 h 30. Qui peut venir côté maisons de quartier ?</p>",
            ),
            (
                DGA,
                False,
                "<p>La ville peut prêter la salle polyvalente si celle du collège est prise. Pensez à prévenir "
                "l'association ESA : ses bénévoles ont proposé de tenir l'accueil.</p>",
            ),
            (
                EDUCATEUR,
                False,
                "<p>Je serai là mardi et je peux présenter en quelques minutes l'accompagnement de la prévention "
                "spécialisée.</p>",
            ),
        ],
    ),
]


def _subject(collectif, kind: str, name: str):
    if kind == "groupe":
        return GroupeDeTaches.objects.filter(collectif=collectif, name=name).first()
    return Action.objects.filter(collectif=collectif, title=name).first()


def load(stdout) -> None:
    collectif = Collectif.objects.filter(slug="villefontaine").first()
    if collectif is None:
        return
    people = {u.email: u for u in User.objects.filter(email__in=[EDUCATEUR, PRINCIPAL, CPE, COORDINATION, DGA])}
    coordination = people.get(COORDINATION)
    now = timezone.now()
    created_count = 0
    for n, (title, (kind, name), messages) in enumerate(THREADS):
        subject = _subject(collectif, kind, name)
        if subject is None or any(email not in people for email, _email, _html in messages):
            continue
        if Thread.objects.filter(collectif=collectif, title=title).exists():
            continue
        start = now - timedelta(days=6 - 3 * n, hours=5)
        first_author = people[messages[0][0]]
        thread = Thread.objects.create(
            collectif=collectif,
            title=title,
            created_by=first_author,
            created_at=start,
            last_message_at=start,
            **{kind: subject},
        )
        rows = []
        for i, (email, by_email, html) in enumerate(messages):
            at = start + timedelta(hours=4 * i + 1 if i else 0)
            rows.append(
                Message(
                    thread=thread,
                    author=people[email],
                    body=html,
                    source=Message.Source.EMAIL if by_email else Message.Source.WEB,
                    email_message_id=f"<demo-{n}-{i}@exemple.org>" if by_email else "",
                    created_at=at,
                )
            )
        Message.objects.bulk_create(rows)
        thread.last_message_at, thread.message_count = rows[-1].created_at, len(rows)
        thread.save(update_fields=["last_message_at", "message_count"])
        writers = {m.author_id: m.created_at for m in rows}
        for user_id, last in writers.items():
            Follow.objects.get_or_create(thread=thread, user_id=user_id, defaults={"reason": Follow.Reason.WROTE})
            ReadMark.objects.get_or_create(thread=thread, user_id=user_id, defaults={"read_at": last})
        # The coordination follows both threads and has not read the latest answers: the demo shows unread markers.
        if coordination is not None and coordination.pk not in writers:
            Follow.objects.get_or_create(thread=thread, user=coordination, defaults={"reason": Follow.Reason.CHOSE})
            ReadMark.objects.get_or_create(thread=thread, user=coordination, defaults={"read_at": rows[0].created_at})
        created_count += 1
    stdout.write(f"  discussions : {created_count} discussion(s) créée(s), dont une réponse reçue par e-mail")
