from django.contrib import admin

from restitutions.models import Cycle, CycleSession, FreeSection, Point, Restitution


class PointInline(admin.TabularInline):
    model = Point
    extra = 0


class FreeSectionInline(admin.StackedInline):
    model = FreeSection
    extra = 0


@admin.register(Restitution)
class RestitutionAdmin(admin.ModelAdmin):
    list_display = ["title", "atelier_numbers", "collectif", "cycle", "held_on", "status"]
    list_filter = ["status", "collectif"]
    search_fields = ["title", "theme"]
    list_select_related = ["collectif", "cycle"]
    raw_id_fields = ["reunion", "created_by"]
    inlines = [PointInline, FreeSectionInline]


class CycleSessionInline(admin.TabularInline):
    model = CycleSession
    extra = 0
    raw_id_fields = ["reunion"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "collectif", "manager", "starts_on", "ends_on"]
    list_select_related = ["collectif", "manager"]
    filter_horizontal = ["collectifs", "organisers", "partners"]
    raw_id_fields = ["manager"]
    inlines = [CycleSessionInline]
