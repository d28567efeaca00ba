"""On the day: attendance lists members and confirmed registrants, walk-ins are added on the spot, the sign-in sheet
prints as a tagged PDF, and the restitution's participants by type of structure are filled from the attendance."""

import pytest
from django.urls import reverse

from reunions.models import Invitation, Registration
from reunions.selectors import attendance_by_structure_kind
from tests.collectifs.factories import InstitutionFactory
from tests.helpers import collectif_url, pdf_text
from tests.membres.factories import MembershipFactory
from tests.restitutions.factories import RestitutionFactory
from tests.restitutions.pdftools import pdf_info, pdf_metadata_xml, pdf_objects
from tests.reunions.factories import InvitationFactory, RegistrationFactory, ReunionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier(collectif):
    reunion = ReunionFactory(collectif=collectif, kind="atelier", title="Atelier décrochage", past=True)
    college = InstitutionFactory(kind="etablissement")
    for _ in range(2):
        InvitationFactory(
            reunion=reunion,
            membership=MembershipFactory(collectif=collectif, institution=college),
            attendance=Invitation.Attendance.PRESENT,
        )
    InvitationFactory(
        reunion=reunion,
        membership=MembershipFactory(collectif=collectif, institution=college),
        attendance=Invitation.Attendance.ABSENT,
    )
    return reunion


def test_attendance_lists_confirmed_registrants_and_records_them(coordinator_client, collectif, atelier):
    came = RegistrationFactory(reunion=atelier, name="Inès Morel", structure_kind="association")
    away = RegistrationFactory(reunion=atelier, name="Paul Girard", structure_kind="caf")
    RegistrationFactory(reunion=atelier, name="Jamais confirmée", pending=True)
    url = collectif_url(collectif, "reunions:attendance", pk=atelier.pk)
    html = coordinator_client.get(url).content.decode()
    assert "Inès Morel" in html and "Paul Girard" in html and "Jamais confirmée" not in html
    data = {f"reg_{came.pk}": "present", f"reg_{away.pk}": "absent"}
    data.update({f"att_{i.pk}": i.attendance for i in atelier.invitations.all()})
    assert coordinator_client.post(url, data).status_code == 302
    came.refresh_from_db()
    away.refresh_from_db()
    assert (came.attended, away.attended) == (True, False)


def test_walk_in_is_added_present_without_email(coordinator_client, collectif, atelier):
    url = collectif_url(collectif, "reunions:attendance_walk_in", pk=atelier.pk)
    response = coordinator_client.post(url, {"name": "Léa Martin", "structure": "PRE", "structure_kind": "dispositif"})
    assert response.status_code == 302
    walk_in = Registration.objects.get(walk_in=True)
    assert (walk_in.attended, walk_in.email, walk_in.status) == (True, "", Registration.Status.CONFIRMED)
    assert walk_in.erase_after and "Léa Martin" in coordinator_client.get(response["Location"]).content.decode()


def test_walk_in_errors_are_shown_on_their_field(coordinator_client, collectif, atelier):
    url = collectif_url(collectif, "reunions:attendance_walk_in", pk=atelier.pk)
    html = coordinator_client.post(url, {"name": "", "structure_kind": "association"}).content.decode()
    assert 'aria-invalid="true"' in html and not Registration.objects.exists()


def test_sign_in_sheet_is_a_tagged_pdf_with_members_and_registrants(coordinator_client, collectif, atelier):
    RegistrationFactory(reunion=atelier, name="Inès Morel", structure="MJC des Roches")
    RegistrationFactory(reunion=atelier, name="Annulée Dupont", status=Registration.Status.CANCELLED)
    response = coordinator_client.get(collectif_url(collectif, "reunions:sign_in_sheet", pk=atelier.pk))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Feuille d'émargement" in text and "Inès Morel" in text and "MJC des Roches" in text
    assert "Annulée Dupont" not in text
    info = pdf_info(response.content)
    assert info["Title"] == "Feuille d'émargement — Atelier décrochage" and info["Tagged"] == "yes"
    assert 'pdfuaid:part="1"' in pdf_metadata_xml(response.content)
    assert b"/Lang (fr)" in pdf_objects(response.content)


def test_selector_counts_present_members_and_registrants_by_kind(atelier):
    RegistrationFactory(reunion=atelier, structure_kind="association", attended=True)
    RegistrationFactory(reunion=atelier, structure_kind="association", attended=True, walk_in=True)
    RegistrationFactory(reunion=atelier, structure_kind="caf", attended=False)
    rows = attendance_by_structure_kind(atelier)
    assert [(r["kind"], r["count"]) for r in rows] == [("etablissement", 2), ("association", 2)]
    assert rows[0]["label"] == "Établissement scolaire"


def test_restitution_participants_filled_from_attendance_and_still_editable(coordinator_client, collectif, atelier):
    RegistrationFactory(reunion=atelier, structure_kind="association", attended=True)
    restitution = RestitutionFactory(collectif=collectif, reunion=atelier, participants=[{"label": "x", "count": 1}])
    url = reverse("restitutions:fill_participants", kwargs={"collectif_slug": collectif.slug, "pk": restitution.pk})
    assert coordinator_client.post(url).status_code == 302
    restitution.refresh_from_db()
    assert restitution.participants == [
        {"label": "Établissement scolaire", "count": 2},
        {"label": "Association", "count": 1},
    ]
    assert restitution.participants_total == 3
    edit = reverse("restitutions:update", kwargs={"collectif_slug": collectif.slug, "pk": restitution.pk})
    assert "Établissement scolaire : 2" in coordinator_client.get(edit).content.decode()


def test_restitution_without_reunion_says_so(coordinator_client, collectif):
    restitution = RestitutionFactory(collectif=collectif, participants=[{"label": "Associations", "count": 4}])
    url = reverse("restitutions:fill_participants", kwargs={"collectif_slug": collectif.slug, "pk": restitution.pk})
    response = coordinator_client.post(url, follow=True)
    assert "liée à aucune réunion" in response.content.decode()
    restitution.refresh_from_db()
    assert restitution.participants == [{"label": "Associations", "count": 4}]
