"""`manage.py import_fiches PATH... [--dry-run] [--json] [--publish] [--title T] [--territoire T] [--par EMAIL]`.

PATH: text exports (.txt), Word (.docx) or OpenDocument (.odt) files. A fiche that already exists and is published
or archived is never changed: the file's text becomes a proposed version that a second editor publishes.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fiches_experience.documents import DocumentError, document_text, max_bytes, size_message
from fiches_experience.importer import fiches_import, parse_files


class Command(BaseCommand):
    help = (
        "Importe des fiches expérience (.txt « rubrique<TAB>contenu », .docx, .odt), tout ou rien ; une fiche publiée "
        "ou archivée reçoit une nouvelle version proposée en relecture."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="fichiers .txt, .docx ou .odt à importer")
        parser.add_argument("--dry-run", action="store_true", help="tout analyser, ne rien enregistrer")
        parser.add_argument("--json", action="store_true", help="rapport en JSON sur la sortie standard")
        parser.add_argument("--publish", action="store_true", help="publier les nouvelles fiches (déjà relues)")
        parser.add_argument("--title", default="", help="titre d'une fiche au gabarit court (sans ligne de titre)")
        parser.add_argument("--territoire", default="", help="territoire d'une fiche au gabarit court")
        parser.add_argument(
            "--par", default="", help="e-mail de l'éditeur qui importe (un autre éditeur publiera ses propositions)"
        )

    def handle(self, *args, **options):
        from membres.models import User

        by = None
        if options["par"]:
            by = User.objects.filter(email__iexact=options["par"], is_active=True).first()
            if by is None:
                raise CommandError(f"Aucun utilisateur actif : {options['par']}")
        files = []
        for raw in options["paths"]:
            path = Path(raw)
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {raw}")
            if path.stat().st_size > max_bytes():
                raise CommandError(f"{raw} : {size_message(path.stat().st_size)}")
            try:
                files.append((str(path), document_text(path.name, path.read_bytes())))
            except DocumentError as error:
                raise CommandError(f"{raw} : {error}") from error
        parsed = parse_files(files, title=options["title"], territoire=options["territoire"])
        report = fiches_import(parsed=parsed, by=by, publish=options["publish"], dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        prefix = "[simulation] " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{report.created} créée(s), {report.updated} brouillon(s) mis à jour, "
            f"{report.proposed} nouvelle(s) version(s) proposée(s) en relecture, {report.duplicates} doublon(s), "
            f"{report.skipped_blocks} bloc(s) ignoré(s)"
        )
        for fiche in report.fiches:
            self.stdout.write(
                f"  - {fiche['titre']} ({fiche['territoire'] or 'sans territoire'}) : {fiche['resultat']}"
            )
            for line in fiche["lignes_non_placees"]:
                self.stdout.write(self.style.WARNING(f"      non placée : {line}"))
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {warning}"))
