from django.apps import AppConfig


class FichesExperienceConfig(AppConfig):
    name = "fiches_experience"
    verbose_name = "Fiches expérience"

    def ready(self):
        from fiches_experience import personal_data as mine
        from membres.hooks import personal_data

        personal_data.register(mine.export)
