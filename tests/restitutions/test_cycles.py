"""Cycles of ateliers as projects (issue #15, point 4): planned sessions, turnout, carry-over, access across the
collectifs of a cycle, the final report."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from membres.models import Membership
from restitutions import cycles, printing, services
from restitutions.models import Cycle, CycleSession, Point, Restitution
from reunions.models import Invitation, Reunion
from tests.collectifs.factories import CollectifFactory, InstitutionFactory, TerritoireFactory
from tests.helpers import client_for, collectif_url, pdf_text
from tests.membres.factories import MembershipFactory
from tests.restitutions.factories import CycleFactory, CycleSessionFactory, PointFactory, RestitutionFactory
from tests.restitutions.pdftools import pdf_info, pdf_objects
from tests.reunions.factories import InvitationFactory, RegistrationFactory, ReunionFactory


def _held_atelier(collectif, *, days_ago: int, title: str) -> Reunion:
    return ReunionFactory(
        collectif=collectif,
        kind=Reunion.Kind.ATELIER,
        title=title,
        starts_at=timezone.now() - timedelta(days=days_ago),
        status=Reunion.Status.HELD,
    )


def _attend(reunion, *, members: int, registrants: int, kind: str = "association") -> None:
    for _ in range(members):
        InvitationFactory(
            reunion=reunion,
            membership=MembershipFactory(collectif=reunion.collectif),
            attendance=Invitation.Attendance.PRESENT,
        )
    InvitationFactory(
        reunion=reunion,
        membership=MembershipFactory(collectif=reunion.collectif),
        attendance=Invitation.Attendance.ABSENT,
    )
    for _ in range(registrants):
        RegistrationFactory(reunion=reunion, structure_kind=kind, attended=True)
    RegistrationFactory(reunion=reunion, structure_kind=kind, attended=False)


def _question(restitution, text: str) -> Point:
    return PointFactory(restitution=restitution, section=Point.Section.QUESTIONS, text=text)


def cycle_of(collectif, *, sessions: int, held: int, manager=None) -> Cycle:
    """A cycle of `sessions` planned ateliers, the first `held` held (attendance recorded), each held one with its
    restitution holding one question vive « Question de l'atelier i ? »."""
    cycle = CycleFactory(collectif=collectif, name=f"Cycle de {sessions} ateliers", manager=manager)
    for n in range(1, sessions + 1):
        session = CycleSessionFactory(cycle=cycle, number=n, title=f"Thème {n}", planned_on=date(2026, 1, 1))
        if n <= held:
            reunion = _held_atelier(collectif, days_ago=10 * (held - n + 1), title=f"Atelier {n}")
            _attend(reunion, members=n, registrants=2 * n)
            CycleSession.objects.filter(pk=session.pk).update(reunion=reunion)
            r = RestitutionFactory(collectif=collectif, cycle=cycle, reunion=reunion, title=f"Restitution {n}")
            _question(r, f"Question de l'atelier {n} ?")
            PointFactory(restitution=r, section=Point.Section.LEVIERS, text=f"Levier de l'atelier {n}.")
    return cycle


# --- Models and services ---------------------------------------------------------------------------------------


def test_sessions_are_numbered_in_turn_and_say_when_they_are_planned(collectif, crpv_editor):
    cycle = services.cycle_create(by=crpv_editor, collectif=collectif, name="Cycle", objectives="Coopérer\n- Agir")
    first = services.cycle_session_add(by=crpv_editor, cycle=cycle, title="Se connaître", planned_on=date(2026, 3, 9))
    second = services.cycle_session_add(
        by=crpv_editor,
        cycle=cycle,
        title="Diagnostic",
        planned_on=date(2026, 4, 14),
        precision=CycleSession.Precision.DAY,
    )
    third = services.cycle_session_add(by=crpv_editor, cycle=cycle, title="Vision")

    assert cycle.manager == crpv_editor  # a CRPV editor who starts a cycle pilots it
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert (first.when, second.when, third.when) == ("mars 2026", "14 avril 2026", "date à fixer")
    assert first.state == CycleSession.State.PLANNED
    assert cycle.objectives_list == ["Coopérer", "Agir"]
    with pytest.raises(services.RestitutionError):
        services.cycle_session_add(by=crpv_editor, cycle=cycle, title="Doublon", number=2)


