"""Backing up and restoring a whole installation: the PostgreSQL database and every stored file.

One archive (tar): `database.dump` (pg_dump's custom format), `files/<storage>/<name>` for each file of the
`default` and `private` storages (read and written through the storage API, so local disk and S3 alike), and
`backup.json` (when, which migrations). Restoring puts both back into an installation with no members yet.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

logger = logging.getLogger(__name__)

STORAGE_ALIASES = ("default", "private")
DUMP = "database.dump"
MANIFEST = "backup.json"


class BackupError(Exception):
    pass


def _pg_env_and_args(alias: str = DEFAULT_DB_ALIAS) -> tuple[dict[str, str], list[str]]:
    db = connections[alias].settings_dict
    if not db["ENGINE"].endswith("postgresql"):
        raise BackupError("La sauvegarde demande PostgreSQL (DATABASE_URL) ; la base SQLite est un simple fichier.")
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    return env, args


def _walk(storage: Storage, directory: str = "") -> Iterator[str]:
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in dirs:
        yield from _walk(storage, f"{directory}/{sub}" if directory else sub)


def backup_create(*, target: Path) -> dict:
    """Write the archive to `target`; return what it holds."""
    env, args = _pg_env_and_args()
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DUMP
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), *args],
            env=env,
            check=True,
            capture_output=True,
        )
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=DUMP)
            for alias in STORAGE_ALIASES:
                storage = storages[alias]
                counts[alias] = 0
                for name in _walk(storage):
                    info = tarfile.TarInfo(f"files/{alias}/{name}")
                    info.size = storage.size(name)
                    with storage.open(name, "rb") as handle:
                        archive.addfile(info, handle)
                    counts[alias] += 1
            manifest = {"created_at": timezone.now().isoformat(), "files": counts, "migrations": migrations}
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        os.replace(partial, target)
    logger.info("backup_create target=%s files=%s", target, counts)
    return manifest


def _has_members() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT to_regclass('membres_user') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT EXISTS (SELECT 1 FROM membres_user)")
        return cursor.fetchone()[0]


def backup_restore(*, source: Path, force: bool = False) -> dict:
    """Restore the archive into this installation: its database must have no members (empty or just migrated),
    unless `force`, which replaces everything."""
    if not force and _has_members():
        raise BackupError("La base contient déjà des comptes : restauration refusée (--force pour tout remplacer).")
    env, args = _pg_env_and_args()
    with tarfile.open(source, "r") as archive, tempfile.TemporaryDirectory() as tmp:
        manifest = json.load(archive.extractfile(MANIFEST))
        dump = Path(tmp) / DUMP
        with archive.extractfile(DUMP) as src, dump.open("wb") as out:
            shutil.copyfileobj(src, out)
        connections[DEFAULT_DB_ALIAS].close()
        result = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore a échoué : {result.stderr.strip()}")
        counts = dict.fromkeys(STORAGE_ALIASES, 0)
        for member in archive:
            if not member.isfile() or not member.name.startswith("files/"):
                continue
            _files, alias, name = member.name.split("/", 2)
            if alias not in STORAGE_ALIASES or ".." in Path(name).parts:
                raise BackupError(f"Entrée inattendue dans l'archive : {member.name}")
            storage = storages[alias]
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, ContentFile(archive.extractfile(member).read()))
            if saved != name:
                raise BackupError(f"Fichier restauré sous un autre nom : {name} → {saved}")
            counts[alias] += 1
    logger.info("backup_restore source=%s files=%s", source, counts)
    return {**manifest, "restored_files": counts}
