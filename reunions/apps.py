from django.apps import AppConfig


class ReunionsConfig(AppConfig):
    name = "reunions"
    verbose_name = "Réunions"

    def ready(self) -> None:
        from collectifs.hooks import home_panels, navigation_sections
        from core.hooks import demo_loaders
        from membres.hooks import handover
        from membres.hooks import personal_data as personal_data_hook
        from reunions import panels, personal_data
        from reunions.handover import transfer_responsibilities

        home_panels.register(panels.next_reunions_panel, order=10)
        navigation_sections.register(panels.navigation_sections)
        handover.register(transfer_responsibilities)
        demo_loaders.register(panels.load_demo, order=20)
        # After the restitutions demo (order 50), which holds the ateliers.
        personal_data_hook.register(personal_data.export)
