import datetime
import re

import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from membres import services
from membres.adapters import INVITATION_SESSION_KEY
from membres.models import MemberInvitation, Membership, Niveau
from tests.helpers import client_for, mails_leave
from tests.membres.factories import PASSWORD

NEW_EMAIL = "nouvelle.as@exemple.org"


def _invite(client, collectif, institution, email=NEW_EMAIL, **extra):
    data = {
        "email": email,
        "institution": institution.pk,
        "function": "Assistante sociale",
        "niveau": Niveau.TERRAIN,
        "role": Membership.Role.MEMBER,
        **extra,
    }
    with mails_leave():
        return client.post(reverse("membres:invite", kwargs={"collectif_slug": collectif.slug}), data)


def _link_path(message) -> str:
    url = re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def _service_invite(coordinator, collectif, institution, email=NEW_EMAIL, function="CPE") -> MemberInvitation:
    """An invitation made by the coordinator through the service (its e-mail lands in mail.outbox)."""
    with mails_leave():
        return services.invitation_create(
            collectif=collectif,
            email=email,
            institution=institution,
            function=function,
            niveau=Niveau.TERRAIN,
            role=Membership.Role.MEMBER,
            by=coordinator,
        )


def test_coordinator_invites_one_person_who_gets_one_french_email_with_a_link(
    coordinator_client, collectif, institution
):
    response = _invite(coordinator_client, collectif, institution)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [NEW_EMAIL]
    assert "Invitation à rejoindre" in message.subject
    assert "expire dans 14 jours" in message.body
    invitation = MemberInvitation.objects.get(email=NEW_EMAIL)
    assert invitation.status == MemberInvitation.Status.PENDING
    assert invitation.expires_at - invitation.created_at >= datetime.timedelta(days=13, hours=23)


def test_only_the_hash_of_the_token_is_stored(coordinator_client, collectif, institution):
    from core.models import OutboxMessage

    _invite(coordinator_client, collectif, institution)
    token = _link_path(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    invitation = MemberInvitation.objects.get(email=NEW_EMAIL)
    assert token not in invitation.token_hash
    assert invitation.token_hash == services.hash_token(token)
    assert len(invitation.token_hash) == 64
    # The outbox held the link until the mail left, then forgot it.
    assert OutboxMessage.objects.get().body == ""


def test_inviting_with_a_new_institution_creates_it(coordinator_client, collectif):
    response = _invite(
        coordinator_client,
        collectif,
        institution=type("Empty", (), {"pk": ""})(),
        new_institution_name="Centre médico-psychologique",
        new_institution_kind="sante",
    )
    assert response.status_code == 302
    invitation = MemberInvitation.objects.get(email=NEW_EMAIL)
    assert invitation.institution.name == "Centre médico-psychologique"
    assert invitation.institution.territoire == collectif.territoire


def test_inviting_a_current_member_is_refused_in_french_and_keeps_the_input(
    coordinator_client, collectif, institution, member
):
    response = _invite(coordinator_client, collectif, institution, email=member.email)
    assert response.status_code == 200
    assert "est déjà membre du collectif" in response.content.decode()
    assert 'value="Assistante sociale"' in response.content.decode()
    assert not mail.outbox


def test_an_invalid_address_is_refused(coordinator_client, collectif, institution):
    response = _invite(coordinator_client, collectif, institution, email="pas-une-adresse")
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide" in response.content.decode()
    assert not MemberInvitation.objects.exists()


def test_newcomer_signs_up_with_the_email_fixed_and_verified_and_joins(client, coordinator, collectif, institution):
    invitation = _service_invite(coordinator, collectif, institution)
    path = _link_path(mail.outbox[0])
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == reverse("account_signup")
    assert client.session[INVITATION_SESSION_KEY]
    signup = client.get(reverse("account_signup"))
    assert NEW_EMAIL in signup.content.decode()
    response = client.post(
        reverse("account_signup"),
        {"email": NEW_EMAIL, "password1": "Un-mot-de-passe-2024", "password2": "Un-mot-de-passe-2024"},
    )
    assert response.status_code == 302
    assert response.url == reverse("collectifs:detail", kwargs={"collectif_slug": collectif.slug})
    membership = Membership.objects.active().get(user__email=NEW_EMAIL, collectif=collectif)
    assert membership.function == "CPE"
    assert EmailAddress.objects.get(email=NEW_EMAIL).verified
    invitation.refresh_from_db()
    assert invitation.status == MemberInvitation.Status.ACCEPTED
    assert invitation.membership == membership
    assert client.get(response.url).status_code == 200


def test_sign_up_with_another_address_than_the_invited_one_is_refused(client, coordinator, collectif, institution):
    _service_invite(coordinator, collectif, institution)
    client.get(_link_path(mail.outbox[0]))
    response = client.post(
        reverse("account_signup"),
        {
            "email": "quelquun.dautre@exemple.org",
            "password1": "Un-mot-de-passe-2024",
            "password2": "Un-mot-de-passe-2024",
        },
    )
    assert response.status_code == 200
    assert f"Cette invitation est adressée à {NEW_EMAIL}" in response.content.decode()
    assert not Membership.objects.filter(user__email="quelquun.dautre@exemple.org").exists()


def test_sign_up_without_an_invitation_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "curieux@exemple.org", "password1": "Un-mot-de-passe-2024", "password2": "Un-mot-de-passe-2024"},
    )
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert not EmailAddress.objects.filter(email="curieux@exemple.org").exists()


