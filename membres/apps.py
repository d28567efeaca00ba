from django.apps import AppConfig


class MembresConfig(AppConfig):
    name = "membres"
    verbose_name = "Membres"
