from django.apps import AppConfig


class RestitutionsConfig(AppConfig):
    name = "restitutions"
    verbose_name = "Restitutions"

    def ready(self) -> None:
        from collectifs.hooks import navigation_sections
        from core.hooks import demo_loaders
        from restitutions.selectors import restitutions_for_reunion
        from reunions.hooks import atelier_restitutions

        navigation_sections.register(navigation)
        demo_loaders.register(load_demo, order=50)
        atelier_restitutions.register(restitutions_for_reunion)


def navigation() -> list[tuple]:
    from django.utils.translation import gettext_lazy as _

    return [(90, _("Restitutions"), "restitutions:list", False)]


def load_demo(stdout) -> None:
    from restitutions.demo import load

    load(stdout)
