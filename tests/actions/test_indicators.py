import datetime
import re

import time_machine
from django.urls import reverse

from actions.models import Action
from collectifs.models import Institution
from membres.models import Membership, Niveau
from reunions.models import Invitation, Reunion
from tests.actions.factories import ActionFactory, InvitationFactory, ReunionFactory, theme
from tests.collectifs.factories import InstitutionFactory
from tests.membres.factories import MembershipFactory, UserFactory

NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)


def at(y, m, d):
    return datetime.datetime(y, m, d, 18, 0, tzinfo=datetime.UTC)


def url(collectif, year=None):
    base = reverse("actions:indicateurs", kwargs={"collectif_slug": collectif.slug})
    return base + (f"?annee={year}" if year else "")


def membership(
    collectif, niveau=Niveau.TERRAIN, kind=Institution.Kind.ETABLISSEMENT, joined=datetime.date(2020, 1, 1)
):
    institution = InstitutionFactory(kind=kind, territoire=collectif.territoire)
    return MembershipFactory(collectif=collectif, institution=institution, niveau=niveau, joined_on=joined)


@time_machine.travel(NOW, tick=False)
def test_indicators_count_reunions_attendance_and_diversity_of_the_school_year(coordinator_client, collectif):
    terrain = membership(collectif, Niveau.TERRAIN, Institution.Kind.ETABLISSEMENT)
    encadrement = membership(collectif, Niveau.ENCADREMENT, Institution.Kind.ASSOCIATION)
    politique = membership(collectif, Niveau.POLITIQUE, Institution.Kind.COLLECTIVITE)
    p1 = ReunionFactory(collectif=collectif, starts_at=at(2025, 10, 2), title="Plénière d'automne")
    seance = ReunionFactory(collectif=collectif, kind=Reunion.Kind.SEANCE, starts_at=at(2026, 1, 10))
    for m, attendance in [(terrain, "present"), (encadrement, "present"), (politique, "absent")]:
        InvitationFactory(reunion=p1, membership=m, attendance=attendance)
    InvitationFactory(reunion=seance, membership=terrain, attendance="present")
    InvitationFactory(reunion=seance, membership=politique, attendance="excuse")
    InvitationFactory(reunion=seance, membership=encadrement, attendance="")
    # outside the school year, cancelled, or still to come: not counted
    ReunionFactory(collectif=collectif, starts_at=at(2025, 8, 30))
    ReunionFactory(collectif=collectif, starts_at=at(2025, 11, 5), status=Reunion.Status.CANCELLED)
    ReunionFactory(collectif=collectif, starts_at=at(2026, 6, 30), status=Reunion.Status.CONVENED)
    orientation = theme("Orientation")
    ActionFactory(collectif=collectif, status="en_cours", starts_on=datetime.date(2025, 9, 15), themes=[orientation])
    ActionFactory(
        collectif=collectif, status="realisee", starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 6, 1)
    )

    response = coordinator_client.get(url(collectif, "2025-2026"))
    ind = response.context["ind"]

    assert ind.label == "2025-2026"
    assert dict(ind.by_kind)["Plénière"] == 1 and dict(ind.by_kind)["Séance de groupe de tâches"] == 1
    assert ind.reunions_held == 2
    first, second = ind.reunions
    assert (first.present, first.absent, first.attendance_rate, first.institutions, first.niveaux) == (2, 1, 67, 2, 2)
    assert (second.present, second.excused, second.recorded, second.attendance_rate) == (1, 1, 2, 50)
    assert ind.present == 3 and ind.recorded == 5 and ind.attendance_rate == 60
    assert ind.institutions == 2 and ind.niveaux == 2
    assert sorted(ind.institutions_by_kind) == [("Association", 1), ("Établissement scolaire", 1)]
    assert dict(ind.actions_by_status)["En cours"] == 1 and dict(ind.actions_by_status)["Réalisée"] == 0
    assert ind.actions_by_theme == [("Orientation", 1)]
    html = response.content.decode()
    assert "<svg" in html and "<table" in html
    assert "2024-2025" in html  # the year selector goes back to the first reunion


def test_charts_carry_no_inline_style(coordinator_client, collectif):
    ReunionFactory(collectif=collectif)
    html = coordinator_client.get(url(collectif)).content.decode()
    assert "<svg" in html
    assert not re.search(r"\sstyle=", html)


