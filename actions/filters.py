"""Filtering the action list. Choices are loaded in two queries (vocabularies; the collectif's institutions and
members) and validated without touching the database, so that the list stays within its query budget."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import CharField, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions import schoolyear
from actions.models import Action
from collectifs.models import Dispositif, Institution, Theme
from membres.models import Membership


@dataclass
class FilterChoices:
    themes: list[tuple[str, str]]
    dispositifs: list[tuple[str, str]]
    institutions: list[tuple[str, str]]
    referents: list[tuple[str, str]]


def load_choices(collectif) -> FilterChoices:
    """Themes and dispositifs in one query; institutions (of members or of actions) in a second; members in a
    third."""
    themes = Theme.objects.order_by().annotate(k=Value("t", output_field=CharField())).values_list("k", "slug", "name")
    dispositifs = (
        Dispositif.objects.order_by()
        .annotate(k=Value("d", output_field=CharField()), label=Coalesce(NullIf("acronym", Value("")), "name"))
        .values_list("k", "slug", "label")
    )
    vocab = list(themes.union(dispositifs, all=True))
    institutions = Institution.objects.filter(
        Q(pk__in=Membership.objects.filter(collectif=collectif).values("institution_id"))
        | Q(pk__in=Action.objects.filter(collectif=collectif).values("lead_institution_id"))
        | Q(
            pk__in=Action.partner_institutions.through.objects.filter(action__collectif=collectif).values(
                "institution_id"
            )
        )
    ).order_by("name")
    members = (
        Membership.objects.filter(collectif=collectif, user__isnull=False)
        .exclude(role=Membership.Role.GUEST)
        .values_list("user_id", "user__first_name", "user__last_name", "user__email")
        .order_by("user__last_name", "user__first_name")
        .distinct()
    )
    return FilterChoices(
        themes=sorted(((slug, name) for k, slug, name in vocab if k == "t"), key=lambda c: c[1].lower()),
        dispositifs=sorted(((slug, name) for k, slug, name in vocab if k == "d"), key=lambda c: c[1].lower()),
        institutions=[(str(pk), name) for pk, name in institutions.values_list("pk", "name")],
        referents=[(str(pk), f"{first} {last}".strip() or email) for pk, first, last, email in members],
    )


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Texte"), method="filter_text")
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=Action.Status.choices, empty_label=_("Tous"))
    theme = django_filters.ChoiceFilter(label=_("Thème"), field_name="themes__slug", empty_label=_("Tous"))
    dispositif = django_filters.ChoiceFilter(
        label=_("Dispositif"), field_name="dispositifs__slug", empty_label=_("Tous")
    )
    institution = django_filters.ChoiceFilter(
        label=_("Institution"), method="filter_institution", empty_label=_("Toutes")
    )
    referent = django_filters.ChoiceFilter(label=_("Référent"), method="filter_referent", empty_label=_("Tous"))
    period = django_filters.ChoiceFilter(label=_("Année scolaire"), method="filter_period", empty_label=_("Toutes"))

    class Meta:
        model = Action
        fields: list[str] = []

    def __init__(self, *args, choices: FilterChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["theme"].extra["choices"] = choices.themes
        self.filters["dispositif"].extra["choices"] = choices.dispositifs
        self.filters["institution"].extra["choices"] = choices.institutions
        self.filters["referent"].extra["choices"] = choices.referents
        self.filters["period"].extra["choices"] = [
            (schoolyear.label(y), schoolyear.label(y)) for y in schoolyear.recent_years(timezone.localdate())
        ]
        self.filters["q"].extra["widget"] = forms.TextInput(attrs={"type": "search"})

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(target_public__icontains=value)
        )

    def filter_institution(self, queryset, name, value):
        partners = Action.partner_institutions.through.objects.filter(institution_id=value).values("action_id")
        return queryset.filter(Q(lead_institution_id=value) | Q(pk__in=partners))

    def filter_referent(self, queryset, name, value):
        return queryset.filter(pk__in=Action.referents.through.objects.filter(user_id=value).values("action_id"))

    def filter_period(self, queryset, name, value):
        year = schoolyear.parse(value)
        if year is None:
            return queryset
        return queryset.active_during(*schoolyear.bounds(year))