def test_existing_account_logs_in_then_accepts(client, coordinator, collectif, institution, other_member):
    _service_invite(coordinator, collectif, institution, email=other_member.email, function="Éducateur")
    path = _link_path(mail.outbox[0])
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    response = client.post(response.url, {"login": other_member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == path
    assert "Rejoindre le collectif" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302
    assert Membership.objects.active().filter(user=other_member, collectif=collectif).exists()
    # One person can belong to several collectifs.
    assert Membership.objects.active().filter(user=other_member).count() == 2


def test_link_opened_while_logged_in_as_someone_else_joins_nobody(coordinator, collectif, institution, member):
    _service_invite(coordinator, collectif, institution)
    client = client_for(member)
    path = _link_path(mail.outbox[0])
    response = client.post(path)
    assert response.status_code == 200
    assert f"adressée à {NEW_EMAIL}, mais vous êtes connecté(e) avec {member.email}" in response.content.decode()
    assert MemberInvitation.objects.get().status == MemberInvitation.Status.PENDING


def test_already_member_is_told_so(coordinator, collectif, institution, member):
    invitation = MemberInvitation.objects.create(
        collectif=collectif,
        email=member.email,
        institution=institution,
        function="CPE",
        niveau=Niveau.TERRAIN,
        token_hash=services.hash_token("jeton-du-membre"),
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    response = client_for(member).post(reverse("membres:invitation_accept", kwargs={"token": "jeton-du-membre"}))
    assert "Vous êtes déjà membre de ce collectif." in response.content.decode()
    assert invitation.__class__.objects.get().accepted_at is None


def test_expired_link_is_explained(client, coordinator, collectif, institution):
    _service_invite(coordinator, collectif, institution)
    path = _link_path(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=14, minutes=1)):
        response = client.get(path)
    assert response.status_code == 200
    assert "Cette invitation a expiré" in response.content.decode()
    assert INVITATION_SESSION_KEY not in client.session


def test_revoked_link_is_explained(client, coordinator_client, coordinator, collectif, institution):
    invitation = _service_invite(coordinator, collectif, institution)
    coordinator_client.post(
        reverse("membres:invitation_revoke", kwargs={"collectif_slug": collectif.slug, "pk": invitation.pk})
    )
    response = client.get(_link_path(mail.outbox[0]))
    assert "Cette invitation a été retirée" in response.content.decode()


def test_resend_makes_a_new_link_and_kills_the_old_one(
    client, coordinator_client, coordinator, collectif, institution
):
    invitation = _service_invite(coordinator, collectif, institution)
    old_path = _link_path(mail.outbox[0])
    with mails_leave():
        response = coordinator_client.post(
            reverse("membres:invitation_resend", kwargs={"collectif_slug": collectif.slug, "pk": invitation.pk})
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new_path = _link_path(mail.outbox[1])
    assert new_path != old_path
    response = client.get(old_path)
    assert response.status_code == 404
    assert "Ce lien d&#x27;invitation n&#x27;est pas valide" in response.content.decode()
    assert client.get(new_path).status_code == 302


def test_used_link_cannot_be_used_again(client, coordinator, collectif, institution, other_member):
    _service_invite(coordinator, collectif, institution, email=other_member.email)
    path = _link_path(mail.outbox[0])
    client_for(other_member).post(path)
    response = client.get(path)
    assert "déjà été utilisée" in response.content.decode()


def test_at_most_100_invitations_per_collectif_per_day(coordinator_client, coordinator, collectif, institution):
    now = timezone.now()
    MemberInvitation.objects.bulk_create(
        MemberInvitation(
            collectif=collectif,
            email=f"p{i}@exemple.org",
            institution=institution,
            function="CPE",
            niveau=Niveau.TERRAIN,
            token_hash=services.hash_token(f"t{i}"),
            last_sent_at=now,
            expires_at=now + datetime.timedelta(days=14),
        )
        for i in range(100)
    )
    response = _invite(coordinator_client, collectif, institution)
    assert response.status_code == 200
    assert "a déjà envoyé 100 invitations aujourd&#x27;hui" in response.content.decode()
    assert not mail.outbox


def test_bulk_sends_the_good_lines_and_returns_the_faulty_ones_with_their_error(
    coordinator_client, collectif, institution, member
):
    lines = "\n".join(
        [
            f"a.martin@exemple.org ; {institution.name} ; Assistante sociale ; terrain",
            f"b.petit@exemple.org ; {institution.name.upper()} ; Principal adjoint ; Encadrement",
            f"pas-une-adresse ; {institution.name} ; CPE ; terrain",
            "c.roux@exemple.org ; Institution inventée ; CPE ; terrain",
            f"{member.email} ; {institution.name} ; CPE ; terrain",
            f"d.lemoine@exemple.org ; {institution.name} ; Élu ; décisionnel",
            f"e.blanc@exemple.org ; {institution.name} ; CPE ; partout",
            "ligne sans séparateurs",
        ]
    )
    with mails_leave():
        response = coordinator_client.post(
            reverse("membres:invite_bulk", kwargs={"collectif_slug": collectif.slug}),
            {"lines": lines, "role": "member"},
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "a.martin@exemple.org",
        "b.petit@exemple.org",
        "d.lemoine@exemple.org",
    ]
    assert MemberInvitation.objects.get(email="d.lemoine@exemple.org").niveau == Niveau.POLITIQUE
    assert "n&#x27;est pas une adresse e-mail valide" in html
    assert "Institution inconnue" in html
    assert "est déjà membre du collectif" in html
    assert "Niveau inconnu" in html
    assert "4 champs attendus" in html
    # The faulty lines come back in the text area, the sent ones do not.
    textarea = html.split("<textarea", 1)[1].split("</textarea>", 1)[0]
    assert "c.roux@exemple.org" in textarea
    assert "a.martin@exemple.org" not in textarea


def test_bulk_with_only_good_lines_goes_back_to_the_list(coordinator_client, collectif, institution):
    response = coordinator_client.post(
        reverse("membres:invite_bulk", kwargs={"collectif_slug": collectif.slug}),
        {"lines": f"a.martin@exemple.org; {institution.name}; CPE; terrain\n\n", "role": "guest"},
    )
    assert response.status_code == 302
    assert MemberInvitation.objects.get().role == Membership.Role.GUEST


def test_invitation_list_shows_statuses(
    coordinator_client, coordinator, collectif, institution, django_assert_max_num_queries
):
    for i in range(5):
        _service_invite(coordinator, collectif, institution, email=f"p{i}@exemple.org")
    with django_assert_max_num_queries(10):
        response = coordinator_client.get(reverse("membres:invitations", kwargs={"collectif_slug": collectif.slug}))
    assert response.content.decode().count("En attente") == 5


def test_sign_up_closes_again_when_the_invitation_is_revoked_meanwhile(client, coordinator, collectif, institution):
    invitation = _service_invite(coordinator, collectif, institution)
    client.get(_link_path(mail.outbox[0]))
    services.invitation_revoke(invitation=invitation, by=coordinator)
    response = client.post(
        reverse("account_signup"),
        {"email": NEW_EMAIL, "password1": "Un-mot-de-passe-2024", "password2": "Un-mot-de-passe-2024"},
    )
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert not EmailAddress.objects.filter(email=NEW_EMAIL).exists()
