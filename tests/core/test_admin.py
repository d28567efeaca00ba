import pytest


@pytest.mark.django_db
def test_admin_login_goes_through_the_platform_login_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


@pytest.mark.django_db
def test_member_who_is_not_staff_is_refused_the_administration(member_client):
    assert member_client.get("/admin/login/").status_code == 403


@pytest.mark.django_db
def test_superuser_reaches_the_administration(client_as):
    assert client_as("superuser").get("/admin/").status_code == 200
