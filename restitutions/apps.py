from django.apps import AppConfig


class RestitutionsConfig(AppConfig):
    name = "restitutions"
    verbose_name = "Restitutions"

    def ready(self):
        from membres.hooks import personal_data
        from restitutions import personal_data as mine

        personal_data.register(mine.export)
