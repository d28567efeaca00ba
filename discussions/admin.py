from django.contrib import admin

from discussions.models import Follow, Message, PendingNotification, Thread


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["created_at", "author", "source", "body", "edited_at"]
    readonly_fields = ["created_at", "author", "source", "edited_at"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "collectif", "message_count", "last_message_at"]
    list_filter = ["collectif"]
    search_fields = ["title"]
    raw_id_fields = ["groupe", "action", "document", "created_by"]
    readonly_fields = ["message_count", "last_message_at"]
    inlines = [MessageInline]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "thread", "reason", "active"]
    list_filter = ["active", "reason"]
    raw_id_fields = ["thread", "user"]


@admin.register(PendingNotification)
class PendingNotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "message", "created_at", "sent_at"]
    raw_id_fields = ["user", "message"]
