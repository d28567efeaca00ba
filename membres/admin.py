from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from membres.models import Membership, User


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
