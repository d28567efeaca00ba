import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from membres import handover
from membres.models import MemberInvitation, Membership, Niveau
from reunions.models import GroupeDeTaches
from tests.helpers import client_for, mails_leave
from tests.membres.factories import MembershipFactory, UserFactory


def _membership(user, collectif):
    return Membership.objects.active().get(user=user, collectif=collectif)


def test_end_asks_for_confirmation_then_keeps_history(coordinator_client, collectif, member):
    membership = _membership(member, collectif)
    url = reverse("membres:membership_end", kwargs={"collectif_slug": collectif.slug, "pk": membership.pk})
    page = coordinator_client.get(url).content.decode()
    assert "Confirmez-vous la fin de cette appartenance" in page
    membership.refresh_from_db()
    assert membership.left_on is None
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = coordinator_client.post(url, {"left_on": yesterday.isoformat()})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == yesterday
    assert Membership.objects.filter(pk=membership.pk).exists()
    # The former member loses access to the collectif.
    assert client_for(member).get(collectif.get_absolute_url()).status_code == 404


def test_end_date_cannot_be_in_the_future(coordinator_client, collectif, member):
    membership = _membership(member, collectif)
    url = reverse("membres:membership_end", kwargs={"collectif_slug": collectif.slug, "pk": membership.pk})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert coordinator_client.post(url, {"left_on": tomorrow.isoformat()}).status_code == 200
    membership.refresh_from_db()
    assert membership.left_on is None


