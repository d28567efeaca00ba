import pytest

from tests.membres.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def test_member_logs_in_and_reaches_their_collectif(page, live_server, browser_login, axe_check, member, collectif):
    page.goto(live_server.url + "/")
    axe_check(page)
    browser_login(page, member.email)
    assert page.get_by_role("heading", name="Bonjour Nadia").is_visible()
    axe_check(page)
    page.get_by_role("link", name=collectif.name).first.click()
    assert page.get_by_role("heading", level=1, name=collectif.name).is_visible()
    axe_check(page)


def test_wrong_password_shows_an_accessible_error_and_keeps_the_address(page, live_server, axe_check, member):
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Adresse e-mail").fill(member.email)
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Adresse e-mail").input_value() == member.email
    axe_check(page)


def test_skip_link_is_the_first_stop_and_leads_to_the_content(page, live_server):
    page.goto(live_server.url + "/compte/login/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()  # visible once focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_layout_fits_a_phone_screen(page, live_server, browser_login, axe_check, member, collectif):
    page.set_viewport_size(PHONE)
    for path in ("/", "/compte/login/", "/compte/password/reset/", "/compte/signup/"):
        page.goto(live_server.url + path)
        assert no_horizontal_scroll(page), path
        axe_check(page)
    browser_login(page, member.email)
    for path in ("/", f"/c/{collectif.slug}/", "/compte/email/", "/compte/2fa/"):
        page.goto(live_server.url + path)
        assert no_horizontal_scroll(page), path
        assert page.get_by_role("navigation", name="Navigation principale").is_visible()
        axe_check(page)


def test_member_enables_two_factor_authentication_and_needs_it_at_next_login(
    page, live_server, browser_login, axe_check, member
):
    from allauth.mfa.totp.internal import auth as totp_auth

    browser_login(page, member.email)
    page.goto(live_server.url + "/compte/2fa/")
    axe_check(page)
    page.get_by_role("link", name="Activer").click()
    # Changing the second factor asks for the password again.
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main form [type=submit]").first.click()
    assert page.get_by_role("heading", level=1, name="Activer l'application d'authentification").is_visible()
    axe_check(page)
    secret = page.locator("#authenticator_secret").input_value()
    counter = next(iter(totp_auth.yield_hotp_counters_from_time()))
    page.get_by_label("Code à six chiffres").fill(totp_auth.format_hotp_value(totp_auth.hotp_value(secret, counter)))
    page.get_by_role("button", name="Activer").click()
    assert page.get_by_role("heading", level=1, name="Codes de secours").is_visible()
    axe_check(page)
    recovery_code = page.locator(".recovery-codes li").first.inner_text()

    page.get_by_role("button", name="Se déconnecter").click()
    browser_login(page, member.email)
    assert page.get_by_role("heading", level=1, name="Double authentification").is_visible()
    axe_check(page)
    page.get_by_label("Code de vérification").fill(recovery_code)
    page.get_by_role("button", name="Valider").click()
    assert page.get_by_role("heading", name="Bonjour Nadia").is_visible()


def test_data_confirm_asks_before_sending_and_cancel_sends_nothing(page, live_server, member):
    """static/js/app.js: a form with data-confirm is sent only when the person agrees."""
    page.goto(live_server.url + "/compte/login/")
    page.locator("form:has(#id_login)").evaluate("form => form.dataset.confirm = 'Vraiment ?'")
    page.locator("#id_login").fill(member.email)
    page.locator("#id_password").fill(PASSWORD)
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Se connecter").click()
    assert dialogs == ["Vraiment ?"]
    assert page.locator("#id_login").input_value() == member.email  # still the same page, nothing sent
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Bonjour Nadia").is_visible()
