"""Crafted input on discussions' pages answers a page or a 404, never a 500."""

import pytest

from tests.discussions.factories import thread_open
from tests.helpers import collectif_url

pytestmark = pytest.mark.django_db

PAGES = ["abc", "-1", "0", "99999999999999999999999", "1e9", "%00", "last"]


@pytest.mark.parametrize("page_number", PAGES)
def test_crafted_page_numbers_answer_200(member_client, collectif, coordinator, page_number):
    thread = thread_open(collectif, coordinator)
    assert member_client.get(thread.get_absolute_url(), {"page": page_number}).status_code == 200
    url = collectif_url(collectif, "discussions:list")
    assert member_client.get(url, {"page": page_number, "afficher": "x", "sujet": "<b>"}).status_code == 200


def test_an_id_beyond_64_bits_answers_404(member_client, collectif):
    assert member_client.get(collectif_url(collectif, "discussions:thread", pk=10**25)).status_code == 404
    url = collectif_url(collectif, "discussions:create_on", kind="groupe", subject_pk=10**25)
    assert member_client.get(url).status_code == 404


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-1", "1.5"])
def test_a_crafted_subject_in_the_query_string_answers_404(member_client, collectif, value):
    url = collectif_url(collectif, "discussions:create")
    assert member_client.get(url, {"document": value}).status_code == 404
