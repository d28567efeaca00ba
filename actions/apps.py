from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions"

    def ready(self):
        from actions import personal_data as mine
        from membres.hooks import personal_data

        personal_data.register(mine.export)
