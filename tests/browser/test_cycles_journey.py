"""A cycle of ateliers as a project, in the browser: its manager plans an atelier, reads the turnout of those held,
and writes the next restitution starting from the previous atelier's questions vives (axe-core on each page)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from restitutions.models import CycleSession, Point, Restitution
from reunions.models import Invitation, Reunion
from tests.membres.factories import MembershipFactory
from tests.restitutions.factories import CycleFactory, CycleSessionFactory, PointFactory, RestitutionFactory
from tests.reunions.factories import InvitationFactory, RegistrationFactory, ReunionFactory

pytestmark = pytest.mark.browser


def _held(collectif, title: str, days_ago: int) -> Reunion:
    return ReunionFactory(
        collectif=collectif,
        kind=Reunion.Kind.ATELIER,
        title=title,
        starts_at=timezone.now() - timedelta(days=days_ago),
        status=Reunion.Status.HELD,
    )


def test_the_manager_plans_an_atelier_and_the_next_restitution_starts_from_the_previous_questions(
    page, live_server, browser_login, axe_check, crpv_editor, collectif, other_collectif
):
    cycle = CycleFactory(
        collectif=collectif,
        name="Prévention du décrochage scolaire",
        manager=crpv_editor,
        objectives="Renforcer les coopérations éducatives",
    )
    cycle.collectifs.add(other_collectif)
    first, second = _held(collectif, "Atelier 1", 30), _held(collectif, "Atelier 2", 3)
    InvitationFactory(
        reunion=first, membership=MembershipFactory(collectif=collectif), attendance=Invitation.Attendance.PRESENT
    )
    RegistrationFactory.create_batch(2, reunion=first, attended=True)
    CycleSessionFactory(cycle=cycle, number=1, title="Se connaître", reunion=first)
    CycleSessionFactory(cycle=cycle, number=2, title="Un diagnostic partagé", reunion=second)
    previous = RestitutionFactory(collectif=collectif, cycle=cycle, reunion=first, title="Se connaître")
    PointFactory(restitution=previous, section=Point.Section.QUESTIONS, text="Comment ne pas repartir de zéro ?")

    browser_login(page, crpv_editor.email)
    page.goto(f"{live_server.url}/c/{collectif.slug}/restitutions/cycles/{cycle.pk}/")
    expect(page.get_by_role("heading", level=1, name="Prévention du décrochage scolaire")).to_be_visible()
    expect(page.locator("#atelier-1")).to_contain_text("Participation : 3 présent(s) — 1 membre(s), 2 inscrit(s)")
    axe_check(page)

    # Plan the third atelier: a title and a month.
    page.get_by_role("link", name="Prévoir un atelier").click()
    axe_check(page)
    page.get_by_label("Titre").fill("Nos complémentarités")
    page.get_by_label("Date prévue").fill(date(2027, 3, 1).isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#atelier-3")).to_contain_text("Nos complémentarités")
    expect(page.locator("#atelier-3")).to_contain_text("mars 2027")
    assert CycleSession.objects.get(cycle=cycle, number=3).precision == CycleSession.Precision.MONTH

    # The second atelier was held without a restitution: write it, taking the first one's question in one click.
    expect(page.locator("#atelier-2")).to_contain_text("Comment ne pas repartir de zéro ?")
    page.locator("#atelier-2").get_by_role("link", name="Écrire la restitution de cet atelier").click()
    axe_check(page)
    page.get_by_label("Titre").fill("Un diagnostic partagé")
    page.get_by_label("Comment ne pas repartir de zéro ?").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.locator("#liste-questions")).to_contain_text("Comment ne pas repartir de zéro ?")
    axe_check(page)
    written = Restitution.objects.get(title="Un diagnostic partagé")
    assert written.cycle == cycle and written.reunion == second
    assert list(written.points.values_list("section", flat=True)) == ["questions"]