def test_a_session_is_scheduled_then_held_or_cancelled_as_its_reunion(collectif, crpv_editor):
    cycle = CycleFactory(collectif=collectif)
    session = CycleSessionFactory(cycle=cycle)
    upcoming = ReunionFactory(collectif=collectif, kind=Reunion.Kind.ATELIER)
    services.cycle_session_update(by=crpv_editor, session=session, reunion=upcoming)
    assert session.state == CycleSession.State.SCHEDULED

    session.reunion = _held_atelier(collectif, days_ago=3, title="Tenu")
    assert session.state == CycleSession.State.HELD and session.is_held
    session.reunion.status = Reunion.Status.CANCELLED
    assert session.state == CycleSession.State.CANCELLED


def test_a_session_links_only_an_atelier_of_a_collectif_of_the_cycle(collectif, other_collectif, crpv_editor):
    cycle = CycleFactory(collectif=collectif)
    session = CycleSessionFactory(cycle=cycle)
    foreign = ReunionFactory(collectif=other_collectif, kind=Reunion.Kind.ATELIER)
    pleniere = ReunionFactory(collectif=collectif)

    for reunion in (foreign, pleniere):
        with pytest.raises(services.RestitutionError):
            services.cycle_session_update(by=crpv_editor, session=session, reunion=reunion)

    cycle.collectifs.add(other_collectif)  # once the other collectif takes part, its ateliers may be linked
    services.cycle_session_update(by=crpv_editor, session=session, reunion=foreign)
    assert CycleSession.objects.get(pk=session.pk).reunion == foreign


def test_the_owning_collectif_is_never_listed_among_the_others(collectif, other_collectif, crpv_editor):
    cycle = services.cycle_create(
        by=crpv_editor, collectif=collectif, name="Cycle", collectifs=[collectif, other_collectif]
    )
    assert list(cycle.collectifs.all()) == [other_collectif]
    assert set(Cycle.objects.for_collectif(other_collectif)) == {cycle}
    assert set(Cycle.objects.for_collectif(collectif)) == {cycle}


def test_turnout_counts_members_and_registrants_present_per_reunion_in_two_queries(
    collectif, django_assert_num_queries
):
    a = _held_atelier(collectif, days_ago=20, title="A")
    b = _held_atelier(collectif, days_ago=10, title="B")
    _attend(a, members=3, registrants=4)
    _attend(b, members=1, registrants=0)

    from reunions.selectors import turnout_by_reunion

    with django_assert_num_queries(2):
        turnout = turnout_by_reunion([a.pk, b.pk])

    assert (turnout[a.pk].members, turnout[a.pk].registrants, turnout[a.pk].total) == (3, 4, 7)
    assert turnout[b.pk].total == 1
    assert sum(row["count"] for row in turnout[a.pk].by_kind_rows) == 7


# --- Carry-over ------------------------------------------------------------------------------------------------


def test_each_session_starts_from_the_questions_vives_of_the_previous_atelier(collectif):
    cycle = cycle_of(collectif, sessions=4, held=2)

    overview = cycles.cycle_overview(cycle)

    carried = [[p.text for p in row.carry_over.points] if row.carry_over else [] for row in overview.rows]
    assert carried == [
        [],
        ["Question de l'atelier 1 ?"],
        ["Question de l'atelier 2 ?"],  # the next atelier
        [],  # the 4th will start from what the 3rd raises
    ]
    assert [row.is_next for row in overview.rows] == [False, False, True, False]
    assert overview.held == 2 and overview.turnout_total == (1 + 2) + (2 + 4)


