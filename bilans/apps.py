from django.apps import AppConfig


class BilansConfig(AppConfig):
    name = "bilans"
    verbose_name = "Bilans annuels"

    def ready(self) -> None:
        from collectifs.hooks import navigation_sections

        navigation_sections.register(navigation)


def navigation() -> list[tuple]:
    from django.utils.translation import gettext_lazy as _

    return [(95, _("Bilan annuel"), "bilans:bilan", False)]
