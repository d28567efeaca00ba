"""The signed-in user's memberships come from the shared cache across requests (collectifs.access.user_memberships),
and every change of a membership, a collectif or an institution is seen on the next page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from collectifs.services import collectif_set_academie
from membres.models import Membership
from membres.services import membership_end
from tests.membres.factories import MembershipFactory


def _membership_queries(client, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return status, sum('FROM "membres_membership"' in q["sql"] for q in queries.captured_queries)


def test_a_second_page_reads_no_membership_from_the_database(member_client, collectif):
    home = reverse("collectifs:detail", kwargs={"collectif_slug": collectif.slug})
    assert _membership_queries(member_client, home)[1] >= 1
    assert _membership_queries(member_client, home) == (200, 0)


def test_an_ended_membership_closes_the_collectif_on_the_next_page(member_client, member, coordinator, collectif):
    home = reverse("collectifs:detail", kwargs={"collectif_slug": collectif.slug})
    assert member_client.get(home).status_code == 200
    membership = Membership.objects.get(user=member, collectif=collectif)
    membership_end(membership=membership, by=coordinator)
    assert member_client.get(home).status_code == 404


def test_a_new_membership_and_a_renamed_collectif_show_on_the_next_page(member_client, member, other_collectif):
    assert escape(other_collectif.name) not in member_client.get("/").content.decode()
    MembershipFactory(user=member, collectif=other_collectif)
    assert escape(other_collectif.name) in member_client.get("/").content.decode()
    other_collectif.name = "Collectif renommé"
    other_collectif.save(update_fields=["name"])
    assert "Collectif renommé" in member_client.get("/").content.decode()


def test_the_collectif_of_a_page_follows_a_change_made_by_a_service(coordinator_client, coordinator, collectif):
    page = reverse("collectifs:calendrier", kwargs={"collectif_slug": collectif.slug})
    assert coordinator_client.get(page).context["access"].collectif.academie == ""
    collectif_set_academie(collectif=collectif, academie="lyon", by=coordinator)
    assert coordinator_client.get(page).context["access"].collectif.academie == "lyon"
