from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from membres.models import MemberInvitation, Membership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_crpv_editor", "is_staff", "is_active"]
    list_filter = ["is_crpv_editor", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "phone"]}),
        (
            "Rôles",
            {"fields": ["is_active", "is_crpv_editor", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["display_name", "collectif", "institution", "function", "niveau", "role", "joined_on", "left_on"]
    list_filter = ["collectif", "niveau", "role", "institution__kind"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "institution__name", "function"]
    list_select_related = ["user", "collectif", "institution"]
    autocomplete_fields = ["user", "institution"]


@admin.register(MemberInvitation)
class MemberInvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "collectif",
        "institution",
        "niveau",
        "role",
        "last_sent_at",
        "expires_at",
        "status_label",
    ]
    list_filter = [
        "collectif",
        "niveau",
        "role",
        ("accepted_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "institution__name", "function", "collectif__name"]
    list_select_related = ["collectif", "institution"]
    # The token hash is useless to read and must not be edited: resending is how a new link is made.
    exclude = ["token_hash"]
    readonly_fields = ["created_at", "last_sent_at", "accepted_at", "membership", "invited_by", "replaces"]
    autocomplete_fields = ["institution"]

    @admin.display(description="statut")
    def status_label(self, obj: MemberInvitation) -> str:
        return obj.get_status_display()
