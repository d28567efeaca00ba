from django.apps import AppConfig


class ReunionsConfig(AppConfig):
    name = "reunions"
    verbose_name = "Réunions"

    def ready(self):
        from membres.hooks import account_erasure, personal_data
        from reunions import personal_data as mine

        personal_data.register(mine.export)
        account_erasure.register(mine.erase)
