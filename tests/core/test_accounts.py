"""Accounts: sign-up by invitation only, password reset in French, verified e-mail, TOTP, rate limits."""

import re
import time

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from membres.models import User
from tests.membres.factories import PASSWORD, UserFactory

LOGIN_URL = "/compte/login/"


def totp_code(secret: str) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD  # the current period
    return totp_auth.format_hotp_value(totp_auth.hotp_value(secret, counter))


def login(client, email: str, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"login": email, "password": password})


@pytest.mark.django_db
def test_login_page_is_french_with_our_labels(client):
    content = client.get(LOGIN_URL).content.decode()
    assert "Adresse e-mail</label>" in content
    assert ">Se connecter</button>" in content
    assert 'id="id_login"' in content and 'id="id_password"' in content
    assert 'autocomplete="current-password"' in content


@pytest.mark.django_db
def test_signup_without_invitation_shows_the_closed_page_and_creates_nobody(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Inscription sur invitation" in response.content.decode()
    response = client.post(
        reverse("account_signup"),
        {"email": "intrus@exemple.org", "password1": "un-mot-de-passe-long", "password2": "un-mot-de-passe-long"},
    )
    assert "Inscription sur invitation" in response.content.decode()
    assert not User.objects.filter(email="intrus@exemple.org").exists()


def test_signup_form_opens_with_an_invitation_and_labels_its_fields(client, collectif, institution, coordinator):
    import re

    from django.core import mail

    from membres import services
    from membres.models import Membership, Niveau
    from tests.helpers import mails_leave

    with mails_leave():
        services.invitation_create(
            collectif=collectif,
            email="nouvelle@exemple.org",
            institution=institution,
            function="CPE",
            niveau=Niveau.TERRAIN,
            role=Membership.Role.MEMBER,
            by=coordinator,
        )
    link = re.search(r"https?://[^/\s]+(/invitation/[^\s]+/)", mail.outbox[-1].body).group(1)
    client.get(link)  # opening the link puts the invitation in the session
    content = client.get(reverse("account_signup")).content.decode()
    assert "Inscription sur invitation" not in content
    for field in ("email", "password1", "password2"):
        assert f'<label for="id_{field}"' in content
        assert f'id="id_{field}"' in content


@pytest.mark.django_db
def test_password_reset_sends_a_french_email_whose_link_sets_a_new_password(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject == "[Persévérance] Choisir un nouveau mot de passe"
    assert "Vous avez demandé à réinitialiser le mot de passe" in message.body
    link = re.search(r"https?://[^/\s]+(/compte/password/reset/key/\S+)", message.body).group(1)

    response = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in response.content.decode()
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "nouveau-secret-2026", "password2": "nouveau-secret-2026"})
    assert response.status_code == 302
    assert "Mot de passe modifié" in client.get(response["Location"]).content.decode()
    member.refresh_from_db()
    assert member.check_password("nouveau-secret-2026")


@pytest.mark.django_db
def test_password_reset_with_a_malformed_address_keeps_it_and_explains(client):
    content = client.post(reverse("account_reset_password"), {"email": "pas-une-adresse"}).content.decode()
    assert "Adresse e-mail</label>" in content
    assert 'value="pas-une-adresse"' in content
    assert 'aria-invalid="true" aria-describedby="id_email_errors"' in content
    assert not mail.outbox


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_reveals_nothing_and_mentions_invitations(client):
    response = client.post(reverse("account_reset_password"), {"email": "inconnu@exemple.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "invitation" in mail.outbox[0].body


@pytest.mark.django_db
def test_login_with_unverified_email_is_refused_when_verification_is_mandatory(client, settings):
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    user = UserFactory(email="nouvelle@exemple.org")
    EmailAddress.objects.filter(user=user).update(verified=False)
    if not EmailAddress.objects.filter(user=user).exists():
        EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert "Confirmez votre adresse e-mail" in client.get(response["Location"]).content.decode()
    assert mail.outbox and mail.outbox[0].subject == "[Persévérance] Confirmez votre adresse e-mail"

    # The link of the e-mail confirms the address; then the login goes through.
    link = re.search(r"https?://[^/\s]+(/compte/confirm-email/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link).content.decode()
    assert "Confirmez-vous que <strong>nouvelle@exemple.org</strong>" in page
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert login(client, user.email)["Location"] == reverse("home")


@pytest.mark.django_db
def test_login_with_verified_email_reaches_home(client, member):
    response = login(client, member.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_user_enables_totp_and_is_then_asked_for_a_code_at_login(client, member):
    assert login(client, member.email).status_code == 302
    activate_url = reverse("mfa_activate_totp")
    # Changing the second factor asks for the password again.
    response = client.get(activate_url)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert "Confirmer l'accès" in client.get(response["Location"]).content.decode()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(activate_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'class="qr-code" src="data:image/svg+xml' in content
    secret = client.session[totp_auth.SECRET_SESSION_KEY]
    assert secret in content

    response = client.post(activate_url, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()

    response = client.post(activate_url, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    index = client.get(reverse("mfa_index")).content.decode()
    assert '<span class="badge badge--success">active</span>' in index
    assert "Il vous reste 10 codes de secours sur 10" in index
    client.logout()

    # A code can serve only once: log in again in a later period.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=90), tick=False):
        response = login(client, member.email)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "Double authentification" in page

        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_login_rate_limit_blocks_after_repeated_failures(client, settings, member):
    """Test settings turn rate limits off; production keeps them on, backed by the cache."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,3/5m/key"}
    for _ in range(3):
        response = login(client, member.email, "mauvais-mot-de-passe")
        assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()
    response = login(client, member.email)  # even the right password is refused now
    assert response.status_code == 200
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_rate_limits_are_on_in_base_settings():
    from config.settings import base

    assert base.ACCOUNT_RATE_LIMITS["login_failed"]
    assert base.ACCOUNT_RATE_LIMITS["reset_password"]
