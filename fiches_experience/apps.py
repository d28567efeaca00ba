from django.apps import AppConfig


class FichesExperienceConfig(AppConfig):
    name = "fiches_experience"
    verbose_name = "Fiches expérience"