def test_a_cycle_without_sessions_carries_over_in_the_order_of_its_restitutions(collectif):
    cycle = CycleFactory(collectif=collectif)
    later = RestitutionFactory(collectif=collectif, cycle=cycle, held_on=date(2026, 2, 1))
    earlier = RestitutionFactory(collectif=collectif, cycle=cycle, held_on=date(2026, 1, 1))
    _question(earlier, "Première question ?")
    _question(later, "Deuxième question ?")

    assert [p.text for p in cycles.carry_over_for(cycle, restitution=later).points] == ["Première question ?"]
    assert cycles.carry_over_for(cycle, restitution=earlier) is None
    assert [p.text for p in cycles.cycle_overview(cycle).next_carry_over.points] == ["Deuxième question ?"]


def test_the_cycle_page_offers_the_previous_questions_on_the_next_session(member_client, collectif):
    cycle = cycle_of(collectif, sessions=3, held=2)

    page = member_client.get(collectif_url(collectif, "restitutions:cycle", pk=cycle.pk)).content.decode()

    next_session = page.split('id="atelier-3"', 1)[1]
    assert "Prochain atelier" in next_session and "Question de l&#x27;atelier 2 ?" in next_session
    assert "Participation : <strong>3</strong> présent(s) — 1 membre(s), 2 inscrit(s)" in page


def test_the_next_restitution_form_offers_the_previous_questions_to_take_in_one_click(member_client, collectif):
    cycle = cycle_of(collectif, sessions=3, held=1)
    second = _held_atelier(collectif, days_ago=2, title="Atelier 2")
    CycleSession.objects.filter(cycle=cycle, number=2).update(reunion=second)
    url = collectif_url(collectif, "restitutions:create")

    form = member_client.get(f"{url}?cycle={cycle.pk}&reunion={second.pk}").content.decode()
    assert "Points de départ repris de l&#x27;atelier précédent" in form
    assert "Question de l&#x27;atelier 1 ?" in form
    offered = Point.objects.get(text="Question de l'atelier 1 ?")

    response = member_client.post(
        url,
        {
            "title": "Restitution 2",
            "status": "brouillon",
            "cycle": cycle.pk,
            "reunion": second.pk,
            "carry_over": [offered.pk],
        },
    )

    created = Restitution.objects.get(title="Restitution 2")
    assert response.status_code == 302
    assert list(created.points.values_list("section", "text")) == [("questions", "Question de l'atelier 1 ?")]


def test_the_restitution_page_takes_a_previous_question_in_one_click_once(member_client, collectif):
    cycle = cycle_of(collectif, sessions=2, held=1)
    second = _held_atelier(collectif, days_ago=2, title="Atelier 2")
    CycleSession.objects.filter(cycle=cycle, number=2).update(reunion=second)
    restitution = RestitutionFactory(collectif=collectif, cycle=cycle, reunion=second, title="Restitution 2")
    question = Point.objects.get(text="Question de l'atelier 1 ?")
    detail = collectif_url(collectif, "restitutions:detail", pk=restitution.pk)
    take = collectif_url(collectif, "restitutions:carry_over_take", pk=restitution.pk, point_pk=question.pk)

    assert "Points de départ proposés" in member_client.get(detail).content.decode()
    assert member_client.post(take).status_code == 302
    assert member_client.post(take).status_code == 404  # taken: no longer offered

    assert list(restitution.points.values_list("section", "text")) == [("questions", "Question de l'atelier 1 ?")]
    assert "Points de départ proposés" not in member_client.get(detail).content.decode()


def test_a_point_that_is_not_a_previous_question_cannot_be_taken(member_client, collectif):
    cycle = cycle_of(collectif, sessions=2, held=1)
    restitution = RestitutionFactory(collectif=collectif, cycle=cycle, title="Suivante")
    lever = Point.objects.get(text="Levier de l'atelier 1.")
    foreign = PointFactory(section=Point.Section.QUESTIONS, text="D'ailleurs ?")

    for point in (lever, foreign):
        url = collectif_url(collectif, "restitutions:carry_over_take", pk=restitution.pk, point_pk=point.pk)
        assert member_client.post(url).status_code == 404
    assert not restitution.points.exists()


