"""The questionnaire after a meeting: the organiser picks the questions, the links leave the morning after to those
present (once, however often the beat runs), answers are anonymous (no link to the person, no time), one per link,
until the questionnaire closes; results on the reunion page, in the indicators and in the annual bilan."""

import hashlib
import logging
import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from reunions.models import Invitation, Questionnaire, QuestionnaireInvite, Registration, Reponse, Reunion
from reunions.services.questionnaires import (
    RESPONSE_DAYS,
    questionnaire_open,
    questionnaires_beat,
    questionnaires_send_due,
)
from tests.helpers import collectif_url, mails_leave
from tests.membres.factories import MembershipFactory
from tests.reunions.factories import (
    InvitationFactory,
    QuestionnaireFactory,
    QuestionnaireInviteFactory,
    RegistrationFactory,
    ReponseFactory,
    ReunionFactory,
)

pytestmark = pytest.mark.django_db

SENT = QuestionnaireInvite.Status.SENT


@pytest.fixture
def atelier(collectif):
    """An atelier held yesterday afternoon... as seen from `morning_after`: present, absent, excused members; a
    present registrant, an absent one, a walk-in with an e-mail and one without."""
    starts = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=3), time(14)))
    reunion = ReunionFactory(
        collectif=collectif, kind=Reunion.Kind.ATELIER, title="Atelier exclusions", starts_at=starts, past=True
    )
    reunion.starts_at = starts
    reunion.save()
    for attendance in ("present", "present", "absent", "excuse"):
        InvitationFactory(reunion=reunion, membership=MembershipFactory(collectif=collectif), attendance=attendance)
    RegistrationFactory(reunion=reunion, attended=True, email="ines@mjc.org")
    RegistrationFactory(reunion=reunion, attended=False)
    RegistrationFactory(reunion=reunion, attended=True, walk_in=True, email="lea@centre-social.org")
    RegistrationFactory(reunion=reunion, attended=True, walk_in=True, email="")
    return reunion


def morning_after(reunion, hour=10):
    day = timezone.localdate(reunion.starts_at) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def link_of(message) -> str:
    return re.search(r"https?://[^/\s]+(/questionnaire/[^\s/]+/)", message.body).group(1)


def send(reunion, hour=10):
    with time_machine.travel(morning_after(reunion, hour), tick=False), mails_leave():
        return questionnaires_send_due()


# --- Sending ---------------------------------------------------------------------------------------------------


def test_organiser_picks_questions_from_the_catalogue(collectif, coordinator_client, atelier):
    url = collectif_url(collectif, "reunions:questionnaire", pk=atelier.pk)
    page = coordinator_client.get(url).content.decode()
    assert "Qualité des échanges" in page and "Diversité des participants" in page and "anonymes" in page
    response = coordinator_client.post(url, {"questions": ["qualite_echanges", "organisation"]})
    assert response.status_code == 302
    assert Questionnaire.objects.get(reunion=atelier).questions == ["qualite_echanges", "organisation"]
    response = coordinator_client.post(url, {})
    assert "Choisissez au moins une question." in response.content.decode()


