"""Work done once: adopted minutes printed once per content, calendar feeds answering 304 when unchanged."""

from unittest import mock

from django.urls import reverse

from core import pdf as core_pdf
from reunions.models import Invitation
from reunions.services.minutes import minutes_adopt, minutes_get_or_create, minutes_reopen
from tests.helpers import pdf_text
from tests.reunions.factories import InvitationFactory, ReunionFactory


def test_adopted_minutes_pdf_is_printed_once_then_read_from_storage(collectif, coordinator, member, member_client):
    reunion = ReunionFactory(collectif=collectif, past=True, title="Plénière imprimée")
    invitation = InvitationFactory(reunion=reunion, membership=member.memberships.get(collectif=collectif))
    minutes_adopt(minutes=minutes_get_or_create(reunion=reunion), by=coordinator)
    url = reverse("reunions:minutes_pdf", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    with mock.patch("core.pdf.html_to_pdf", wraps=core_pdf.html_to_pdf) as printer:
        first = member_client.get(url).content
        with mock.patch("core.pdf.render_html", wraps=core_pdf.render_html) as renderer:
            second = member_client.get(url).content
        assert renderer.call_count == 0  # the stored PDF is found without rendering the page
        assert printer.call_count == 1
        assert first == second and "Plénière imprimée" in pdf_text(second)

        invitation.attendance = Invitation.Attendance.PRESENT  # the attendance printed with it changes
        invitation.save()
        present = member_client.get(url).content
        assert printer.call_count == 2 and str(member) in pdf_text(present)
        assert member_client.get(url).content == present and printer.call_count == 2

        minutes = minutes_get_or_create(reunion=reunion)  # a correction adopted: a new version
        minutes_reopen(minutes=minutes, by=coordinator)
        minutes_adopt(minutes=minutes, by=coordinator)
        member_client.get(url)
        assert printer.call_count == 3


def test_a_changed_pdf_content_is_printed_again_and_replaces_the_former_file(db):
    from django.core.files.storage import default_storage

    printed = []

    def build():
        printed.append(1)
        return b"%PDF-" + str(len(printed)).encode() + b"\n%%EOF\n"

    def stored(digest):
        return core_pdf.stored_pdf(folder="tests-pdf", stem="doc", digest=digest, build=build)

    assert stored("a").startswith(b"%PDF-1")
    assert stored("a").startswith(b"%PDF-1")  # read back, not printed again
    assert stored("b").startswith(b"%PDF-2")
    assert len(printed) == 2
    assert not default_storage.exists(core_pdf.stored_pdf_name("tests-pdf", "doc", "a"))
    default_storage.delete(core_pdf.stored_pdf_name("tests-pdf", "doc", "b"))


def test_unchanged_collectif_feed_answers_304_and_a_change_makes_a_new_etag(collectif, member):
    from reunions.services.feeds import calendar_token_new
    from reunions.services.reunions import reunion_update
    from tests.helpers import client_for, parse_ics

    reunion = ReunionFactory(collectif=collectif, title="Plénière de rentrée")
    ReunionFactory.create_batch(3, collectif=collectif)
    token = calendar_token_new(by=member)  # the clear token, shown once (only its hash is stored)
    url = reverse("reunions:feed_collectif", kwargs={"token": token, "collectif_slug": collectif.slug})
    client = client_for(None)
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert len(parse_ics(first.content)) == 4
    again = client.get(url)
    assert again.content == first.content  # each event's text comes from the cache, DTSTAMP included
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    reunion_update(reunion=reunion, by=member, title="Plénière déplacée")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "Plénière déplacée" in {str(e["summary"]).split(" — ")[-1] for e in parse_ics(changed.content)}


def test_one_reunion_ics_is_the_invitation_attachment(collectif, member, member_client, django_assert_max_num_queries):
    from icalendar import Calendar

    reunion = ReunionFactory(collectif=collectif, title="Plénière de rentrée")
    url = reverse("reunions:ics", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    assert url in member_client.get(reunion.get_absolute_url()).content.decode()
    with django_assert_max_num_queries(5):
        response = member_client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    event = cal.walk("VEVENT")[0]
    assert str(cal["method"]) == "REQUEST" and str(event["uid"]) == reunion.ical_uid
    assert str(event["attendee"]) == f"mailto:{member.email}"
    assert cal.walk("VTIMEZONE")


def test_list_rows_print_what_the_date_filter_and_the_model_would(collectif, member_client):
    from django.template.defaultfilters import date as date_filter
    from django.utils import timezone

    from core.dates import DateLabels

    reunion = ReunionFactory(collectif=collectif, title="Plénière de rentrée")
    page = member_client.get(reverse("reunions:list", kwargs={"collectif_slug": collectif.slug})).content.decode()
    assert f'href="{reunion.get_absolute_url()}"' in page
    assert reunion.get_status_display() in page and reunion.get_kind_display() in page
    labels = DateLabels()
    for value in (reunion.starts_at, timezone.now(), timezone.now().replace(month=1, day=5)):
        local = timezone.localtime(value)  # as a template shows it
        assert labels.long(value) == date_filter(local, "l j F Y, H:i")
        assert labels.iso(value) == date_filter(local, "c")
    assert date_filter(timezone.localtime(reunion.starts_at), "l j F Y, H:i") in page


def test_month_links_print_what_the_url_and_time_filters_would(collectif, member_client):
    from django.template.defaultfilters import time as time_filter
    from django.utils import timezone

    from reunions.services.reunions import reunion_cancel

    reunion = ReunionFactory(collectif=collectif, title="Plénière du mois")
    cancelled = ReunionFactory(collectif=collectif, title="Séance annulée", starts_at=reunion.starts_at)
    reunion_cancel(reunion=cancelled, by=collectif.memberships.first().user)
    month = timezone.localtime(reunion.starts_at).strftime("%Y-%m")
    page = member_client.get(reverse("reunions:month", kwargs={"collectif_slug": collectif.slug}), {"mois": month})
    html = page.content.decode()
    when = time_filter(timezone.localtime(reunion.starts_at), "H:i")
    assert f'href="{reunion.get_absolute_url()}">{when} Plénière du mois</a>' in html
    assert html.count("month__event--cancelled") == 1
    assert f"{when} Séance annulée (annulée)</a>" in html
    assert f'<span class="month__day">{timezone.localtime(reunion.starts_at).day}</span>' in html


def test_the_agenda_form_is_rendered_only_when_the_coordinator_opens_it(collectif, coordinator_client):
    reunion = ReunionFactory(collectif=collectif)
    url = reverse("reunions:agenda_add", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    page = coordinator_client.get(reunion.get_absolute_url()).content.decode()
    assert f'hx-get="{url}"' in page and 'name="title"' not in page
    fragment = coordinator_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="title"' in fragment and "<html" not in fragment
    full_page = coordinator_client.get(url).content.decode()  # without JavaScript
    assert 'name="title"' in full_page and "<html" in full_page


def test_reunion_page_links_are_the_urls_reverse_gives(collectif, coordinator_client):
    """The page builds its rows' links from the reunion's and the actions list's URLs (no reverse() per row)."""
    from tests.actions.factories import ActionFactory
    from tests.reunions.factories import AgendaItemFactory, DocumentFactory

    reunion = ReunionFactory(collectif=collectif)
    item = AgendaItemFactory(reunion=reunion)
    AgendaItemFactory(reunion=reunion)
    document = DocumentFactory(reunion=reunion)
    action = ActionFactory(collectif=collectif, in_progress=True)
    html = coordinator_client.get(reunion.get_absolute_url()).content.decode()
    kwargs = {"collectif_slug": collectif.slug, "pk": reunion.pk}
    for name, extra in (
        ("reunions:agenda_move", {"item_pk": item.pk}),
        ("reunions:agenda_delete", {"item_pk": item.pk}),
        ("reunions:document", {"document_pk": document.pk}),
        ("reunions:document_delete", {"document_pk": document.pk}),
    ):
        assert f'"{reverse(name, kwargs={**kwargs, **extra})}"' in html, name
    assert f'href="{action.get_absolute_url()}"' in html
