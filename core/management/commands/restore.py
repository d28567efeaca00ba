"""`python manage.py restore FICHIER.tar`: put back a backup into an installation without members."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restaure une sauvegarde (base et fichiers) dans une installation qui n'a encore aucun compte."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Archive écrite par `manage.py backup`.")
        parser.add_argument("--force", action="store_true", help="Remplacer une installation qui a déjà des comptes.")

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            manifest = backup_restore(source=archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = ", ".join(f"{alias} : {n}" for alias, n in manifest["restored_files"].items())
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde du {manifest['created_at']} restaurée (fichiers {files})."))