# --- Access across the collectifs of a cycle -----------------------------------------------------------------


@pytest.fixture
def shared(collectif, other_collectif, crpv_editor):
    cycle = cycle_of(collectif, sessions=2, held=1, manager=crpv_editor)
    cycle.collectifs.add(other_collectif)
    return cycle


def _urls(collectif, cycle) -> dict[str, str]:
    session = cycle.sessions.first()
    return {
        "read": collectif_url(collectif, "restitutions:cycle", pk=cycle.pk),
        "pdf": collectif_url(collectif, "restitutions:cycle_pdf", pk=cycle.pk),
        "update": collectif_url(collectif, "restitutions:cycle_update", pk=cycle.pk),
        "session_add": collectif_url(collectif, "restitutions:cycle_session_add", pk=cycle.pk),
        "session_update": collectif_url(
            collectif, "restitutions:cycle_session_update", pk=cycle.pk, session_pk=session.pk
        ),
    }


def test_a_member_of_the_second_collectif_reads_the_cycle_but_does_not_run_it(shared, other_collectif, other_member):
    client = client_for(other_member)
    urls = _urls(other_collectif, shared)

    page = client.get(urls["read"])
    assert page.status_code == 200 and "Restitution 1" in page.content.decode()
    assert "Modifier le cycle" not in page.content.decode()
    assert client.get(urls["pdf"]).status_code == 200
    for name in ("update", "session_add", "session_update"):
        assert client.get(urls[name]).status_code == 403, name


def test_the_coordinator_of_the_second_collectif_does_not_run_the_cycle(shared, other_collectif):
    coordinator = MembershipFactory(collectif=other_collectif, coordinator=True).user
    client = client_for(coordinator)

    assert client.get(_urls(other_collectif, shared)["read"]).status_code == 200
    assert client.get(_urls(other_collectif, shared)["update"]).status_code == 403


def test_a_stranger_to_every_collectif_of_the_cycle_gets_404(shared, other_collectif):
    third = CollectifFactory(name="Collectif de Bourgoin")
    stranger = MembershipFactory(collectif=third, coordinator=True).user
    client = client_for(stranger)

    for base in (shared.collectif, other_collectif, third):
        for name, url in _urls(base, shared).items():
            assert client.get(url).status_code == 404, (base.slug, name)


def test_the_manager_runs_the_cycle_another_crpv_editor_only_reads_it(
    shared, collectif, other_collectif, crpv_editor, second_crpv_editor
):
    manager, other_editor = client_for(crpv_editor), client_for(second_crpv_editor)

    for base in (collectif, other_collectif):
        assert manager.get(_urls(base, shared)["update"]).status_code == 200
    assert other_editor.get(_urls(collectif, shared)["read"]).status_code == 200
    assert other_editor.get(_urls(collectif, shared)["update"]).status_code == 403
    response = manager.post(
        _urls(collectif, shared)["session_add"],
        {"title": "Troisième", "precision": "mois", "planned_on": "2026-05-04"},
    )
    assert response.status_code == 302 and shared.sessions.get(number=3).title == "Troisième"


def test_the_cycle_form_offers_only_the_collectifs_of_the_same_departement(coordinator_client, collectif):
    isere = TerritoireFactory(name="Isère", kind="departement", code="38")
    collectif.territoire.parent = isere
    collectif.territoire.code = "38553"
    collectif.territoire.save()
    near = CollectifFactory(name="Collectif voisin", territoire=TerritoireFactory(name="Voisine", code="38193"))
    far = CollectifFactory(name="Collectif lointain", territoire=TerritoireFactory(name="Loin", code="91228"))
    organiser = InstitutionFactory(name="Ressources urbaines", kind="centre_ressources")

    page = coordinator_client.get(collectif_url(collectif, "restitutions:cycle_create")).content.decode()
    assert near.name in page and far.name not in page

    response = coordinator_client.post(
        collectif_url(collectif, "restitutions:cycle_create"),
        {"name": "Cycle départemental", "collectifs": [near.pk], "organisers": [organiser.pk], "objectives": "Agir"},
    )
    cycle = Cycle.objects.get(name="Cycle départemental")
    assert response.status_code == 302 and list(cycle.collectifs.all()) == [near]
    assert list(cycle.organisers.all()) == [organiser] and cycle.manager is None
    bad = coordinator_client.post(
        collectif_url(collectif, "restitutions:cycle_create"), {"name": "Autre", "collectifs": [far.pk]}
    )
    assert bad.status_code == 200 and not Cycle.objects.filter(name="Autre").exists()


