"""Access cases of every URL of reunions (see tests/access.py)."""

from datetime import timedelta

from django.utils import timezone

from core.models import OutboxMessage
from reunions.emails import registration_token, rsvp_token
from reunions.models import Invitation, Minutes, MinutesVersion
from tests.access import COORDINATORS, MEMBERS_READ, MEMBERS_WRITE, PUBLIC, Case, expect
from tests.reunions.factories import (
    AgendaItemFactory,
    DatePollFactory,
    DecisionFactory,
    DocumentFactory,
    GroupeFactory,
    InvitationFactory,
    PollSlotFactory,
    QuestionnaireFactory,
    QuestionnaireInviteFactory,
    RegistrationFactory,
    RegistrationPageFactory,
    ReminderFactory,
    ReunionFactory,
)

# POSTs that redirect after success answer 302 for those allowed.
COORDINATORS_POST = expect(anonymous=302, guest=403, member=403, coordinator=302, other=404, crpv=404, superuser=302)
MEMBERS_WRITE_POST = expect(anonymous=302, guest=403, member=302, coordinator=302, other=404, crpv=404, superuser=302)
# The superuser is not invited, so has no answer to give (404 on the invitation).
RESPOND = expect(anonymous=302, guest=403, member=302, coordinator=302, other=404, crpv=404, superuser=404)
TOKEN_FEED = expect(anonymous=200, guest=200, member=200, coordinator=200, other=200, crpv=200, superuser=200)
NOT_FOUND_FOR_ALL = expect(anonymous=404, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404)


def extend_world(w):
    from membres.models import Membership
    from reunions.services.feeds import calendar_token_new

    c = w.collectif
    w.reunion = ReunionFactory(collectif=c, title="Plénière de printemps")
    member_ms = Membership.objects.get(user=w.users["member"], collectif=c)
    coord_ms = Membership.objects.get(user=w.users["coordinator"], collectif=c)
    w.invitation = InvitationFactory(reunion=w.reunion, membership=member_ms)
    InvitationFactory(reunion=w.reunion, membership=coord_ms)
    w.item = AgendaItemFactory(reunion=w.reunion)
    AgendaItemFactory(reunion=w.reunion)
    w.document = DocumentFactory(reunion=w.reunion)
    w.reminder = ReminderFactory(reunion=w.reunion, membership=member_ms, status="failed")
    OutboxMessage.objects.create(
        key="walk:failed",
        to=w.users["member"].email,
        subject="Invitation",
        body="…",
        status=OutboxMessage.Status.FAILED,
        reunion_id=w.reunion.pk,
        collectif_id=c.pk,
    )
    w.past = ReunionFactory(collectif=c, past=True, title="Plénière passée", secretary=member_ms)
    InvitationFactory(reunion=w.past, membership=member_ms, attendance=Invitation.Attendance.PRESENT)
    w.decision = DecisionFactory(reunion=w.past)
    minutes = Minutes.objects.create(reunion=w.past, status=Minutes.Status.SUBMITTED, version=1)
    MinutesVersion.objects.create(minutes=minutes, number=1, html="<p>Texte</p>")
    w.poll = DatePollFactory(reunion__collectif=c)
    w.slot = PollSlotFactory(poll=w.poll)
    InvitationFactory(reunion=w.poll.reunion, membership=member_ms)
    w.groupe = GroupeFactory(collectif=c)
    w.other_reunion = ReunionFactory(collectif=w.other_collectif)
    w.token = calendar_token_new(by=w.users["member"])
    w.rsvp = rsvp_token(w.invitation, "excuse")
    w.registration_page = RegistrationPageFactory(reunion=w.reunion, public_id="plenieredeprintemps")
    w.registration = RegistrationFactory(reunion=w.reunion, pending=True)
    w.registration_confirm = registration_token(w.registration, "confirm")
    w.registration_cancel = registration_token(w.registration, "cancel")
    RegistrationPageFactory(reunion=w.other_reunion, public_id="autrecollectif")
    questionnaire = QuestionnaireFactory(reunion=w.past, closes_at=timezone.now() + timedelta(days=10))
    w.questionnaire_token = "jeton-du-questionnaire-de-la-pleniere"
    QuestionnaireInviteFactory(questionnaire=questionnaire, membership=member_ms, token=w.questionnaire_token)
    w.questionnaire_used_token = "jeton-deja-utilise-du-questionnaire"
    QuestionnaireInviteFactory(
        questionnaire=questionnaire, membership=coord_ms, token=w.questionnaire_used_token, used=True
    )


def slug(w):
    return {"collectif_slug": w.collectif.slug}


def r(w):
    return {"collectif_slug": w.collectif.slug, "pk": w.reunion.pk}


def past(w):
    return {"collectif_slug": w.collectif.slug, "pk": w.past.pk}


def poll(w):
    return {"collectif_slug": w.collectif.slug, "pk": w.poll.reunion.pk}


