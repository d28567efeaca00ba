from django.contrib import admin

from fiches_experience.models import FicheExperience, FicheSection, FicheVersion


class FicheSectionInline(admin.TabularInline):
    model = FicheSection
    extra = 0
    fields = ["position", "key", "heading"]
    readonly_fields = fields
    can_delete = False


@admin.register(FicheExperience)
class FicheExperienceAdmin(admin.ModelAdmin):
    """Read-mostly: fiches are written and published on the editors' desk (services record versions)."""

    list_display = ["title", "gabarit", "territoire", "status", "published_at", "review_on"]
    list_filter = ["status", "gabarit"]
    search_fields = ["title"]
    readonly_fields = ["status", "author", "reviewer", "published_at", "submitted_at", "review_on"]
    inlines = [FicheSectionInline]


@admin.register(FicheVersion)
class FicheVersionAdmin(admin.ModelAdmin):
    list_display = ["fiche", "number", "change", "author", "created_at"]
    readonly_fields = ["fiche", "number", "snapshot", "change", "author"]
