"""Searching and sorting the documents of the space. Choices (folders, authors) are read in two queries and
validated without touching the database again, so that a folder of 500 documents lists in a fixed number of
queries."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.models import Document, Folder
from membres.models import User, person_name

SORTS = {
    "titre": (_("Titre (A → Z)"), ("title", "pk")),
    "recent": (_("Modifiés récemment"), ("-updated_at", "-pk")),
    "ancien": (_("Modifiés il y a longtemps"), ("updated_at", "pk")),
    "dossier": (_("Dossier"), ("folder__name", "title", "pk")),
}
DEFAULT_SORT = "recent"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def folder_choices(folders: list[Folder]) -> list[tuple[str, str]]:
    return [(str(f.pk), f.name) for f in folders]


def author_choices(collectif) -> list[tuple[str, str]]:
    """Whoever uploaded a document of the collectif (one query)."""
    authors = (
        User.objects.filter(pk__in=Document.objects.filter(collectif=collectif).values("created_by_id"))
        .order_by("last_name", "first_name", "email")
        .values_list("pk", "first_name", "last_name", "email")
    )
    return [(str(pk), person_name(first, last, email)) for pk, first, last, email in authors]


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Nom"), method="filter_text")
    folder = django_filters.ChoiceFilter(label=_("Dossier"), field_name="folder_id", empty_label=_("Tous"))
    author = django_filters.ChoiceFilter(
        label=_("Déposé par"), field_name="created_by_id", empty_label=_("Tout le monde")
    )
    after = django_filters.DateFilter(
        label=_("Modifié depuis le"), field_name="updated_at", lookup_expr="date__gte", widget=DateInput()
    )
    before = django_filters.DateFilter(
        label=_("Modifié jusqu'au"), field_name="updated_at", lookup_expr="date__lte", widget=DateInput()
    )
    sort = django_filters.ChoiceFilter(
        label=_("Trier par"),
        method="filter_sort",
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        empty_label=None,
    )

    class Meta:
        model = Document
        fields: list[str] = []

    def __init__(self, *args, folders: list[tuple[str, str]] | None, authors: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        if folders is None:  # inside one folder: no folder filter
            del self.filters["folder"]
        else:
            self.filters["folder"].extra["choices"] = folders
        self.filters["author"].extra["choices"] = authors
        self.filters["q"].extra["widget"] = forms.TextInput(attrs={"type": "search"})
        self.filters["q"].extra["help_text"] = _("Titre du document ou nom du fichier.")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(current__original_name__icontains=value))

    def filter_sort(self, queryset, name, value):
        return queryset  # applied by `ordering()` after filtering

    def ordering(self) -> tuple[str, ...]:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return SORTS.get(data.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT])[1]
