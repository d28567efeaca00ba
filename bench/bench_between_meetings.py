"""Between meetings: the document space and the discussions of a collectif of 300 members, at a size a busy
collectif reaches in a few years. A folder of 500 documents, a search over 2,000, a document of 30 versions; a list
of 300 discussions, a discussion of 200 messages by 30 people. Each page timed in process (test client, as a member
of the collectif, pages rendered: core.pagecache off), with its number of queries.

The rows are inserted in bulk (not through the services: no file is read by these pages); the collectif is
bench_membres's, and what this module adds is found again on the next run (idempotent).
"""

from __future__ import annotations

from datetime import timedelta

from bench.bench_membres import _collectif
from bench.common import Row, median_p95, ms, timings

DOCUMENTS, IN_FOLDER, VERSIONS = 2_000, 500, 30
THREADS, MESSAGES, AUTHORS = 300, 200, 30
TARGET = "≤ 10 requêtes, < 100 ms"


def _documents(collectif, user):
    """A folder of 500 documents, 1,500 more elsewhere, and one document with 30 versions."""
    from django.utils import timezone

    from documents.models import Document, DocumentVersion, Folder

    now = timezone.now()
    big, _ = Folder.objects.get_or_create(collectif=collectif, name="Comptes rendus (mesure)", created_by=user)
    other, _ = Folder.objects.get_or_create(collectif=collectif, name="Archives (mesure)", created_by=user)
    made = Document.objects.filter(folder__in=[big, other]).count()
    if made < DOCUMENTS:
        documents = Document.objects.bulk_create(
            [
                Document(
                    collectif=collectif,
                    folder=big if i < IN_FOLDER else other,
                    title=f"Compte rendu de la séance {i:04}" if i % 2 else f"Projet de protocole {i:04}",
                    created_by=user,
                    updated_at=now - timedelta(hours=i),
                )
                for i in range(made, DOCUMENTS)
            ],
            batch_size=1_000,
        )
        versions = DocumentVersion.objects.bulk_create(
            [
                DocumentVersion(
                    document=d,
                    number=1,
                    file=f"documents/mesure/{d.pk}.pdf",
                    original_name=f"document-{d.pk}.pdf",
                    size=120_000,
                    content_type="application/pdf",
                    uploaded_by=user,
                )
                for d in documents
            ],
            batch_size=1_000,
        )
        for document, version in zip(documents, versions, strict=True):
            document.current = version
        Document.objects.bulk_update(documents, ["current"], batch_size=1_000)
    versioned = Document.objects.filter(folder=big).order_by("pk").first()
    if versioned.versions.count() < VERSIONS:
        last = DocumentVersion.objects.bulk_create(
            [
                DocumentVersion(
                    document=versioned,
                    number=n,
                    file=f"documents/mesure/{versioned.pk}-{n}.pdf",
                    original_name=f"document-{versioned.pk}-v{n}.pdf",
                    size=120_000 + n,
                    content_type="application/pdf",
                    note=f"Relecture {n}",
                    uploaded_by=user,
                )
                for n in range(versioned.versions.count() + 1, VERSIONS + 1)
            ]
        )[-1]
        versioned.current = last
        versioned.save(update_fields=["current"])
    return big, versioned


def _discussions(collectif, users):
    """300 discussions of the collectif; the newest has 200 messages by 30 people."""
    from django.utils import timezone

    from discussions.models import Message, Thread

    now = timezone.now()
    threads = Thread.objects.filter(collectif=collectif, title__startswith="Mesure ")
    made = threads.count()
    if made < THREADS:
        Thread.objects.bulk_create(
            [
                Thread(
                    collectif=collectif,
                    title=f"Mesure {n:03} : calendrier des séances",
                    created_by=users[n % len(users)],
                    created_at=now - timedelta(days=n + 1),
                    last_message_at=now - timedelta(days=n),
                    message_count=1,
                )
                for n in range(made, THREADS)
            ]
        )
    thread = threads.order_by("-last_message_at", "-pk").first()
    written = thread.messages.count()
    if written < MESSAGES:
        Message.objects.bulk_create(
            [
                Message(
                    thread=thread,
                    author=users[n % AUTHORS],
                    body=f"<p>Réponse {n} : je propose le mardi, après le conseil pédagogique.</p>",
                    created_at=now - timedelta(minutes=MESSAGES - n),
                )
                for n in range(written, MESSAGES)
            ]
        )
        Thread.objects.filter(pk=thread.pk).update(message_count=MESSAGES, last_message_at=now)
    return thread


def run() -> list[Row]:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from membres.models import Membership

    collectif, coordinator = _collectif()
    users = [m.user for m in Membership.objects.filter(collectif=collectif).select_related("user")[:AUTHORS]]
    member = users[1]
    folder, versioned = _documents(collectif, coordinator)
    thread = _discussions(collectif, users)
    slug = collectif.slug
    pages = [
        ("dossier de 500 documents", folder.get_absolute_url(), f"{IN_FOLDER} documents"),
        (
            "recherche dans tous les documents",
            reverse("documents:list", kwargs={"collectif_slug": slug}) + "?q=compte",
            f"{DOCUMENTS} documents",
        ),
        ("document de 30 versions", versioned.get_absolute_url(), f"{VERSIONS} versions"),
        ("liste des discussions", reverse("discussions:list", kwargs={"collectif_slug": slug}), f"{THREADS} fils"),
        ("discussion de 200 messages", thread.get_absolute_url(), f"{MESSAGES} messages, {AUTHORS} auteurs"),
    ]
    client = Client(HTTP_HOST="localhost")
    client.force_login(member)
    rows = []
    with override_settings(PAGE_CACHE_SECONDS=0):  # every page rendered, not served kept
        for label, url, size in pages:
            assert client.get(url).status_code == 200, label
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            count = len(queries.captured_queries)  # read now: later requests reset the log
            median, p95 = median_p95(timings(lambda url=url: client.get(url), repeat=30))
            rows.append(Row(f"{label} ({count} requêtes SQL)", size, ms(median), ms(p95), TARGET))
    return rows
