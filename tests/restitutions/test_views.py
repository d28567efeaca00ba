from django.urls import reverse
from django.utils.html import escape

from restitutions.models import Cycle, Point, Restitution
from tests.restitutions.factories import (
    SEED_001,
    SEED_004,
    CycleFactory,
    FreeSectionFactory,
    PointFactory,
    RestitutionFactory,
    restitution_from_seed_001,
)


def _url(name, restitution, **kwargs):
    return reverse(
        f"restitutions:{name}", kwargs={"collectif_slug": restitution.collectif.slug, "pk": restitution.pk, **kwargs}
    )


def _texts(restitution, section):
    return list(restitution.points.filter(section=section).order_by("position").values_list("text", flat=True))


def test_list_shows_cycles_and_restitutions_in_few_queries(member_client, collectif, django_assert_max_num_queries):
    cycle = CycleFactory(collectif=collectif, name="Cycle 2025")
    for n in range(25):
        RestitutionFactory(collectif=collectif, cycle=cycle, title=f"Restitution {n}")

    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("restitutions:list", kwargs={"collectif_slug": collectif.slug}))

    assert response.status_code == 200
    assert "Cycle 2025" in response.content.decode()
    assert "Page 1 / 2" in response.content.decode()


def test_empty_list_says_what_to_do(member_client, collectif):
    response = member_client.get(reverse("restitutions:list", kwargs={"collectif_slug": collectif.slug}))

    assert "Collez le texte d'une restitution" in response.content.decode()


def test_detail_shows_the_four_lists_in_few_queries(member_client, collectif, django_assert_max_num_queries):
    restitution = restitution_from_seed_001(collectif)
    FreeSectionFactory(restitution=restitution)

    with django_assert_max_num_queries(8):
        response = member_client.get(restitution.get_absolute_url())

    html = response.content.decode()
    assert [html.find(escape(str(label))) > 0 for label in Point.Section.labels] == [True] * 4
    assert "PEDT : un levier pour agir" in html
    assert "Le PRE (ou DRE) est porteur" in html


def test_guest_reads_without_editing_controls(guest_client, collectif):
    restitution = restitution_from_seed_001(collectif)

    html = guest_client.get(restitution.get_absolute_url()).content.decode()

    assert "Ajouter un point" not in html and "Monter" not in html


def test_user_text_is_escaped_on_the_page(member_client, collectif):
    restitution = RestitutionFactory(collectif=collectif)
    PointFactory(restitution=restitution, text="<script>alert(1)</script>")
    FreeSectionFactory(restitution=restitution, body='<p onclick="x()">ok<script>alert(2)</script></p>')

    html = member_client.get(restitution.get_absolute_url()).content.decode()

    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
    assert "onclick" not in html


def test_adding_a_point_without_javascript_redirects_to_its_list(member_client, collectif):
    restitution = restitution_from_seed_001(collectif)

    response = member_client.post(
        _url("point_add", restitution), {"section": "obstacles", "text": "Un dernier point."}
    )

    assert response.status_code == 302 and response.url.endswith("#liste-obstacles")
    assert _texts(restitution, "obstacles")[-1] == "Un dernier point."