def test_another_collectifs_membership_answers_404(coordinator_client, collectif, other_member, other_collectif):
    foreign = _membership(other_member, other_collectif)
    url = reverse("membres:membership_end", kwargs={"collectif_slug": collectif.slug, "pk": foreign.pk})
    assert coordinator_client.post(url, {"left_on": timezone.localdate().isoformat()}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.left_on is None


def test_handover_to_an_existing_account_invites_and_moves_open_pilot_roles_on_acceptance(
    coordinator_client, collectif, member, institution
):
    successor = UserFactory(email="successeur@exemple.org")
    active = GroupeDeTaches.objects.create(collectif=collectif, name="Parents", mandate="Préparer", pilot=member)
    done = GroupeDeTaches.objects.create(
        collectif=collectif, name="Ancien", mandate="Fait", pilot=member, status=GroupeDeTaches.Status.DONE
    )
    membership = _membership(member, collectif)
    url = reverse("membres:membership_handover", kwargs={"collectif_slug": collectif.slug, "pk": membership.pk})
    assert 'value="CPE"' in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(
        url, {"successor_email": successor.email, "function": "CPE", "niveau": Niveau.TERRAIN, "role": "member"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == timezone.localdate()
    # Nobody joins without consent: the existing account is invited, like a newcomer.
    assert not Membership.objects.filter(user=successor, collectif=collectif).exists()
    invitation = MemberInvitation.objects.get(email=successor.email)
    assert invitation.replaces == membership
    from membres.services import invitation_accept

    invitation_accept(invitation=invitation, by=successor)
    new = _membership(successor, collectif)
    assert (new.institution, new.function, new.niveau) == (institution, "CPE", Niveau.TERRAIN)
    active.refresh_from_db()
    done.refresh_from_db()
    assert active.pilot == successor
    assert done.pilot == member


def test_handover_to_a_newcomer_invites_them_and_moves_roles_when_they_accept(
    coordinator_client, collectif, member, institution
):
    groupe = GroupeDeTaches.objects.create(collectif=collectif, name="Parents", mandate="Préparer", pilot=member)
    membership = _membership(member, collectif)
    url = reverse("membres:membership_handover", kwargs={"collectif_slug": collectif.slug, "pk": membership.pk})
    with mails_leave():
        coordinator_client.post(
            url,
            {
                "successor_email": "releve@exemple.org",
                "function": "CPE adjointe",
                "niveau": Niveau.TERRAIN,
                "role": "member",
            },
        )
    invitation = MemberInvitation.objects.get(email="releve@exemple.org")
    assert invitation.replaces == membership
    assert invitation.institution == institution
    assert len(mail.outbox) == 1
    from membres.services import invitation_accept

    newcomer = UserFactory(email="releve@exemple.org")
    invitation_accept(invitation=invitation, by=newcomer)
    groupe.refresh_from_db()
    assert groupe.pilot == newcomer


def test_handover_to_a_current_member_is_refused(coordinator_client, collectif, member, coordinator):
    membership = _membership(member, collectif)
    url = reverse("membres:membership_handover", kwargs={"collectif_slug": collectif.slug, "pk": membership.pk})
    response = coordinator_client.post(
        url, {"successor_email": coordinator.email, "function": "CPE", "niveau": Niveau.TERRAIN, "role": "member"}
    )
    assert "est déjà membre du collectif" in response.content.decode()
    membership.refresh_from_db()
    assert membership.left_on is None


def test_handover_calls_the_functions_the_apps_registered(collectif):
    from membres.hooks import handover as handover_hook

    assert handover_hook.keys() == [
        "actions.handover.transfer_responsibilities",
        "reunions.handover.transfer_responsibilities",
    ]
    a, b = UserFactory(), UserFactory()
    MembershipFactory(user=a, collectif=collectif)
    assert handover.transfer_responsibilities(collectif=collectif, from_user=a, to_user=b) == {
        "actions.handover.transfer_responsibilities": 0,
        "reunions.handover.transfer_responsibilities": 0,
    }


def test_coordinator_cannot_resend_another_collectifs_invitation(coordinator_client, collectif, other_collectif):
    from tests.collectifs.factories import InstitutionFactory

    foreign = MemberInvitation.objects.create(
        collectif=other_collectif,
        email="x@exemple.org",
        institution=InstitutionFactory(),
        function="CPE",
        niveau=Niveau.TERRAIN,
        token_hash="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    url = reverse("membres:invitation_resend", kwargs={"collectif_slug": collectif.slug, "pk": foreign.pk})
    assert coordinator_client.post(url).status_code == 404
    assert not mail.outbox


def test_management_links_only_for_coordinators(coordinator_client, member_client, guest_client, collectif, member):
    url = reverse("membres:annuaire", kwargs={"collectif_slug": collectif.slug})
    assert "Passation" in coordinator_client.get(url).content.decode()
    for client in (member_client, guest_client):
        html = client.get(url).content.decode()
        assert "Passation" not in html and "Exporter en CSV" not in html and "Inviter une personne" not in html


def test_querysets_for_member_stop_at_the_collectif(collectif, other_collectif, member, other_member):
    from collectifs.models import CharteVersion
    from collectifs.services import charte_edit

    charte_edit(collectif=collectif, text="Ici.", by=member)
    charte_edit(collectif=other_collectif, text="Ailleurs.", by=other_member)
    assert list(CharteVersion.objects.for_member(member).values_list("text", flat=True)) == ["Ici."]
    assert list(Membership.objects.for_member(other_member).values_list("user", flat=True)) == [other_member.pk]


def test_handover_moves_referent_roles_of_open_actions_to_the_successor(coordinator_client, collectif, member):
    """Through the registry, the actions app's hook runs too: the successor answers for the actions under way."""
    from tests.actions.factories import ActionFactory

    successor = UserFactory(email="successeure@exemple.org")
    open_action = ActionFactory(collectif=collectif, title="Café des parents", in_progress=True)
    closed_action = ActionFactory(collectif=collectif, title="Forum des métiers", done=True)
    open_action.referents.add(member)
    closed_action.referents.add(member)
    membership = _membership(member, collectif)
    url = reverse("membres:membership_handover", kwargs={"collectif_slug": collectif.slug, "pk": membership.pk})

    coordinator_client.post(
        url, {"successor_email": successor.email, "function": "CPE", "niveau": Niveau.TERRAIN, "role": "member"}
    )
    assert list(open_action.referents.all()) == [member]  # not before the successor accepts
    from membres.services import invitation_accept

    invitation_accept(invitation=MemberInvitation.objects.get(email=successor.email), by=successor)

    assert list(open_action.referents.all()) == [successor]
    assert list(closed_action.referents.all()) == [member]
