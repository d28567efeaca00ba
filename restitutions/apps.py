from django.apps import AppConfig


class RestitutionsConfig(AppConfig):
    name = "restitutions"
    verbose_name = "Restitutions"

    def ready(self) -> None:
        from collectifs.hooks import navigation_sections
        from core.hooks import demo_loaders
        from membres.hooks import personal_data as personal_data_hook
        from restitutions import panels, personal_data
        from restitutions.selectors import restitutions_for_reunion
        from reunions.hooks import atelier_restitutions, reunion_sections

        navigation_sections.register(navigation)
        demo_loaders.register(load_demo, order=50)
        atelier_restitutions.register(restitutions_for_reunion)
        reunion_sections.register(panels.reunion_cycle_section, order=5)
        personal_data_hook.register(personal_data.export)


def navigation() -> list[tuple]:
    from django.utils.translation import gettext_lazy as _

    return [(90, _("Restitutions"), "restitutions:list", False)]


def load_demo(stdout) -> None:
    from restitutions.demo import load

    load(stdout)
