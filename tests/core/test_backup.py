"""Backup and restore: the demo, with a meeting document and a journal attachment, backed up, then restored into a
fresh database and empty file folders, reads the same (`manage.py backup` / `manage.py restore`, subprocesses)."""

import json
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from tests.core.test_security import BASE_DIR

# What a person would check after a restore, read by the same code on both installations.
SUMMARY = """
import hashlib, json, django
django.setup()
from actions.models import JournalEntry
from fiches_experience.models import FicheExperience
from membres.models import User
from reunions.models import Document, Minutes, MinutesVersion, Reunion

def digest(field):
    with field.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()

print(json.dumps({
    "users": sorted(User.objects.values_list("email", flat=True)),
    "reunions": sorted(Reunion.objects.values_list("title", "starts_at__date")),
    "minutes": sorted(Minutes.objects.values_list("reunion__title", "status", "version")),
    "minutes_versions": sorted(MinutesVersion.objects.values_list("minutes__reunion__title", "number", "html")),
    "fiches": sorted(FicheExperience.objects.values_list("title", "status")),
    "documents": sorted((d.title, d.original_name, digest(d.file)) for d in Document.objects.all()),
    "attachments": sorted(
        (e.attachment_name, digest(e.attachment)) for e in JournalEntry.objects.exclude(attachment="")
    ),
}, default=str))
"""


def _env(database_url: str, media: str, private: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_DATABASE_URL": database_url,
        "MEDIA_ROOT": media,
        "PRIVATE_MEDIA_ROOT": private,
    }


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _summary(env: dict[str, str]) -> dict:
    return json.loads(_run([sys.executable, "-c", SUMMARY], env))


@pytest.fixture
def fresh_database(settings):
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_of_the_demo_restores_into_a_fresh_installation(transactional_db, settings, tmp_path, fresh_database):
    from actions.models import Action, JournalEntry
    from reunions.models import Document, Reunion

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    reunion = Reunion.objects.order_by("pk").first()
    Document.objects.create(
        reunion=reunion,
        title="Ordre du jour",
        file=ContentFile(b"%PDF-1.7 ordre du jour", name="ordre.pdf"),
        original_name="ordre.pdf",
        content_type="application/pdf",
    )
    action = Action.objects.order_by("pk").first()
    JournalEntry.objects.create(
        action=action,
        text="Bilan",
        attachment=ContentFile(b"%PDF-1.7 bilan", name="bilan.pdf"),
        attachment_name="bilan.pdf",
    )
    db = settings.DATABASES["default"]
    source_env = _env(
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        str(settings.MEDIA_ROOT),
        str(settings.PRIVATE_MEDIA_ROOT),
    )
    before = _summary(source_env)
    assert before["reunions"] and before["minutes_versions"] and before["fiches"]
    assert len(before["documents"]) >= 1 and len(before["attachments"]) >= 1

    archive = tmp_path / "sauvegarde.tar"
    _run([sys.executable, "manage.py", "backup", str(archive)], source_env)

    # A new installation as the README sets it up: migrated, no account yet.
    target_env = _env(fresh_database, str(tmp_path / "new-media"), str(tmp_path / "new-private-media"))
    _run([sys.executable, "manage.py", "migrate", "--noinput"], target_env)
    out = _run([sys.executable, "manage.py", "restore", str(archive)], target_env)
    assert "restaurée" in out

    assert _summary(target_env) == before
    # Restoring again over a restored installation is refused: it has members now.
    again = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        env=target_env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode != 0 and "déjà des comptes" in again.stderr