def test_links_leave_the_morning_after_to_those_present_once(atelier, coordinator):
    questionnaire_open(reunion=atelier, by=coordinator, questions=["qualite_echanges", "envie_poursuivre"])
    assert send(atelier, hour=8) == 0  # the morning after, from 9:00
    mail.outbox.clear()
    assert send(atelier) == 4  # two members present, the registrant present, the walk-in who left an e-mail
    assert send(atelier) == 0
    questionnaires_beat.apply()  # the beat again, at any time: nothing more
    present_members = set(
        Invitation.objects.filter(reunion=atelier, attendance="present").values_list(
            "membership__user__email", flat=True
        )
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted({*present_members, "ines@mjc.org", "lea@centre-social.org"})
    assert OutboxMessage.objects.filter(key__startswith="questionnaire-invite:").count() == 4
    body = mail.outbox[0].body
    assert "anonymes" in body and "Qualité des échanges" in body and "Envie de poursuivre" in body
    questionnaire = Questionnaire.objects.get(reunion=atelier)
    assert questionnaire.closes_at == morning_after(atelier) + timedelta(days=RESPONSE_DAYS)


def test_someone_marked_present_later_gets_their_link_at_the_next_run(atelier, coordinator, collectif):
    questionnaire_open(reunion=atelier, by=coordinator, questions=["qualite_echanges"])
    send(atelier)
    late = InvitationFactory(reunion=atelier, membership=MembershipFactory(collectif=collectif), attendance="present")
    mail.outbox.clear()
    assert send(atelier, hour=15) == 1
    assert [m.to for m in mail.outbox] == [[late.membership.user.email]]


def test_no_link_for_a_reunion_still_convened_cancelled_or_long_past(atelier, coordinator):
    questionnaire_open(reunion=atelier, by=coordinator, questions=["qualite_echanges"])
    Reunion.objects.filter(pk=atelier.pk).update(status=Reunion.Status.CANCELLED)
    assert send(atelier) == 0
    Reunion.objects.filter(pk=atelier.pk).update(status=Reunion.Status.HELD)
    with time_machine.travel(atelier.starts_at + timedelta(days=40)):
        assert questionnaires_send_due() == 0


def test_the_token_is_kept_hashed_and_the_outbox_forgets_it_once_sent(atelier, coordinator):
    questionnaire_open(reunion=atelier, by=coordinator, questions=["qualite_echanges"])
    send(atelier)
    token = link_of(mail.outbox[0]).split("/")[2]
    assert QuestionnaireInvite.objects.filter(token_hash=hashlib.sha256(token.encode()).hexdigest()).exists()
    assert not QuestionnaireInvite.objects.filter(token_hash=token).exists()
    rows = OutboxMessage.objects.filter(key__startswith="questionnaire-invite:")
    assert all(row.erase_after_send for row in rows)
    assert all(token not in row.body for row in rows.filter(status=OutboxMessage.Status.SENT))


def test_questions_no_longer_change_once_the_links_left(atelier, coordinator, collectif, coordinator_client):
    questionnaire_open(reunion=atelier, by=coordinator, questions=["qualite_echanges"])
    send(atelier)
    url = collectif_url(collectif, "reunions:questionnaire", pk=atelier.pk)
    page = coordinator_client.get(url).content.decode()
    assert "ses questions ne changent plus" in page and "Envoyé à 4 personnes" in page
    response = coordinator_client.post(url, {"questions": ["diversite"]})
    assert "ses questions ne changent plus" in response.content.decode()
    assert Questionnaire.objects.get(reunion=atelier).questions == ["qualite_echanges"]


# --- Answering -------------------------------------------------------------------------------------------------


@pytest.fixture
def invite(atelier):
    questionnaire = QuestionnaireFactory(reunion=atelier, closes_at=timezone.now() + timedelta(days=10))
    return QuestionnaireInviteFactory(questionnaire=questionnaire, token="secret-de-test-1234567890")


def answer_url(token="secret-de-test-1234567890"):
    return reverse("reunions:questionnaire_answer", kwargs={"token": token})


ANSWER = {"q_qualite_echanges": "5", "q_utilite_pratique": "4", "q_envie_poursuivre": "", "comment": "Très riche."}


def test_the_form_says_it_is_anonymous_and_works_without_an_account(client, invite):
    page = client.get(answer_url()).content.decode()
    assert "Ce questionnaire est anonyme." in page
    assert "<legend" in page and "Qualité des échanges" in page and "Utilité pour ma pratique" in page
    response = client.post(answer_url(), ANSWER)
    assert "Merci pour votre réponse" in response.content.decode()
    (reponse,) = Reponse.objects.all()
    assert reponse.scores == {"qualite_echanges": 5, "utilite_pratique": 4}  # a question left out has no score
    assert reponse.comment == "Très riche."


def test_an_answer_cannot_be_linked_to_its_person(client, invite, caplog):
    """No foreign key but the questionnaire, no date or time, a random key; the link is marked used without a time;
    nothing logged names the link or the person."""
    relations = {f.name for f in Reponse._meta.get_fields() if f.is_relation}
    assert relations == {"questionnaire"}
    assert not [f for f in Reponse._meta.get_fields() if isinstance(f, (models.DateField, models.TimeField))]
    assert isinstance(Reponse._meta.pk, models.UUIDField)
    assert not [
        f for f in QuestionnaireInvite._meta.get_fields() if isinstance(f, (models.DateField, models.TimeField))
    ]
    assert not [f for f in QuestionnaireInvite._meta.get_fields() if f.is_relation and f.related_model is Reponse]
    with caplog.at_level(logging.INFO):
        client.post(answer_url(), ANSWER)
    invite.refresh_from_db()
    assert invite.used
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert str(invite.pk) not in re.sub(r"questionnaire=\d+", "", logged)
    assert invite.membership.user.email not in logged and "secret-de-test" not in logged


def test_one_answer_per_link(client, invite):
    client.post(answer_url(), ANSWER)
    response = client.post(answer_url(), {**ANSWER, "comment": "Une seconde fois"})
    assert "Vous avez déjà répondu" in response.content.decode()
    assert "Vous avez déjà répondu" in client.get(answer_url()).content.decode()
    assert Reponse.objects.count() == 1


def test_an_expired_link_says_the_questionnaire_is_closed(client, invite):
    with time_machine.travel(invite.questionnaire.closes_at + timedelta(minutes=1)):
        assert "Ce questionnaire est clos" in client.get(answer_url()).content.decode()
        response = client.post(answer_url(), ANSWER)
    assert "Ce questionnaire est clos" in response.content.decode()
    assert not Reponse.objects.exists()


def test_an_unknown_token_or_one_not_sent_yet_is_404(client, invite):
    assert client.get(answer_url("secret-de-test-1234567890x")).status_code == 404
    QuestionnaireInvite.objects.filter(pk=invite.pk).update(status=QuestionnaireInvite.Status.PENDING)
    assert client.get(answer_url()).status_code == 404


def test_a_score_outside_1_to_5_is_refused_on_its_field(client, invite):
    response = client.post(answer_url(), {**ANSWER, "q_qualite_echanges": "9"})
    assert response.status_code == 200 and "Merci" not in response.content.decode()
    assert not Reponse.objects.exists()


# --- Results ---------------------------------------------------------------------------------------------------


def _answers(questionnaire, n):
    Reponse.objects.bulk_create(
        [
            Reponse(
                questionnaire=questionnaire,
                scores={"qualite_echanges": 1 + i % 5, "utilite_pratique": 4},
                comment=f"Commentaire {i}" if i % 2 else "",
            )
            for i in range(n)
        ]
    )


def test_results_on_the_reunion_page_with_chart_and_table(collectif, member_client, atelier):
    questionnaire = QuestionnaireFactory(reunion=atelier, questions=["qualite_echanges", "utilite_pratique"])
    for _ in range(6):
        QuestionnaireInviteFactory(questionnaire=questionnaire)
    ReponseFactory(questionnaire=questionnaire, scores={"qualite_echanges": 5, "utilite_pratique": 4}, comment="Top")
    ReponseFactory(questionnaire=questionnaire, scores={"qualite_echanges": 4}, comment="")
    ReponseFactory(questionnaire=questionnaire, scores={"qualite_echanges": 4, "utilite_pratique": 2}, comment="")
    page = member_client.get(atelier.get_absolute_url()).content.decode()
    assert "3 réponses sur 6 personnes sollicitées (50 %)" in page
    assert "Qualité des échanges : moyenne 4,3 sur 5" in page
    assert "Utilité pour ma pratique : moyenne 3,0 sur 5" in page
    assert page.count('role="img"') == 2 and "<caption>Qualité des échanges : notes données</caption>" in page
    assert "Top" in page


def test_results_in_a_constant_number_of_queries(collectif, member_client, atelier, settings):
    """5 answers or 50: the same queries (the answers in one, the people asked in one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0  # every visit renders the page (core.pagecache would serve the second one)
    questionnaire = QuestionnaireFactory(reunion=atelier)
    for registration in RegistrationFactory.create_batch(50, reunion=atelier):
        QuestionnaireInviteFactory(questionnaire=questionnaire, membership=None, registration=registration)
    _answers(questionnaire, 5)
    member_client.get(atelier.get_absolute_url())  # warms the signed-in user's cache
    with CaptureQueriesContext(connection) as five:
        response = member_client.get(atelier.get_absolute_url())
    assert "5 réponses sur 50 personnes sollicitées" in response.content.decode()
    _answers(questionnaire, 45)
    with CaptureQueriesContext(connection) as fifty:
        response = member_client.get(atelier.get_absolute_url())
    assert "50 réponses sur 50 personnes sollicitées" in response.content.decode()
    assert response.content.decode().count("Commentaire ") == 24  # 2 of the first 5, 22 of the next 45
    assert len(fifty.captured_queries) == len(five.captured_queries)


def test_indicators_and_bilan_show_the_school_year_answers(collectif, coordinator_client, atelier):
    questionnaire = QuestionnaireFactory(reunion=atelier, questions=["qualite_echanges"])
    QuestionnaireInviteFactory(questionnaire=questionnaire)
    QuestionnaireInviteFactory(questionnaire=questionnaire)
    ReponseFactory(questionnaire=questionnaire, scores={"qualite_echanges": 5})
    ReponseFactory(questionnaire=questionnaire, scores={"qualite_echanges": 4})
    page = coordinator_client.get(collectif_url(collectif, "actions:indicateurs")).content.decode()
    assert "Questionnaires des participants" in page
    assert "2 réponses anonymes sur 2 personnes sollicitées" in page
    assert re.search(r"<th scope=\"row\">Qualité des échanges</th><td>2</td><td>4,5</td>", page)
    assert 'id="chart-questionnaires-title"' in page
    bilan = coordinator_client.get(collectif_url(collectif, "bilans:bilan")).content.decode()
    assert "2 réponse(s) anonyme(s) sur 2 personne(s) sollicitée(s)" in bilan


def test_a_registrants_questionnaire_mail_is_erased_with_their_data(atelier, coordinator):
    from reunions.services.registrations import registrations_erase_expired

    questionnaire_open(reunion=atelier, by=coordinator, questions=["qualite_echanges"])
    send(atelier)
    ines = Registration.objects.get(email="ines@mjc.org")
    key = f"questionnaire-invite:{QuestionnaireInvite.objects.get(registration=ines).pk}"
    Registration.objects.filter(pk=ines.pk).update(erase_after=timezone.localdate() - timedelta(days=1))
    registrations_erase_expired()
    row = OutboxMessage.objects.get(key=key)
    assert (row.to, row.body) == ("", "")


# --- Demo ------------------------------------------------------------------------------------------------------


def test_demo_fills_a_held_atelier_once(collectif, coordinator):
    from reunions.demo import populate_held_atelier

    atelier = ReunionFactory(collectif=collectif, kind=Reunion.Kind.ATELIER, past=True)
    InvitationFactory(reunion=atelier, membership=MembershipFactory(collectif=collectif), attendance="present")
    populate_held_atelier(atelier, by=coordinator, seed=2)
    counts = (Registration.objects.count(), QuestionnaireInvite.objects.count(), Reponse.objects.count())
    populate_held_atelier(atelier, by=coordinator, seed=2)
    assert (Registration.objects.count(), QuestionnaireInvite.objects.count(), Reponse.objects.count()) == counts
    registrations = atelier.registrations.all()
    assert len({r.structure_kind for r in registrations}) == 6
    assert 14 <= registrations.filter(walk_in=False).count() <= 16
    assert registrations.filter(walk_in=True, attended=True).count() == 1
    assert registrations.filter(attended=False).count() == 2
    questionnaire = Questionnaire.objects.get(reunion=atelier)
    assert len(questionnaire.questions) == 3
    asked = questionnaire.invites.count()
    assert asked == registrations.filter(attended=True).count() + 1  # the member present too
    answers = Reponse.objects.filter(questionnaire=questionnaire)
    assert answers.count() == questionnaire.invites.filter(used=True).count() > asked // 2
    assert 2 <= answers.exclude(comment="").count() <= 4
    assert not OutboxMessage.objects.exists()  # nobody is e-mailed by the demo


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_link_once(collectif, coordinator):
    """While one run holds the rows it claimed (locked, not committed yet), a second run skips them instead of
    sending them again; once the first has finished, nothing is left to send."""
    import threading

    from django.db import connection, transaction

    from reunions.services.questionnaires import questionnaire_send

    reunion = ReunionFactory(collectif=collectif, kind=Reunion.Kind.ATELIER, past=True)
    for _ in range(3):
        InvitationFactory(reunion=reunion, membership=MembershipFactory(collectif=collectif), attendance="present")
    questionnaire = questionnaire_open(reunion=reunion, by=coordinator, questions=["qualite_echanges"])
    questionnaire_send(questionnaire=questionnaire)  # arms the rows and sends them: put them back to « pending »
    QuestionnaireInvite.objects.update(status=QuestionnaireInvite.Status.PENDING, token_hash="")
    OutboxMessage.objects.all().delete()
    holding, release = threading.Event(), threading.Event()

    def first_run():
        try:
            with transaction.atomic():
                list(QuestionnaireInvite.objects.select_for_update().values_list("pk", flat=True))
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=first_run)
    thread.start()
    assert holding.wait(10)
    assert questionnaire_send(questionnaire=questionnaire) == 0  # every row is held by the other run
    release.set()
    thread.join()
    assert questionnaire_send(questionnaire=questionnaire) == 3
    assert questionnaire_send(questionnaire=questionnaire) == 0
    assert OutboxMessage.objects.filter(key__startswith="questionnaire-invite:").count() == 3
