from django.contrib import admin

from collectifs.models import Collectif, Dispositif, Institution, Territoire, Theme


@admin.register(Territoire)
class TerritoireAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "territoire"]
    list_filter = ["kind", "territoire"]
    search_fields = ["name"]
    list_select_related = ["territoire"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Dispositif)
class DispositifAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "slug"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Collectif)
class CollectifAdmin(admin.ModelAdmin):
    list_display = ["name", "territoire", "created_at"]
    search_fields = ["name"]
    list_filter = ["territoire"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes"]
