from django.apps import AppConfig


class FichesExperienceConfig(AppConfig):
    name = "fiches_experience"
    verbose_name = "Fiches expérience"

    def ready(self) -> None:
        from actions import hooks as action_hooks
        from core.hooks import demo_loaders
        from fiches_experience import services

        demo_loaders.register(load_demo, order=40)
        action_hooks.fiche_for_action.register(services.fiche_for_action)
        action_hooks.fiche_draft_from_action.register(services.fiche_draft_from_action)


def load_demo(stdout) -> None:
    from fiches_experience.demo import load

    load(stdout)
