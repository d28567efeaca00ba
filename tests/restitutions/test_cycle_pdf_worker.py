"""The cycle's PDF built by a real Celery worker on Redis, not run eagerly."""

import pytest

from tests.helpers import client_for, pdf_text, wait_for
from tests.restitutions.factories import cycle_with_restitutions
from tests.restitutions.test_cycle_pdf import cycle_urls

pytestmark = pytest.mark.worker


def test_cycle_pdf_is_built_by_a_real_celery_worker(celery_worker_process, collectif, member):
    cycle = cycle_with_restitutions(collectif, n=4)
    status_url, file_url = cycle_urls(cycle)
    client = client_for(member)

    first = client.get(status_url)
    assert "en cours de préparation" in first.content.decode()
    ready = wait_for(
        lambda: "Télécharger le PDF du cycle" in client.get(status_url, HTTP_HX_REQUEST="true").content.decode(),
        timeout=60,
        step=0.5,
    )
    assert ready, f"Le PDF du cycle n'a pas été préparé :\n{celery_worker_process.log()[-3000:]}"

    pdf = b"".join(client.get(file_url).streaming_content)
    text = pdf_text(pdf)
    assert "Sommaire" in text and "Levier de l'atelier 4." in text
