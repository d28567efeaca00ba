"""`python manage.py import_fiches PATH... [--dry-run] [--json] [--publish] [--title T] [--territoire T]`."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fiches_experience.importer import fiches_import, parse_files, read_text


class Command(BaseCommand):
    help = "Importe des fiches expérience depuis des exports texte « rubrique<TAB>contenu » (tout ou rien)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="fichiers texte à importer")
        parser.add_argument("--dry-run", action="store_true", help="tout analyser, ne rien enregistrer")
        parser.add_argument("--json", action="store_true", help="rapport en JSON sur la sortie standard")
        parser.add_argument("--publish", action="store_true", help="publier les fiches importées (déjà relues)")
        parser.add_argument("--title", default="", help="titre d'une fiche au gabarit court (sans ligne de titre)")
        parser.add_argument("--territoire", default="", help="territoire d'une fiche au gabarit court")

    def handle(self, *args, **options):
        files = []
        for raw in options["paths"]:
            path = Path(raw)
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {raw}")
            files.append((str(path), read_text(path.read_bytes())))
        parsed = parse_files(files, title=options["title"], territoire=options["territoire"])
        report = fiches_import(parsed=parsed, publish=options["publish"], dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        prefix = "[simulation] " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{report.created} créée(s), {report.updated} mise(s) à jour, {report.duplicates} doublon(s), "
            f"{report.skipped_blocks} bloc(s) ignoré(s)"
        )
        for fiche in report.fiches:
            self.stdout.write(f"  - {fiche['titre']} ({fiche['territoire'] or 'sans territoire'})")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {warning}"))
