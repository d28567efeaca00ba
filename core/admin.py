from django.contrib import admin

from core import legal
from core.models import LegalPage, OutboxMessage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """Superusers only: these pages engage the publisher."""

    list_display = ["__str__", "updated_at"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        slug = initial.get("slug")
        if slug in legal.TITLES:
            initial.setdefault("body", legal.default_text(slug))
        return initial

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: a mail is changed by the outbox's services (retry from the reunion's page), never by hand."""

    list_display = ["key", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["key", "to"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
