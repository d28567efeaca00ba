from django.contrib import admin

from collectifs.models import CharteAdoption, CharteVersion, Collectif, Dispositif, Institution, Territoire, Theme


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
    search_fields = ["name", "slug", "territoire__name"]
    list_filter = ["territoire", "themes"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes"]


@admin.register(CharteVersion)
class CharteVersionAdmin(admin.ModelAdmin):
    list_display = ["collectif", "number", "author", "created_at"]
    list_filter = ["collectif"]
    search_fields = ["collectif__name", "text", "author__email", "author__last_name"]
    list_select_related = ["collectif", "author"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["author"]


@admin.register(CharteAdoption)
class CharteAdoptionAdmin(admin.ModelAdmin):
    list_display = ["collectif", "version", "adopted_on", "recorded_by"]
    list_filter = ["collectif", "adopted_on"]
    search_fields = ["collectif__name", "institutions__name"]
    list_select_related = ["collectif", "version", "recorded_by"]
    filter_horizontal = ["institutions"]
    autocomplete_fields = ["recorded_by"]
