"""`python manage.py backup FICHIER.tar`: the database and every stored file in one archive (see core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Sauvegarde la base PostgreSQL et tous les fichiers déposés dans une archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Fichier .tar à écrire.")

    def handle(self, *args, archive: Path, **options):
        try:
            manifest = backup_create(target=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = ", ".join(f"{alias} : {n}" for alias, n in manifest["files"].items())
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite dans {archive} (fichiers {files})."))