def test_adding_a_point_with_htmx_returns_the_list_alone(crpv_client, collectif):
    restitution = restitution_from_seed_001(collectif)

    response = crpv_client.post(
        _url("point_add", restitution),
        {"section": "questions", "text": "Une question de plus ?"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section class="points-section" id="liste-questions"')
    assert "Une question de plus ?" in html and "<html" not in html


def test_an_empty_point_is_refused_and_the_form_says_so(member_client, collectif):
    restitution = RestitutionFactory(collectif=collectif)

    response = member_client.post(
        _url("point_add", restitution), {"section": "leviers", "text": ""}, HTTP_HX_REQUEST="true"
    )

    assert 'aria-invalid="true"' in response.content.decode()
    assert restitution.points.count() == 0


def test_editing_a_point_in_place_and_without_javascript(member_client, collectif):
    restitution = restitution_from_seed_001(collectif)
    point = restitution.points.get(section="obstacles", position=2)
    url = _url("point_update", restitution, point_pk=point.pk)

    inline = member_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    page = member_client.get(url).content.decode()
    response = member_client.post(url, {"text": "Éviter la dispersion des forces."}, HTTP_HX_REQUEST="true")

    assert inline.strip().startswith(f'<li id="point-{point.pk}"') and "<html" in page
    assert "Éviter la dispersion des forces." in response.content.decode()
    point.refresh_from_db()
    assert point.text == "Éviter la dispersion des forces."


def test_removing_a_point_asks_for_confirmation_first(member_client, collectif):
    restitution = restitution_from_seed_001(collectif)
    point = restitution.points.get(section="constats", position=1)
    url = _url("point_delete", restitution, point_pk=point.pk)

    confirm = member_client.get(url)
    assert "Oui, supprimer" in confirm.content.decode()
    assert Point.objects.filter(pk=point.pk).exists()

    response = member_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not Point.objects.filter(pk=point.pk).exists()
    assert len(_texts(restitution, "constats")) == 3


def test_moving_points_up_and_down_reorders_the_list(member_client, collectif):
    restitution = RestitutionFactory(collectif=collectif)
    a, _b, c = (PointFactory(restitution=restitution, section="leviers", text=t) for t in "abc")

    member_client.post(_url("point_move", restitution, point_pk=c.pk), {"direction": "up"})
    assert _texts(restitution, "leviers") == ["a", "c", "b"]
    member_client.post(_url("point_move", restitution, point_pk=a.pk), {"direction": "up"})
    assert _texts(restitution, "leviers") == ["a", "c", "b"]
    response = member_client.post(
        _url("point_move", restitution, point_pk=a.pk), {"direction": "down"}, HTTP_HX_REQUEST="true"
    )
    assert _texts(restitution, "leviers") == ["c", "a", "b"]
    html = response.content.decode()
    assert html.index(">c<") < html.index(">a<") < html.index(">b<")


def test_points_of_another_restitution_answer_404(member_client, collectif):
    mine = RestitutionFactory(collectif=collectif)
    other = PointFactory(restitution=RestitutionFactory(collectif=collectif))

    response = member_client.post(_url("point_move", mine, point_pk=other.pk), {"direction": "up"})

    assert response.status_code == 404


def test_creating_and_updating_a_restitution_with_participants(member_client, collectif):
    cycle = CycleFactory(collectif=collectif)
    data = {
        "title": "Les partenariats à mobiliser",
        "atelier_numbers": "1&3",
        "held_on": "2025-03-12",
        "facilitators": "La Bouture",
        "cycle": cycle.pk,
        "participants": "Éducation nationale : 5\nCollectivités : 3\nAssociations : 4",
        "credits": "Rédigé par l'équipe d'animation.",
        "licence": "cc-by-nc-sa-3.0-fr",
        "status": "publiee",
    }

    response = member_client.post(reverse("restitutions:create", kwargs={"collectif_slug": collectif.slug}), data)

    restitution = Restitution.objects.get()
    assert response.status_code == 302 and restitution.cycle == cycle
    assert restitution.participants[0] == {"label": "Éducation nationale", "count": 5}
    assert restitution.participants_total == 12
    assert restitution.atelier_label == "Ateliers 1&3"
    page = member_client.get(_url("update", restitution)).content.decode()
    assert "Collectivités : 3" in page


def test_malformed_participants_are_redisplayed_with_the_error(member_client, collectif):
    response = member_client.post(
        reverse("restitutions:create", kwargs={"collectif_slug": collectif.slug}),
        {"title": "T", "participants": "beaucoup de monde", "status": "brouillon"},
    )

    html = response.content.decode()
    assert response.status_code == 200 and "beaucoup de monde" in html and "Ligne 1" in html
    assert not Restitution.objects.exists()


def test_importing_seed_001_fills_the_four_lists_after_review(crpv_client, collectif):
    url = reverse("restitutions:import", kwargs={"collectif_slug": collectif.slug})

    review = crpv_client.post(url, {"step": "analyse", "text": SEED_001})

    html = review.content.decode()
    assert "Toutes les lignes ont été placées" in html
    assert not Restitution.objects.exists()  # nothing saved before the review
    data = dict(review.context["review"].initial)
    data.update(step="save", line_count=review.context["review"].line_count, free_count=0)
    response = crpv_client.post(url, data)

    restitution = Restitution.objects.get()
    assert response.status_code == 302
    assert restitution.title == "Les partenariats à mobiliser pour prévenir le décrochage scolaire"
    assert [len(_texts(restitution, s)) for s in Point.Section.values] == [4, 5, 6, 5]
    assert _texts(restitution, "obstacles")[1] == "Éviter la dispersion."


def test_importing_seed_004_shows_unplaced_lines_and_requires_sorting_them(member_client, collectif):
    url = reverse("restitutions:import", kwargs={"collectif_slug": collectif.slug})

    review = member_client.post(url, {"step": "analyse", "text": SEED_004})

    html = review.content.decode()
    form = review.context["review"]
    assert "pas pu être placée" in html and "Un enjeu d’échelle:" in html
    assert "plusieurs ateliers (1&amp;3, 2, 4)" in html
    data = dict(form.initial, step="save", line_count=form.line_count, free_count=1)
    refused = member_client.post(url, data)
    assert "Lignes à classer avant d&#x27;enregistrer" in refused.content.decode()
    assert not Restitution.objects.exists()

    for i in range(form.line_count):
        if not data[f"line_{i}_section"]:
            data[f"line_{i}_section"] = "constats" if i < 5 else "ignorer"
    member_client.post(url, data)

    restitution = Restitution.objects.get()
    assert len(_texts(restitution, "constats")) == 5
    section = restitution.free_sections.get()
    assert section.title == "PEDT : un levier pour agir" and "Définir le pilote" in section.body


def test_single_pdf_download(member_client, collectif):
    restitution = restitution_from_seed_001(collectif)

    response = member_client.get(_url("pdf", restitution))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


def test_published_restitution_has_a_public_page_and_pdf(client, collectif):
    restitution = restitution_from_seed_001(collectif, status=Restitution.Status.PUBLISHED)

    page = client.get(reverse("restitutions:public_detail", kwargs={"pk": restitution.pk}))
    pdf = client.get(reverse("restitutions:public_pdf", kwargs={"pk": restitution.pk}))

    assert "Le PRE (ou DRE) est porteur" in page.content.decode()
    assert pdf.content.startswith(b"%PDF-")


def test_cycle_creation_refuses_a_duplicate_name_and_inverted_dates(coordinator_client, collectif):
    CycleFactory(collectif=collectif, name="Cycle 2025")
    url = reverse("restitutions:cycle_create", kwargs={"collectif_slug": collectif.slug})

    dup = coordinator_client.post(url, {"name": "Cycle 2025"})
    inverted = coordinator_client.post(url, {"name": "Autre", "starts_on": "2025-05-01", "ends_on": "2025-01-01"})
    ok = coordinator_client.post(url, {"name": "Autre", "organiser": "CRPV", "starts_on": "2025-01-01"})

    assert "déjà un cycle de ce nom" in dup.content.decode()
    assert "ne peut précéder" in inverted.content.decode()
    assert ok.status_code == 302 and Cycle.objects.count() == 2


def test_free_sections_are_sanitized_when_saved(member_client, collectif):
    restitution = RestitutionFactory(collectif=collectif)

    member_client.post(
        _url("free_section_add", restitution),
        {"title": "PEDT : un levier pour agir", "body": '<p>Définir le pilote<img src="http://x.example/a.png"></p>'},
    )

    assert restitution.free_sections.get().body == "<p>Définir le pilote</p>"


def test_overview_lists_every_collectif_for_crpv_editors_and_only_theirs_for_members(
    crpv_client, other_client, collectif, other_collectif, django_assert_max_num_queries
):
    for n in range(5):
        RestitutionFactory(collectif=collectif, title=f"Ici {n}")
    RestitutionFactory(collectif=other_collectif, title="Là-bas")
    url = reverse("restitutions:overview")

    with django_assert_max_num_queries(8):
        crpv = crpv_client.get(url).content.decode()
    other = other_client.get(url).content.decode()

    assert "Ici 4" in crpv and "Là-bas" in crpv and collectif.name in crpv
    assert "Ici 4" not in other and "Là-bas" in other and collectif.name not in other


def test_a_reunion_or_cycle_of_another_collectif_cannot_be_linked(member_client, collectif, other_collectif):
    from reunions.models import Reunion

    foreign_atelier = Reunion.objects.create(collectif=other_collectif, kind=Reunion.Kind.ATELIER, title="Atelier")
    plenary = Reunion.objects.create(collectif=collectif, kind=Reunion.Kind.PLENIERE, title="Plénière")
    atelier = Reunion.objects.create(collectif=collectif, kind=Reunion.Kind.ATELIER, title="Atelier 2")
    foreign_cycle = CycleFactory(collectif=other_collectif)
    url = reverse("restitutions:create", kwargs={"collectif_slug": collectif.slug})

    for data in ({"reunion": foreign_atelier.pk}, {"reunion": plenary.pk}, {"cycle": foreign_cycle.pk}):
        response = member_client.post(url, {"title": "T", "status": "brouillon", **data})
        assert response.status_code == 200 and not Restitution.objects.exists()
    member_client.post(url, {"title": "T", "status": "brouillon", "reunion": atelier.pk})

    assert Restitution.objects.get().reunion == atelier


def test_removing_a_restitution_asks_first_then_removes_its_points(member_client, collectif, member):
    restitution = restitution_from_seed_001(collectif, by=member)
    url = _url("delete", restitution)

    assert "et tous ses points" in member_client.get(url).content.decode()
    response = member_client.post(url)

    assert response.status_code == 302 and not Restitution.objects.exists() and not Point.objects.exists()


def test_cycle_page_lists_its_restitutions_in_few_queries(member_client, collectif, django_assert_max_num_queries):
    cycle = CycleFactory(collectif=collectif, name="Cycle de printemps")
    for n in range(6):
        RestitutionFactory(collectif=collectif, cycle=cycle, title=f"Atelier {n}", atelier_numbers=str(n))
    url = reverse("restitutions:cycle", kwargs={"collectif_slug": collectif.slug, "pk": cycle.pk})

    # Session, user, memberships; the cycle, its collectifs, organisers, partners; sessions; restitutions, points;
    # the fiche already drafted from the cycle, if any.
    with django_assert_max_num_queries(11):
        html = member_client.get(url).content.decode()

    assert html.index("Atelier 0") < html.index("Atelier 5")


def test_renaming_a_cycle(coordinator_client, collectif):
    cycle = CycleFactory(collectif=collectif, name="Ancien nom")
    url = reverse("restitutions:cycle_update", kwargs={"collectif_slug": collectif.slug, "pk": cycle.pk})

    response = coordinator_client.post(url, {"name": "Nouveau nom", "organiser": "CRPV"})

    cycle.refresh_from_db()
    assert response.status_code == 302 and cycle.name == "Nouveau nom" and cycle.organiser == "CRPV"


def test_crpv_editor_outside_the_collectif_gets_the_editing_controls(crpv_client, collectif):
    restitution = restitution_from_seed_001(collectif)

    html = crpv_client.get(restitution.get_absolute_url()).content.decode()

    assert "Ajouter un point à « Questions vives »" in html and "Modifier les informations" in html