# --- The cycle's page: a fixed number of queries -------------------------------------------------------------


def _count(client, url) -> int:
    client.get(url)  # warm the signed-in user's cache, as on every later page
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_cycle_page_takes_as_many_queries_with_nine_sessions_as_with_two(member_client, collectif):
    small = cycle_of(collectif, sessions=2, held=2)
    large = cycle_of(collectif, sessions=9, held=9)

    two = _count(member_client, collectif_url(collectif, "restitutions:cycle", pk=small.pk))
    nine = _count(member_client, collectif_url(collectif, "restitutions:cycle", pk=large.pk))

    # 12, then one for the pooled questionnaires of the held ateliers and one for the fiche already drafted from it.
    assert nine == two <= 14


# --- The final report -----------------------------------------------------------------------------------------


def test_the_final_report_gathers_the_cycle_with_a_table_of_contents_and_is_tagged(collectif, crpv_editor):
    cycle = cycle_of(collectif, sessions=3, held=2, manager=crpv_editor)
    cycle.objectives = "Renforcer les coopérations éducatives"
    cycle.commitments = "Libre adhésion des participants"
    cycle.save()
    cycle.organisers.add(InstitutionFactory(name="Ressources urbaines", kind="centre_ressources"))
    cycle.partners.add(InstitutionFactory(name="Département de l'Essonne", kind="collectivite"))

    pdf = printing.render_cycle_pdf(cycle)

    text = pdf_text(pdf)
    assert pdf_info(pdf)["Title"] == f"Rapport final — {cycle.name}"
    objects = pdf_objects(pdf)
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true", objects) and b"/StructTreeRoot" in objects
    for expected in (
        "Renforcer les coopérations éducatives",
        "Libre adhésion des participants",
        "Ressources urbaines",
        "Département de l'Essonne",
        "Thème 3",
        "Levier de l'atelier 2.",
        "Repris de l'atelier 1 « Thème 1 » : • Question de l'atelier 1 ?",
    ):
        assert expected in text, expected
    # Turnout per session: atelier 2 had 2 members and 4 registrants present.
    assert re.search(r"2 Thème 2 .*? Tenue 2 4 6", text)
    toc = text.split("Sommaire", 1)[1].split("Objectifs et engagements réciproques Objectifs", 1)[0]
    pages = [
        int(p)
        for p in re.findall(
            r"(?:Objectifs et engagements réciproques|Les restitutions|Restitution \d)[ .]*?(\d+)", toc
        )
    ]
    assert len(pages) == 4 and pages == sorted(pages) and pages[0] >= 2


def test_the_final_report_is_stored_by_content_and_served_after_the_access_check(
    member_client, collectif, other_client, crpv_editor
):
    cycle = cycle_of(collectif, sessions=2, held=1)
    first = printing.cycle_pdf_build(cycle_id=cycle.pk)
    assert printing.cycle_pdf_build(cycle_id=cycle.pk) == first  # same content: not printed again
    file_url = collectif_url(collectif, "restitutions:cycle_pdf_file", pk=cycle.pk)

    assert other_client.get(file_url).status_code == 404
    assert b"".join(member_client.get(file_url).streaming_content).startswith(b"%PDF-")

    # New attendance at the held atelier changes what the report shows: a new file replaces the former one.
    _attend(cycle.sessions.get(number=1).reunion, members=1, registrants=0)
    assert printing.cycle_pdf_state(cycle)[0] == "missing"
    second = printing.cycle_pdf_build(cycle_id=cycle.pk)
    storage = printing.cycle_pdf_storage()
    assert second != first and storage.exists(second) and not storage.exists(first)


