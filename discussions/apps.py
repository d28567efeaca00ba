from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from anymail.signals import inbound

        from actions.hooks import action_sections
        from collectifs.hooks import home_panels, navigation_sections
        from core.hooks import demo_loaders
        from discussions import panels, personal_data
        from discussions.inbound import anymail_inbound
        from documents.hooks import document_sections
        from membres.hooks import account_erasure
        from membres.hooks import personal_data as personal_data_hook
        from reunions.hooks import groupe_sections

        home_panels.register(panels.active_threads_panel, order=40)
        navigation_sections.register(panels.navigation_sections)
        groupe_sections.register(panels.groupe_threads_html, order=20)
        action_sections.register(panels.action_thread_html)
        document_sections.register(panels.document_threads_html)
        # After membres (10), reunions (20), actions (30) and documents: threads sit on their groupes and actions.
        demo_loaders.register(panels.load_demo, order=70)
        personal_data_hook.register(personal_data.export)
        account_erasure.register(personal_data.erase)
        # Replies by e-mail that a provider's inbound webhook delivers (config/urls.py serves the webhooks).
        inbound.connect(anymail_inbound, dispatch_uid="discussions.inbound.anymail_inbound")
