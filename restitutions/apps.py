from django.apps import AppConfig


class RestitutionsConfig(AppConfig):
    name = "restitutions"
    verbose_name = "Restitutions"
