from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from collectifs.models import Institution
from membres.models import Membership, Niveau


class DirectoryFilter(django_filters.FilterSet):
    """Filters of a collectif's directory; by default only the current members are listed."""

    STATUS_CHOICES = [("active", _("Membres actuels")), ("former", _("Anciens membres")), ("all", _("Tous"))]

    q = django_filters.CharFilter(label=_("Nom, fonction ou institution"), method="filter_q", max_length=200)
    niveau = django_filters.ChoiceFilter(label=_("Niveau"), choices=Niveau.choices, empty_label=_("Tous"))
    institution_kind = django_filters.ChoiceFilter(
        label=_("Type d'institution"),
        field_name="institution__kind",
        choices=Institution.Kind.choices,
        empty_label=_("Tous"),
    )
    role = django_filters.ChoiceFilter(label=_("Rôle"), choices=Membership.Role.choices, empty_label=_("Tous"))
    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )

    class Meta:
        model = Membership
        fields = ["q", "niveau", "institution_kind", "role", "status"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = "active"
        super().__init__(data, *args, **kwargs)

    # Each word adds a join of four conditions: a pasted page of words would take the database minutes.
    MAX_WORDS = 8

    def filter_q(self, queryset, name, value):
        for word in value.split()[: self.MAX_WORDS]:
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(function__icontains=word)
                | Q(institution__name__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.active()
        if value == "former":
            return queryset.former()
        return queryset
