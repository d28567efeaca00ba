"""Exports of the (filtered) action list: CSV in UTF-8 with a BOM and `;` so that Excel opens it in French,
and ODS (odfpy) for LibreOffice."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Aggregate, CharField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.urls import reverse

from actions.models import Action
from core import exports as core_exports

HEADERS = [
    "Titre",
    "Statut",
    "Thèmes",
    "Dispositifs",
    "Institution porteuse",
    "Institutions partenaires",
    "Référents",
    "Public visé",
    "Début",
    "Fin",
    "Raison de l'abandon",
    "Décision d'origine",
    "Lien",
]


SEPARATOR = "\x1f"  # ASCII unit separator: never typed in a name


class JoinedText(Aggregate):
    """string_agg on PostgreSQL, group_concat on SQLite (the embedded database of `make run`)."""

    function = "STRING_AGG"
    template = f"%(function)s(%(expressions)s, '{SEPARATOR}')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _names(through_qs, expression):
    """One correlated subquery per listed row: the related names joined in one string."""
    return Subquery(
        through_qs.filter(action_id=OuterRef("pk"))
        .annotate(n=expression)
        .order_by()
        .values("action_id")
        .annotate(joined=JoinedText("n"))
        .values("joined")
    )


def split_names(joined: str | None) -> list[str]:
    return sorted((n.strip() for n in joined.split(SEPARATOR)), key=str.lower) if joined else []


def with_names(queryset):
    """Annotate theme, dispositif, partner and referent names (split them with `split_names`)."""
    return queryset.annotate(
        theme_names=_names(Action.themes.through.objects, Coalesce("theme__name", Value(""))),
        dispositif_names=_names(
            Action.dispositifs.through.objects, Coalesce(NullIf("dispositif__acronym", Value("")), "dispositif__name")
        ),
        partner_names=_names(Action.partner_institutions.through.objects, Coalesce("institution__name", Value(""))),
        referent_names=_names(
            Action.referents.through.objects,
            Concat("user__first_name", Value(" "), "user__last_name", output_field=CharField()),
        ),
    )


def rows(queryset, collectif) -> list[list[str]]:
    statuses = dict(Action.Status.choices)
    data = with_names(queryset).select_related("lead_institution", "origin__reunion").order_by("title", "pk")
    out = []
    for a in data:
        url = settings.SITE_URL + reverse("actions:detail", kwargs={"collectif_slug": collectif.slug, "pk": a.pk})
        origin = f"{a.origin.reunion.title} : {a.origin.text[:120]}" if a.origin_id else ""
        out.append(
            [
                a.title,
                str(statuses[a.status]),
                ", ".join(split_names(a.theme_names)),
                ", ".join(split_names(a.dispositif_names)),
                a.lead_institution.name if a.lead_institution_id else "",
                ", ".join(split_names(a.partner_names)),
                ", ".join(split_names(a.referent_names)),
                a.target_public,
                a.starts_on.isoformat() if a.starts_on else "",
                a.ends_on.isoformat() if a.ends_on else "",
                a.abandon_reason,
                origin,
                url,
            ]
        )
    return out


def to_csv(table: list[list], headers: list[str] | None = None) -> bytes:
    return core_exports.to_csv(table, headers)


def to_ods(table: list[list], headers: list[str], sheet_name: str = "Actions") -> bytes:
    return core_exports.to_ods(table, headers, sheet_name)
