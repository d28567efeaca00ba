"""Load the demo data: a believable collectif built from the seeds, with invented people. Idempotent.

Each app contributes a `demo.py` module with a `load(stdout) -> None` function that creates its objects with
get_or_create on natural keys, so that running `make run` twice duplicates nothing.
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from membres.demo import DEMO_PASSWORD

# In dependency order: later apps use what earlier ones created.
DEMO_MODULES = [
    "membres.demo",
    "reunions.demo",
    "actions.demo",
    "fiches_experience.demo",
    "restitutions.demo",
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans doublon si on le relance)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = importlib.import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                module.load(self.stdout)
        from membres.demo import DEMO_ACCOUNTS

        self.stdout.write(
            self.style.SUCCESS(f"Données de démonstration prêtes. Comptes (mot de passe : {DEMO_PASSWORD}) :")
        )
        for email, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<42} {description}")