# --- Demo ------------------------------------------------------------------------------------------------------


def test_demo_holds_the_cycle_of_seed_002_across_two_collectifs_once(db):
    from membres import demo as membres_demo
    from restitutions import demo

    membres_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())

    cycle = Cycle.objects.get(name=demo.CYCLE_002)
    assert cycle.collectif.slug == "villefontaine"
    assert [c.slug for c in cycle.collectifs.all()] == ["isle-d-abeau"]
    assert cycle.manager.email == "crpv@exemple.org"
    assert {i.name for i in cycle.organisers.all()} == {"Ressources urbaines", "La Fonda"}
    assert [i.name for i in cycle.partners.all()] == ["Département de l'Essonne"]
    assert len(cycle.objectives_list) == 4 and cycle.commitments_list
    sessions = list(cycle.sessions.select_related("reunion").order_by("number"))
    assert len(sessions) == 9
    held = [s for s in sessions if s.is_held]
    assert [s.number for s in held] == [1, 2]
    assert {s.reunion.collectif.slug for s in held} == {"villefontaine", "isle-d-abeau"}
    assert all(s.reunion.kind == Reunion.Kind.ATELIER for s in held)
    days = [s.reunion.starts_at.date() if s.reunion else s.planned_on for s in sessions]
    assert days == sorted(days) and all(d.weekday() < 5 for d in days)
    # The second atelier took a question vive of the first.
    second = Restitution.objects.get(cycle=cycle, atelier_numbers="2")
    first_questions = set(
        Point.objects.filter(
            restitution__cycle=cycle, restitution__atelier_numbers="1", section="questions"
        ).values_list("text", flat=True)
    )
    assert first_questions & set(second.points.filter(section="questions").values_list("text", flat=True))
    assert Membership.objects.filter(collectif__slug="isle-d-abeau").exists()


def test_demo_cycle_of_seed_002_counts_its_registrants_attendance_and_answers(db):
    """Issue #15 point 7: the two held ateliers gather about thirty registrants from six types of structure, their
    attendance and the questionnaire's answers; the cycle's page counts them."""
    from membres import demo as membres_demo
    from restitutions import demo
    from reunions.models import Registration, Reponse

    membres_demo.load(io.StringIO())
    demo.load(io.StringIO())

    cycle = Cycle.objects.get(name=demo.CYCLE_002)
    held = [s.reunion for s in cycle.sessions.select_related("reunion") if s.is_held]
    registrants = Registration.objects.filter(reunion__in=held)
    assert registrants.count() >= 30
    assert registrants.values("structure_kind").distinct().count() >= 6
    overview = cycles.cycle_overview(cycle)
    assert all(row.turnout and row.turnout.registrants for row in overview.rows if row.session.is_held)
    assert Reponse.objects.filter(questionnaire__reunion__in=held).exists()
    assert overview.questionnaires.answers == Reponse.objects.filter(questionnaire__reunion__in=held).count()


def test_an_atelier_of_a_cycle_links_to_the_cycle(collectif, member):
    cycle = CycleFactory(collectif=collectif, name="Cycle coopératif 2026")
    reunion = _held_atelier(collectif, days_ago=3, title="Atelier de mars")
    CycleSessionFactory(cycle=cycle, number=3, title="Parents", reunion=reunion)
    page = client_for(member).get(reunion.get_absolute_url()).content.decode()
    cycle_url = collectif_url(collectif, "restitutions:cycle", pk=cycle.pk)
    assert "l'atelier n° 3 du cycle" in page and f'href="{cycle_url}"' in page
    assert "Cycle coopératif 2026" in client_for(member).get(cycle_url).content.decode()
    lone = _held_atelier(collectif, days_ago=2, title="Atelier hors cycle")
    assert "Cycle d'ateliers" not in client_for(member).get(lone.get_absolute_url()).content.decode()