CASES = [
    Case("reunions:list", MEMBERS_READ, kwargs=slug),
    Case("reunions:month", MEMBERS_READ, kwargs=slug, query="?mois=2026-03"),
    Case("reunions:create", COORDINATORS, kwargs=slug),
    Case("reunions:settings", COORDINATORS, kwargs=slug),
    Case("reunions:calendar", MEMBERS_READ, kwargs=slug),
    Case(
        "reunions:calendar_revoke",
        MEMBERS_READ,  # the new address is shown once, on the answer to the POST
        kwargs=slug,
        method="post",
    ),
    Case("reunions:todo", COORDINATORS, kwargs=slug),
    Case("reunions:detail", MEMBERS_READ, kwargs=r),
    Case(
        "reunions:detail",
        expect(anonymous=302, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404),
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "pk": w.other_reunion.pk},
        note="(réunion d'un autre collectif)",
    ),
    Case("reunions:ics", MEMBERS_READ, kwargs=r),
    Case(
        "reunions:ics",
        expect(anonymous=302, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404),
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "pk": w.other_reunion.pk},
        note="(réunion d'un autre collectif)",
    ),
    Case("reunions:update", COORDINATORS, kwargs=r),
    Case("reunions:cancel", COORDINATORS, kwargs=r),
    Case("reunions:invite", COORDINATORS, kwargs=r),
    Case("reunions:respond", RESPOND, kwargs=r, method="post", data=lambda w: {"response": "excuse"}),
    Case("reunions:agenda_add", COORDINATORS, kwargs=r, note="(le formulaire, ouvert à la demande)"),
    Case("reunions:agenda_add", COORDINATORS_POST, kwargs=r, method="post", data=lambda w: {"title": "Point"}),
    Case(
        "reunions:agenda_move",
        COORDINATORS_POST,
        kwargs=lambda w: {**r(w), "item_pk": w.item.pk},
        method="post",
        data=lambda w: {"direction": "down"},
    ),
    Case("reunions:agenda_delete", COORDINATORS_POST, kwargs=lambda w: {**r(w), "item_pk": w.item.pk}, method="post"),
    Case("reunions:document_upload", MEMBERS_WRITE, kwargs=r),
    Case("reunions:document", MEMBERS_READ, kwargs=lambda w: {**r(w), "document_pk": w.document.pk}),
    Case("reunions:document_delete", COORDINATORS, kwargs=lambda w: {**r(w), "document_pk": w.document.pk}),
    Case("reunions:attendance", COORDINATORS, kwargs=past),
    Case("reunions:attendance_walk_in", COORDINATORS, kwargs=past),
    Case(
        "reunions:attendance_walk_in",
        COORDINATORS_POST,
        kwargs=past,
        method="post",
        data=lambda w: {"name": "Léa Martin", "structure": "Centre social", "structure_kind": "association"},
    ),
    Case("reunions:sign_in_sheet", COORDINATORS, kwargs=r),
    Case("reunions:reminders", COORDINATORS, kwargs=r),
    Case(
        "reunions:reminder_retry",
        COORDINATORS_POST,
        kwargs=lambda w: {**r(w), "reminder_pk": w.reminder.pk},
        method="post",
    ),
    Case("reunions:mails_retry", COORDINATORS_POST, kwargs=r, method="post"),
    Case("reunions:registrations", COORDINATORS, kwargs=r),
    Case(
        "reunions:registrations",
        COORDINATORS_POST,
        kwargs=r,
        method="post",
        data=lambda w: {"capacity": "20", "retention_months": "12", "closes_at": ""},
    ),
    Case(
        "reunions:registrations",
        # the role is checked before the reunion is looked for: guest and member are refused by their role
        expect(anonymous=302, guest=403, member=403, coordinator=404, other=404, crpv=404, superuser=404),
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "pk": w.other_reunion.pk},
        note="(réunion d'un autre collectif)",
    ),
    Case("reunions:registrations_close", COORDINATORS_POST, kwargs=r, method="post"),
    Case("reunions:register", PUBLIC, kwargs=lambda w: {"public_id": w.registration_page.public_id}),
    Case(
        "reunions:register",
        PUBLIC,  # the answer looks the same with or without the honeypot; this one is a real registration
        kwargs=lambda w: {"public_id": w.registration_page.public_id},
        method="post",
        data=lambda w: {
            "name": "Inès Morel",
            "email": "ines@exemple.org",
            "structure": "MJC",
            "structure_kind": "association",
            "consent": "on",
        },
    ),
    Case(
        "reunions:register", NOT_FOUND_FOR_ALL, kwargs=lambda w: {"public_id": "inconnue"}, note="(adresse inconnue)"
    ),
    Case("reunions:registration_confirm", PUBLIC, kwargs=lambda w: {"token": w.registration_confirm}),
    Case("reunions:registration_confirm", PUBLIC, kwargs=lambda w: {"token": w.registration_confirm}, method="post"),
    Case(
        "reunions:registration_confirm",
        NOT_FOUND_FOR_ALL,
        kwargs=lambda w: {"token": w.registration_cancel},
        note="(lien d'annulation)",
    ),
    Case("reunions:registration_cancel", PUBLIC, kwargs=lambda w: {"token": w.registration_cancel}),
    Case("reunions:registration_cancel", PUBLIC, kwargs=lambda w: {"token": w.registration_cancel}, method="post"),
    Case(
        "reunions:registration_cancel",
        NOT_FOUND_FOR_ALL,
        kwargs=lambda w: {"token": w.registration_cancel + "x"},
        note="(lien falsifié)",
    ),
    Case("reunions:questionnaire", COORDINATORS, kwargs=past),
    Case(
        "reunions:questionnaire",
        COORDINATORS_POST,
        kwargs=r,  # the upcoming plénière: its questionnaire is still to prepare
        method="post",
        data=lambda w: {"questions": ["qualite_echanges", "diversite"]},
    ),
    Case(
        "reunions:questionnaire",
        expect(anonymous=302, guest=403, member=403, coordinator=404, other=404, crpv=404, superuser=404),
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "pk": w.other_reunion.pk},
        note="(réunion d'un autre collectif)",
    ),
    Case("reunions:questionnaire_answer", PUBLIC, kwargs=lambda w: {"token": w.questionnaire_token}),
    Case(
        "reunions:questionnaire_answer",
        PUBLIC,  # each role's answer is rolled back: every one records it and says thanks
        kwargs=lambda w: {"token": w.questionnaire_token},
        method="post",
        data=lambda w: {"q_qualite_echanges": "4", "comment": "Utile"},
    ),
    Case(
        "reunions:questionnaire_answer",
        PUBLIC,
        kwargs=lambda w: {"token": w.questionnaire_used_token},
        note="(lien déjà utilisé : « vous avez déjà répondu »)",
    ),
    Case(
        "reunions:questionnaire_answer",
        NOT_FOUND_FOR_ALL,
        kwargs=lambda w: {"token": w.questionnaire_token + "x"},
        note="(jeton inconnu)",
    ),
    Case("reunions:poll", MEMBERS_READ, kwargs=poll),
    Case("reunions:poll_create", COORDINATORS, kwargs=lambda w: {**slug(w), "pk": w.reunion.pk}),
    Case("reunions:poll_choose", COORDINATORS_POST, kwargs=poll, method="post", data=lambda w: {"slot": w.slot.pk}),
    Case("reunions:minutes", MEMBERS_READ, kwargs=past),
    Case(
        "reunions:minutes_edit",
        expect(anonymous=302, guest=403, member=200, coordinator=200, other=404, crpv=404, superuser=200),
        kwargs=past,
        note="(le membre est secrétaire)",
    ),
    Case("reunions:minutes_edit", COORDINATORS, kwargs=r, note="(pas secrétaire)"),
    Case("reunions:decision_add", MEMBERS_WRITE_POST, kwargs=past, method="post", data=lambda w: {"text": "Oui"}),
    Case(
        "reunions:decision_delete",
        MEMBERS_WRITE_POST,
        kwargs=lambda w: {**past(w), "decision_pk": w.decision.pk},
        method="post",
    ),
    Case(
        "reunions:minutes_submit", MEMBERS_WRITE_POST, kwargs=past, method="post", data=lambda w: {"comment_days": 7}
    ),
    Case("reunions:minutes_comment", MEMBERS_WRITE_POST, kwargs=past, method="post", data=lambda w: {"body": "Ok"}),
    Case("reunions:minutes_adopt", COORDINATORS_POST, kwargs=past, method="post"),
    Case(
        "reunions:minutes_reopen",
        expect(anonymous=302, guest=403, member=403, coordinator=404, other=404, crpv=404, superuser=404),
        kwargs=past,
        method="post",
        note="(pas encore adopté)",
    ),
    Case("reunions:minutes_pdf", MEMBERS_READ, kwargs=past),
    Case("reunions:groupes", MEMBERS_READ, kwargs=slug),
    Case("reunions:groupe_create", COORDINATORS, kwargs=slug),
    Case("reunions:groupe_detail", MEMBERS_READ, kwargs=lambda w: {**slug(w), "groupe_pk": w.groupe.pk}),
    Case("reunions:groupe_update", COORDINATORS, kwargs=lambda w: {**slug(w), "groupe_pk": w.groupe.pk}),
    Case("reunions:rsvp", PUBLIC, kwargs=lambda w: {"token": w.rsvp}),
    Case("reunions:rsvp", NOT_FOUND_FOR_ALL, kwargs=lambda w: {"token": w.rsvp + "x"}, note="(lien falsifié)"),
    Case("reunions:feed_personal", TOKEN_FEED, kwargs=lambda w: {"token": w.token}),
    Case("reunions:feed_personal", NOT_FOUND_FOR_ALL, kwargs=lambda w: {"token": "inconnu"}, note="(jeton inconnu)"),
    Case("reunions:feed_collectif", TOKEN_FEED, kwargs=lambda w: {**slug(w), "token": w.token}),
    Case(
        "reunions:feed_collectif",
        NOT_FOUND_FOR_ALL,
        kwargs=lambda w: {"collectif_slug": w.other_collectif.slug, "token": w.token},
        note="(collectif dont le titulaire n'est pas membre)",
    ),
]
