from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions"

    def ready(self) -> None:
        from actions import panels
        from actions.handover import transfer_responsibilities
        from collectifs.hooks import home_panels, navigation_sections
        from core.hooks import demo_loaders
        from membres.hooks import handover

        home_panels.register(panels.open_actions_panel, order=20)
        navigation_sections.register(panels.navigation_sections)
        handover.register(transfer_responsibilities)
        demo_loaders.register(panels.load_demo, order=30)
