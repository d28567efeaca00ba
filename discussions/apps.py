from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from actions.hooks import action_sections
        from collectifs.hooks import home_panels, navigation_sections
        from core.hooks import demo_loaders
        from discussions import panels, personal_data
        from membres.hooks import account_erasure
        from membres.hooks import personal_data as personal_data_hook
        from reunions.hooks import groupe_sections

        home_panels.register(panels.active_threads_panel, order=40)
        navigation_sections.register(panels.navigation_sections)
        groupe_sections.register(panels.groupe_threads_html, order=20)
        action_sections.register(panels.action_thread_html)
        # After membres (10), reunions (20), actions (30) and documents: threads sit on their groupes and actions.
        demo_loaders.register(panels.load_demo, order=70)
        personal_data_hook.register(personal_data.export)
        account_erasure.register(personal_data.erase)
