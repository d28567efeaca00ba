from django.urls import reverse

from actions.handover import transfer_responsibilities
from actions.models import Action
from actions.selectors import open_actions
from tests.actions.factories import ActionFactory, DecisionFactory, ReunionFactory
from tests.membres.factories import MembershipFactory, UserFactory


def test_decision_opens_a_prefilled_action_linked_back_to_it(member_client, collectif):
    decision = DecisionFactory(reunion=ReunionFactory(collectif=collectif, title="Plénière de mars"))
    url = reverse(
        "actions:create_from_decision", kwargs={"collectif_slug": collectif.slug, "decision_pk": decision.pk}
    )
    page = member_client.get(url)
    form = page.context["form"]
    assert form.initial["title"] == decision.text
    assert "Plénière de mars" in page.content.decode()
    response = member_client.post(url, {"title": form.initial["title"], "status": "idee"})
    action = Action.objects.get()
    assert response.status_code == 302
    assert action.origin == decision
    assert "Plénière de mars" in member_client.get(action.get_absolute_url()).content.decode()


def test_decision_of_another_collectif_answers_404(member_client, collectif, other_collectif):
    decision = DecisionFactory(reunion=ReunionFactory(collectif=other_collectif))
    url = reverse(
        "actions:create_from_decision", kwargs={"collectif_slug": collectif.slug, "decision_pk": decision.pk}
    )
    assert member_client.get(url).status_code == 404


def test_open_actions_lists_open_ones_under_way_first(collectif, other_collectif):
    ActionFactory(collectif=collectif, title="B idée", status="idee")
    ActionFactory(collectif=collectif, title="A en cours", status="en_cours")
    ActionFactory(collectif=collectif, title="Préparée", status="preparation")
    ActionFactory(collectif=collectif, done=True)
    ActionFactory(collectif=collectif, abandoned=True)
    ActionFactory(collectif=other_collectif, status="en_cours")
    assert [a.title for a in open_actions(collectif)] == ["A en cours", "Préparée", "B idée"]


def test_transfer_responsibilities_moves_referent_roles_of_open_actions_only(collectif, other_collectif, member):
    successor = UserFactory()
    MembershipFactory(user=successor, collectif=collectif)
    colleague = UserFactory()
    open_a = ActionFactory(collectif=collectif, status="en_cours", referents=[member, colleague])
    open_b = ActionFactory(collectif=collectif, status="idee", referents=[member, successor])
    done = ActionFactory(collectif=collectif, done=True, referents=[member])
    elsewhere = ActionFactory(collectif=other_collectif, status="en_cours", referents=[member])

    moved = transfer_responsibilities(collectif=collectif, from_user=member, to_user=successor)

    assert moved == 2
    assert set(open_a.referents.all()) == {successor, colleague}
    assert list(open_b.referents.all()) == [successor]
    assert list(done.referents.all()) == [member]
    assert list(elsewhere.referents.all()) == [member]
    assert transfer_responsibilities(collectif=collectif, from_user=member, to_user=successor) == 0
