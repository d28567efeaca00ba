from django.apps import AppConfig


class FichesExperienceConfig(AppConfig):
    name = "fiches_experience"
    verbose_name = "Fiches expérience"

    def ready(self) -> None:
        from core.hooks import demo_loaders

        demo_loaders.register(load_demo, order=40)


def load_demo(stdout) -> None:
    from fiches_experience.demo import load

    load(stdout)
