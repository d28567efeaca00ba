from django.apps import AppConfig


class RestitutionsConfig(AppConfig):
    name = "restitutions"
    verbose_name = "Restitutions"

    def ready(self):
        from restitutions.selectors import restitutions_for_reunion
        from reunions.hooks import atelier_restitutions

        atelier_restitutions.register(restitutions_for_reunion)
