from django.contrib import admin

from documents.models import Document, DocumentVersion, Folder


@admin.register(Folder)
class FolderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "collectif", "groupe"]
    list_filter = ["kind", "collectif"]
    search_fields = ["name"]
    raw_id_fields = ["groupe", "created_by"]


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ["number", "original_name", "size", "note", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "folder", "collectif", "updated_at", "to_discuss", "deleted_at"]
    list_filter = ["collectif", "to_discuss"]
    search_fields = ["title"]
    raw_id_fields = ["folder", "current", "created_by", "to_discuss_by", "discussed_in", "deleted_by"]
    inlines = [VersionInline]
