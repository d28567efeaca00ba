from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from collectifs.hooks import home_panels, navigation_sections
        from core.hooks import demo_loaders
        from documents import panels, personal_data
        from membres.hooks import personal_data as personal_data_hook
        from reunions.hooks import agenda_proposals, groupe_sections, reunion_sections

        home_panels.register(panels.recent_documents_panel, order=30)
        navigation_sections.register(panels.navigation_sections)
        reunion_sections.register(panels.reunion_section, order=10)
        agenda_proposals.register(panels.agenda_proposals, order=10)
        groupe_sections.register(panels.groupe_section, order=10)
        demo_loaders.register(panels.load_demo, order=25)
        personal_data_hook.register(personal_data.export)
