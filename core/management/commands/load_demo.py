"""Load the demo data: a believable collectif built from the seeds, with invented people. Idempotent.

Each app registers in `core.hooks.demo_loaders`, from its AppConfig.ready() and with an order (later apps use what
earlier ones created), a `load(stdout)` function that creates its objects with get_or_create on natural keys, so
that running `make run` twice duplicates nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DEMO_PASSWORD
from core.hooks import demo_loaders


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans doublon si on le relance)."

    def handle(self, *args, **options):
        with transaction.atomic():
            # Each app registers its loader in `core.hooks.demo_loaders` from its AppConfig.ready(), with an order.
            # A loader returns the demo accounts it created, as (e-mail, description), or None.
            accounts = [account for result in demo_loaders.call(self.stdout) for account in result or ()]

        self.stdout.write(
            self.style.SUCCESS(f"Données de démonstration prêtes. Comptes (mot de passe : {DEMO_PASSWORD}) :")
        )
        for email, description in accounts:
            self.stdout.write(f"  {email:<42} {description}")
