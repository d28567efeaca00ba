from django.contrib import admin

from actions.models import Action, FollowupNudge, JournalEntry, JournalEntryVersion


class JournalEntryInline(admin.TabularInline):
    model = JournalEntry
    extra = 0
    fields = ["date", "kind", "text", "author", "attachment_name"]
    readonly_fields = ["author", "attachment_name"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "collectif", "status", "lead_institution", "starts_on", "ends_on"]
    list_filter = ["status", "collectif", "themes"]
    search_fields = ["title", "description"]
    autocomplete_fields: list[str] = []
    raw_id_fields = ["origin", "created_by"]
    filter_horizontal = ["themes", "dispositifs", "partner_institutions", "referents"]
    inlines = [JournalEntryInline]


@admin.register(JournalEntryVersion)
class JournalEntryVersionAdmin(admin.ModelAdmin):
    list_display = ["entry", "date", "kind", "edited_by", "replaced_at"]
    readonly_fields = ["entry", "date", "kind", "text", "edited_by", "replaced_at"]


@admin.register(FollowupNudge)
class FollowupNudgeAdmin(admin.ModelAdmin):
    list_display = ["user", "month", "action_count", "sent_at"]
    list_filter = ["month"]
