import json

from django.urls import reverse

from membres.models import Membership, User
from reunions.models import GroupeDeTaches


def test_user_edits_name_phone_and_notification_preferences(member_client, member):
    response = member_client.post(
        reverse("membres:profil"),
        {
            "first_name": "Nadia",
            "last_name": "Haddad-Roux",
            "phone": "06 12 34 56 78",
            "notify_fiche_reviews": "on",
            "notify_discussions": "quotidien",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_name == "Haddad-Roux"
    assert member.phone == "06 12 34 56 78"
    assert (member.notify_reunion_reminders, member.notify_action_followups, member.notify_fiche_reviews) == (
        False,
        False,
        True,
    )
    assert member.notify_discussions == User.DiscussionNotifications.DIGEST


def test_user_downloads_all_personal_data_as_json(member_client, member, collectif):
    response = member_client.get(reverse("membres:profil_export"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["compte"]["email"] == member.email
    assert data["appartenances"][0]["collectif"] == collectif.name
    assert data["preferences_de_notification"]["rappels_reunions"] is True
    assert data["adresses_email"][0]["verifiee"] is True


def test_delete_asks_for_confirmation(member_client, member):
    response = member_client.post(reverse("membres:profil_delete"), {"email": "autre@exemple.org"})
    assert response.status_code == 200
    assert User.objects.filter(pk=member.pk).exists()


def test_deleting_the_account_anonymises_memberships_and_keeps_history(
    member_client, member, collectif, coordinator_client
):
    membership = Membership.objects.get(user=member)
    groupe = GroupeDeTaches.objects.create(collectif=collectif, name="Parents", mandate="Préparer", pilot=member)
    response = member_client.post(reverse("membres:profil_delete"), {"email": member.email})
    assert response.status_code == 302
    assert not User.objects.filter(email="membre@exemple.org").exists()
    membership.refresh_from_db()
    assert membership.user is None
    assert membership.display_name == "ancien membre"
    groupe.refresh_from_db()
    assert groupe.pilot is None
    html = coordinator_client.get(
        reverse("membres:annuaire", kwargs={"collectif_slug": collectif.slug}) + "?status=all"
    ).content.decode()
    assert "ancien membre" in html
    assert "Haddad" not in html
    # The session is closed.
    assert member_client.get(reverse("membres:profil")).status_code == 302
