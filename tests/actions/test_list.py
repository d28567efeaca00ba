import datetime
import io

from django.urls import reverse
from odf.opendocument import load
from odf.table import TableRow

from actions.models import Action
from tests.actions.factories import ActionFactory, dispositif, theme
from tests.collectifs.factories import InstitutionFactory


def list_url(collectif, query=""):
    return reverse("actions:list", kwargs={"collectif_slug": collectif.slug}) + query


def titles(response):
    return [a.title for a in response.context["page"].object_list]


def test_list_filters_by_theme_status_and_text(member_client, collectif):
    orientation = theme("Orientation")
    ActionFactory(collectif=collectif, title="Forum des métiers", themes=[orientation], in_progress=True)
    ActionFactory(collectif=collectif, title="Café des parents", status="idee")
    assert titles(member_client.get(list_url(collectif, "?theme=orientation"))) == ["Forum des métiers"]
    assert titles(member_client.get(list_url(collectif, "?status=idee"))) == ["Café des parents"]
    assert titles(member_client.get(list_url(collectif, "?q=caf%C3%A9"))) == ["Café des parents"]


def test_list_filters_by_dispositif_institution_and_referent(member_client, member, collectif):
    pre = dispositif("Programme de réussite éducative", "PRE")
    partner = InstitutionFactory(name="Maison de quartier des Roches")
    a = ActionFactory(collectif=collectif, title="Ateliers parents")
    a.dispositifs.add(pre)
    a.partner_institutions.add(partner)
    ActionFactory(collectif=collectif, title="Autre", referents=[member])
    ActionFactory(collectif=collectif, title="Menée par la maison", lead_institution=partner)
    assert titles(member_client.get(list_url(collectif, "?dispositif=pre"))) == ["Ateliers parents"]
    got = titles(member_client.get(list_url(collectif, f"?institution={partner.pk}")))
    assert sorted(got) == ["Ateliers parents", "Menée par la maison"]
    assert titles(member_client.get(list_url(collectif, f"?referent={member.pk}"))) == ["Autre"]


def test_list_filters_by_school_year(member_client, collectif):
    ActionFactory(
        collectif=collectif, title="Ancienne", starts_on=datetime.date(2019, 10, 1), ends_on=datetime.date(2020, 3, 1)
    )
    ActionFactory(collectif=collectif, title="Longue", starts_on=datetime.date(2018, 10, 1))
    assert sorted(titles(member_client.get(list_url(collectif, "?period=2019-2020")))) == ["Ancienne", "Longue"]
    today = datetime.date.today()
    year = today.year if today.month >= 9 else today.year - 1
    assert titles(member_client.get(list_url(collectif, f"?period={year}-{year + 1}"))) == ["Longue"]


def test_list_shows_only_the_collectifs_actions(member_client, collectif, other_collectif):
    ActionFactory(collectif=other_collectif, title="Secrète")
    assert "Secrète" not in member_client.get(list_url(collectif)).content.decode()


def test_empty_list_says_what_to_do(member_client, collectif):
    html = member_client.get(list_url(collectif)).content.decode()
    assert "enregistrez une nouvelle action" in html


def test_list_over_ten_thousand_actions_stays_within_ten_queries(
    member_client, member, collectif, institution, django_assert_max_num_queries
):
    themes = [theme("Orientation"), theme("Parentalité"), theme("Médiation scolaire")]
    actions = Action.objects.bulk_create(
        Action(
            collectif=collectif, title=f"Action {i}", status=Action.STATUS_ORDER[i % 4], lead_institution=institution
        )
        for i in range(10_000)
    )
    Action.themes.through.objects.bulk_create(
        Action.themes.through(action_id=a.pk, theme_id=themes[i % 3].pk) for i, a in enumerate(actions)
    )
    Action.referents.through.objects.bulk_create(
        Action.referents.through(action_id=a.pk, user_id=member.pk) for a in actions[::2]
    )
    with django_assert_max_num_queries(10):
        response = member_client.get(list_url(collectif))
    assert response.context["page"].paginator.count == 10_000
    assert len(response.context["page"].object_list) == 25
    query = f"?theme={themes[0].slug}&status=idee&referent={member.pk}&institution={institution.pk}&q=Action&page=3"
    with django_assert_max_num_queries(10):
        response = member_client.get(list_url(collectif, query))
    assert response.status_code == 200
    assert response.context["page"].number == 3


def test_csv_export_is_utf8_with_bom_and_follows_the_filters(member_client, collectif):
    orientation = theme("Orientation")
    ActionFactory(collectif=collectif, title="Forum des métiers", themes=[orientation])
    ActionFactory(collectif=collectif, title="Café des parents")
    response = member_client.get(
        reverse("actions:export_csv", kwargs={"collectif_slug": collectif.slug}) + "?theme=orientation"
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("Titre;Statut;Thèmes")
    assert len(lines) == 2 and "Forum des métiers;Idée;Orientation" in lines[1]


def test_ods_export_opens_as_a_spreadsheet(member_client, collectif):
    ActionFactory(collectif=collectif, title="Forum des métiers")
    response = member_client.get(reverse("actions:export_ods", kwargs={"collectif_slug": collectif.slug}))
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    doc = load(io.BytesIO(response.content))
    rows = doc.spreadsheet.getElementsByType(TableRow)
    assert len(rows) == 2
    assert "Forum des métiers" in str(rows[1])


def test_csv_export_neutralises_formulas(member_client, collectif):
    ActionFactory(collectif=collectif, title='=HYPERLINK("http://exemple.org")')
    response = member_client.get(reverse("actions:export_csv", kwargs={"collectif_slug": collectif.slug}))
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")
