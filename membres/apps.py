from django.apps import AppConfig


class MembresConfig(AppConfig):
    name = "membres"
    verbose_name = "Membres"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from collectifs.hooks import navigation_sections
        from core.hooks import demo_loaders
        from membres.middleware import user_cache_forget
        from membres.models import User

        navigation_sections.register(navigation)
        demo_loaders.register(load_demo, order=10)
        post_save.connect(user_cache_forget, sender=User, dispatch_uid="membres.user_cache_forget.save")
        post_delete.connect(user_cache_forget, sender=User, dispatch_uid="membres.user_cache_forget.delete")


def navigation() -> list[tuple]:
    from django.utils.translation import gettext_lazy as _

    return [(60, _("Annuaire"), "membres:annuaire", False)]


def load_demo(stdout) -> list[tuple[str, str]]:
    """The people come first: every other app's demo data uses them. Returns the accounts to log in with."""
    from membres.demo import DEMO_ACCOUNTS, load

    load(stdout)
    return DEMO_ACCOUNTS
