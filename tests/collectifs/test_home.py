def test_anonymous_visitor_sees_presentation_and_login_link(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Se connecter" in response.content.decode()


def test_member_sees_their_collectif_on_home(member_client, collectif):
    response = member_client.get("/")
    assert collectif.name in response.content.decode()


def test_header_lists_only_the_users_collectifs(member_client, collectif, other_collectif):
    html = member_client.get("/").content.decode()
    assert collectif.name in html
    assert other_collectif.name not in html
