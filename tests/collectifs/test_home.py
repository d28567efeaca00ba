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


def test_collectif_home_shows_next_reunions_and_open_actions(member_client, collectif):
    from datetime import timedelta

    from django.utils import timezone

    from reunions.models import Reunion
    from tests.actions.factories import ActionFactory

    Reunion.objects.create(
        collectif=collectif,
        title="Plénière sur l'orientation",
        status=Reunion.Status.CONVENED,
        starts_at=timezone.now() + timedelta(days=5),
    )
    Reunion.objects.create(collectif=collectif, title="Plénière passée", starts_at=timezone.now() - timedelta(days=5))
    ActionFactory(collectif=collectif, title="Café des parents", in_progress=True)
    ActionFactory(collectif=collectif, title="Action terminée", done=True)

    html = member_client.get(collectif.get_absolute_url()).content.decode()

    assert "Plénière sur l&#x27;orientation" in html
    assert "Plénière passée" not in html
    assert "Café des parents" in html
    assert "Action terminée" not in html


def test_collectif_home_empty_states_say_what_to_do(coordinator_client, collectif):
    html = coordinator_client.get(collectif.get_absolute_url()).content.decode()
    assert "Aucune réunion prévue" in html
    assert "Proposez des dates" in html
    assert "Aucune action ouverte" in html


def test_collectif_home_in_a_bounded_number_of_queries(member_client, collectif, django_assert_max_num_queries):
    from tests.actions.factories import ActionFactory

    ActionFactory.create_batch(20, collectif=collectif, in_progress=True)
    # session, user, membership, the collectif's territoire and themes, and one query per panel (reunions, actions,
    # documents, discussions with their unread counts)
    with django_assert_max_num_queries(9):
        member_client.get(collectif.get_absolute_url())
