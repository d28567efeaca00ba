from celery.exceptions import SoftTimeLimitExceeded

from restitutions import printing, services, tasks
from restitutions.models import Point
from tests.helpers import collectif_url, pdf_text
from tests.restitutions.factories import RestitutionFactory, cycle_with_restitutions


def cycle_urls(cycle) -> tuple[str, str]:
    """The cycle PDF's status page and its file."""
    return (
        collectif_url(cycle.collectif, "restitutions:cycle_pdf", pk=cycle.pk),
        collectif_url(cycle.collectif, "restitutions:cycle_pdf_file", pk=cycle.pk),
    )


def test_cycle_pdf_is_prepared_after_commit_then_offered(member_client, collectif, django_capture_on_commit_callbacks):
    cycle = cycle_with_restitutions(collectif)
    status_url, file_url = cycle_urls(cycle)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = member_client.get(status_url)
    assert "en cours de préparation" in first.content.decode()
    assert 'hx-trigger="every 2s"' in first.content.decode()
    assert "Actualiser la page" in first.content.decode()
    assert len(callbacks) == 1  # enqueued only once the transaction commits
    assert member_client.get(file_url).status_code == 302  # not ready yet
    for callback in callbacks:
        callback()  # the task runs eagerly in tests

    ready = member_client.get(status_url, HTTP_HX_REQUEST="true")
    assert "Télécharger le PDF du cycle" in ready.content.decode() and "<html" not in ready.content.decode()
    download = member_client.get(file_url)
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF-") and "Levier de l'atelier 2." in pdf_text(pdf)


def test_asking_twice_while_it_is_prepared_enqueues_once(member_client, collectif, django_capture_on_commit_callbacks):
    cycle = cycle_with_restitutions(collectif)
    status_url, _ = cycle_urls(cycle)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        member_client.get(status_url)
        member_client.get(status_url)

    assert len(callbacks) == 1


def test_cycle_pdf_is_rebuilt_when_a_restitution_of_the_cycle_changes(collectif, crpv_editor):
    cycle = cycle_with_restitutions(collectif)
    first = printing.cycle_pdf_build(cycle_id=cycle.pk)
    assert printing.cycle_pdf_state(cycle)[0] == "ready"
    assert printing.cycle_pdf_build(cycle_id=cycle.pk) == first  # idempotent: no second build

    point = Point.objects.filter(restitution__cycle=cycle).first()
    services.point_update(by=crpv_editor, point=point, text="Levier corrigé.")

    assert printing.cycle_pdf_state(cycle)[0] == "missing"
    second = printing.cycle_pdf_build(cycle_id=cycle.pk)
    storage = printing.cycle_pdf_storage()
    assert second != first and not storage.exists(first) and storage.exists(second)
    with storage.open(second) as handle:
        assert "Levier corrigé." in pdf_text(handle.read())


def test_a_restitution_outside_the_cycle_does_not_invalidate_it(collectif, crpv_editor):
    cycle = cycle_with_restitutions(collectif)
    printing.cycle_pdf_build(cycle_id=cycle.pk)
    outside = RestitutionFactory(collectif=collectif)

    services.point_add(by=crpv_editor, restitution=outside, section="constats", text="Ailleurs.")

    assert printing.cycle_pdf_state(cycle)[0] == "ready"


def test_a_build_past_its_time_limit_says_so_and_offers_to_retry(member_client, collectif, monkeypatch):
    cycle = cycle_with_restitutions(collectif)
    status_url, _ = cycle_urls(cycle)

    def too_long(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(printing, "cycle_pdf_build", too_long)
    tasks.build_cycle_pdf(cycle.pk)

    page = member_client.get(status_url).content.decode()
    assert "a échoué" in page and "reessayer=1" in page
    assert tasks.build_cycle_pdf.soft_time_limit == tasks.SOFT_TIME_LIMIT
