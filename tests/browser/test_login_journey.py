import pytest

pytestmark = pytest.mark.browser


def test_member_logs_in_and_reaches_their_collectif(page, live_server, browser_login, axe_check, member, collectif):
    page.goto(live_server.url + "/")
    axe_check(page)
    browser_login(page, member.email)
    assert page.get_by_role("heading", name="Bonjour Nadia").is_visible()
    axe_check(page)
    page.get_by_role("link", name=collectif.name).first.click()
    assert page.get_by_role("heading", level=1, name=collectif.name).is_visible()
    axe_check(page)
