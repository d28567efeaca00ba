from django.contrib import admin

from reunions.models import DatePoll, GroupeDeTaches, Invitation, Minutes, Registration, ReminderDue, Reunion


@admin.register(Reunion)
class ReunionAdmin(admin.ModelAdmin):
    list_display = ["title", "collectif", "kind", "starts_at", "status"]
    list_filter = ["kind", "status", "collectif"]
    search_fields = ["title", "theme"]
    raw_id_fields = ["secretary", "groupe"]


@admin.register(GroupeDeTaches)
class GroupeDeTachesAdmin(admin.ModelAdmin):
    list_display = ["name", "collectif", "status"]
    list_filter = ["status", "collectif"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["reunion", "membership", "response", "attendance"]
    raw_id_fields = ["reunion", "membership"]


@admin.register(ReminderDue)
class ReminderDueAdmin(admin.ModelAdmin):
    list_display = ["reunion", "membership", "offset_days", "due_at", "status", "attempts"]
    list_filter = ["status"]
    raw_id_fields = ["reunion", "membership"]


admin.site.register(DatePoll)
admin.site.register(Minutes)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("name", "reunion", "structure_kind", "status", "walk_in", "erase_after")
    list_filter = ("status", "structure_kind")
    raw_id_fields = ("reunion",)