def last_three_plenieres(collectif, present_membership):
    for month in (1, 2, 3):
        reunion = ReunionFactory(collectif=collectif, starts_at=at(2026, month, 5))
        InvitationFactory(reunion=reunion, membership=present_membership, attendance="present")
    return reunion


@time_machine.travel(NOW, tick=False)
def test_decrochage_warning_names_members_absent_from_the_last_three_plenieres_to_coordinators_only(
    coordinator_client, member_client, collectif
):
    faithful = membership(collectif)
    drifting = membership(collectif)
    drifting.user.first_name, drifting.user.last_name = "Paul", "Décroché"
    drifting.user.save()
    newcomer = membership(collectif, joined=datetime.date(2026, 2, 20))
    last = last_three_plenieres(collectif, faithful)
    InvitationFactory(reunion=last, membership=drifting, attendance="absent")

    ind = coordinator_client.get(url(collectif)).context["ind"]
    flagged = {m.pk for m in ind.decrochage}
    assert drifting.pk in flagged
    assert faithful.pk not in flagged and newcomer.pk not in flagged
    assert "Paul Décroché" in coordinator_client.get(url(collectif)).content.decode()
    member_page = member_client.get(url(collectif))
    assert "Paul Décroché" not in member_page.content.decode()
    assert member_page.context["ind"].decrochage is None


@time_machine.travel(NOW, tick=False)
def test_no_decrochage_warning_before_three_plenieres(coordinator_client, collectif):
    membership(collectif)
    ReunionFactory(collectif=collectif, starts_at=at(2026, 1, 5))
    ind = coordinator_client.get(url(collectif)).context["ind"]
    assert ind.decrochage == []


@time_machine.travel(NOW, tick=False)
def test_csv_of_the_figures(member_client, collectif):
    m = membership(collectif)
    InvitationFactory(reunion=ReunionFactory(collectif=collectif, starts_at=at(2025, 10, 2)), membership=m)
    response = member_client.get(reverse("actions:indicateurs_csv", kwargs={"collectif_slug": collectif.slug}))
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "Réunions tenues par type;Plénière;1" in text
    assert "Présence;Taux de présence (%);100" in text


@time_machine.travel(NOW, tick=False)
def test_indicators_over_five_school_years_stay_within_ten_queries(
    coordinator_client, collectif, django_assert_max_num_queries
):
    institutions = Institution.objects.bulk_create(
        Institution(name=f"Institution {i}", kind=Institution.Kind.values[i % 11], territoire=collectif.territoire)
        for i in range(40)
    )
    users = [UserFactory.build(email=f"p{i}@exemple.org") for i in range(60)]
    from membres.models import User

    users = User.objects.bulk_create(users)
    memberships = Membership.objects.bulk_create(
        Membership(
            user=u,
            collectif=collectif,
            institution=institutions[i % 40],
            function="CPE",
            niveau=Niveau.values[i % 3],
            joined_on=datetime.date(2020, 1, 1),
        )
        for i, u in enumerate(users)
    )
    reunions = Reunion.objects.bulk_create(
        Reunion(
            collectif=collectif,
            kind=Reunion.Kind.values[i % 5],
            title=f"Réunion {i}",
            status=Reunion.Status.HELD,
            starts_at=at(2021, 9, 1) + datetime.timedelta(days=i * 7),
        )
        for i in range(250)
    )
    attendances = ["present", "present", "excuse", "absent", ""]
    Invitation.objects.bulk_create(
        Invitation(reunion=r, membership=m, attendance=attendances[(i + j) % 5])
        for i, r in enumerate(reunions)
        for j, m in enumerate(memberships)
    )
    Action.objects.bulk_create(
        Action(collectif=collectif, title=f"Action {i}", status=Action.STATUS_ORDER[i % 4]) for i in range(500)
    )
    for year in ("2021-2022", "2023-2024", "2025-2026"):
        with django_assert_max_num_queries(10):
            response = coordinator_client.get(url(collectif, year))
        assert response.status_code == 200
    assert len(response.context["ind"].years) == 5
    assert response.context["ind"].reunions_held > 0


@time_machine.travel(NOW, tick=False)
def test_guests_are_not_flagged_as_drifting(coordinator_client, collectif):
    faithful = membership(collectif)
    guest = membership(collectif)
    guest.role = Membership.Role.GUEST
    guest.save()
    last_three_plenieres(collectif, faithful)
    ind = coordinator_client.get(url(collectif)).context["ind"]
    assert guest.pk not in {m.pk for m in ind.decrochage}
