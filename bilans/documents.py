"""The annual bilan as documents: a PDF/UA (WeasyPrint through core.pdf.render_pdf), with a table of contents and
charts, and an editable OpenDocument text (odfpy) that coordinators complete before sending it.

Both are built from the same `Bilan` and its `sections()`, so they hold the same figures.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions import indicators
from bilans.data import Bilan
from core.pdf import render_pdf

NO_QUESTIONNAIRE = gettext_lazy(
    "Aucun questionnaire n'a été envoyé aux participants des réunions de cette année scolaire : les résultats de "
    "questionnaires (qualité des échanges, satisfaction des participants) n'y figurent donc pas."
)


def questionnaire_intro(bilan: Bilan) -> str:
    """One sentence on the year's questionnaires, or why there are no results."""
    totals = bilan.questionnaire_totals
    if not totals:
        return str(NO_QUESTIONNAIRE)
    return _(
        "%(answers)s réponse(s) anonyme(s) sur %(asked)s personne(s) sollicitée(s), aux questionnaires envoyés le "
        "lendemain de %(n)s réunion(s). Notes de 1 (très insuffisant) à 5 (très bien)."
    ) % {"answers": totals["answers"], "asked": totals["asked"], "n": totals["questionnaires"]}


def mean_text(mean: float | None) -> str:
    return "—" if mean is None else number_format(mean, 1)


def tables(bilan: Bilan) -> dict[str, tuple[list[str], list[list]]]:
    """Every table of the bilan: (header, rows). The PDF and the ODT print exactly these."""
    ind = bilan.indicators
    return {
        "members": (
            [_("Niveau"), _("Membres"), _("Institutions")],
            [[label, n, i] for label, n, i in bilan.members_by_niveau]
            + [[_("Total"), bilan.members, bilan.member_institutions]],
        ),
        "reunions": (
            [_("Date"), _("Réunion"), _("Type"), _("Présents"), _("Taux de présence"), _("Institutions")],
            [
                [
                    f"{timezone.localtime(r.starts_at):%d/%m/%Y}",
                    r.title,
                    r.kind_label,
                    r.present,
                    "—" if r.attendance_rate is None else f"{r.attendance_rate} %",
                    r.institutions,
                ]
                for r in ind.reunions
            ],
        ),
        "by_kind": ([_("Type de réunion"), _("Réunions tenues")], [[label, n] for label, n in ind.by_kind]),
        "niveaux": (
            [_("Niveau"), _("Présences"), _("Réunions où le niveau était présent")],
            [[label, p, n] for label, p, n in ind.presences_by_niveau],
        ),
        "institutions": (
            [_("Type d'institution"), _("Institutions présentes")],
            [[label, n] for label, n in ind.institutions_by_kind],
        ),
        "actions_by_status": ([_("Statut"), _("Actions")], [[label, n] for label, n in ind.actions_by_status]),
        "actions_by_theme": ([_("Thème"), _("Actions")], [[label, n] for label, n in ind.actions_by_theme]),
        "actions": (
            [_("Action"), _("Statut"), _("Portée par"), _("Thèmes"), _("Résultats notés dans l'année")],
            [[a["title"], a["status"], a["lead"], a["themes"], " ; ".join(a["results"])] for a in bilan.actions],
        ),
        "decisions": (
            [_("Date"), _("Réunion"), _("Décision")],
            [[d["date"], d["reunion"], d["text"]] for d in bilan.decisions],
        ),
        "restitutions": (
            [_("Restitution"), _("Cycle"), _("Date"), _("Points"), _("Statut")],
            [[r["title"], r["cycle"], r["held_on"], r["points"], r["status"]] for r in bilan.restitutions],
        ),
        "fiches": ([_("Fiche expérience"), _("Statut")], [[f["title"], f["status"]] for f in bilan.fiches]),
        "questionnaires": (
            [_("Question"), _("Réponses"), _("Moyenne sur 5")],
            [[q["question"], q["answers"], mean_text(q["mean"])] for q in bilan.questionnaires],
        ),
    }


def summary(bilan: Bilan) -> list[tuple[str, str]]:
    """The key figures, in the words of the indicators page."""
    ind = bilan.indicators
    return [
        (_("Membres au cours de l'année"), str(bilan.members)),
        (_("Institutions membres"), str(bilan.member_institutions)),
        (_("Réunions tenues"), str(ind.reunions_held)),
        (_("Présences"), str(ind.present)),
        (_("Taux de présence"), "—" if ind.attendance_rate is None else f"{ind.attendance_rate} %"),
        (_("Institutions présentes"), str(ind.institutions)),
        (_("Niveaux présents"), str(ind.niveaux)),
        (_("Actions en cours dans l'année"), str(len(bilan.actions))),
        (_("Décisions prises"), str(len(bilan.decisions))),
        (_("Restitutions d'ateliers"), str(len(bilan.restitutions))),
        (_("Fiches expérience"), str(len(bilan.fiches))),
        (_("Réponses aux questionnaires des participants"), str(bilan.questionnaire_totals.get("answers", 0))),
    ]


# The sections, in order: (anchor, heading). The PDF's table of contents and the ODT's headings follow it.
SECTIONS = [
    ("synthese", gettext_lazy("Synthèse")),
    ("membres", gettext_lazy("Membres et institutions par niveau")),
    ("reunions", gettext_lazy("Réunions tenues et présence")),
    ("diversite", gettext_lazy("Diversité des institutions")),
    ("actions", gettext_lazy("Actions")),
    ("decisions", gettext_lazy("Décisions prises")),
    ("productions", gettext_lazy("Restitutions et fiches produites")),
    ("questionnaires", gettext_lazy("Résultats des questionnaires")),
]


def render_bilan_pdf(bilan: Bilan) -> bytes:
    ind = bilan.indicators
    kinds_max = max((n for _l, n in ind.by_kind), default=0)
    return render_pdf(
        "bilans/pdf.html",
        {
            "bilan": bilan,
            "sections": SECTIONS,
            "summary": summary(bilan),
            "tables": tables(bilan),
            "questionnaire_intro": questionnaire_intro(bilan),
            "chart_questionnaires": indicators.bar_chart(
                [(q["question"], q["mean"]) for q in bilan.questionnaires], maximum=5
            ),
            "chart_niveaux": indicators.bar_chart([(label, n) for label, n, _i in bilan.members_by_niveau]),
            "chart_kinds": indicators.bar_chart(ind.by_kind, maximum=kinds_max or 1),
            "chart_attendance": indicators.bar_chart(
                [(r.title, r.attendance_rate) for r in ind.reunions], unit=" %", maximum=100
            ),
            "chart_institutions": indicators.bar_chart(ind.institutions_by_kind),
            "chart_status": indicators.bar_chart(ind.actions_by_status),
            "generated_on": timezone.localdate(),
        },
        title=bilan.title,
        lang="fr",
    )


def render_bilan_odt(bilan: Bilan) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.meta.addElement(_meta_title(bilan.title))
    bold = Style(name="Gras", family="paragraph")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    for level, size in ((1, "20pt"), (2, "15pt")):
        style = Style(name=f"Heading_20_{level}", displayname=f"Heading {level}", family="paragraph")
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        style.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
        doc.styles.addElement(style)
    column = Style(name="Colonne", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="4cm"))
    doc.automaticstyles.addElement(column)

    def heading(level: int, text: str) -> None:
        doc.text.addElement(H(outlinelevel=level, stylename=f"Heading_20_{level}", text=text))

    def para(text: str, style=None) -> None:
        doc.text.addElement(P(text=text, stylename=style) if style else P(text=text))

    def table(name: str, header: list[str], rows: list[list]) -> None:
        if not rows:
            para(_("Aucune donnée pour cette année."))
            return
        t = Table(name=name)
        for _h in header:
            t.addElement(TableColumn(stylename=column))
        for cells, style in [(header, bold)] + [(row, None) for row in rows]:
            tr = TableRow()
            for value in cells:
                kwargs = {"valuetype": "float", "value": value} if isinstance(value, int) else {"valuetype": "string"}
                cell = TableCell(**kwargs)
                cell.addElement(P(text=str(value), stylename=style) if style else P(text=str(value)))
                tr.addElement(cell)
            t.addElement(tr)
        doc.text.addElement(t)

    t = tables(bilan)
    heading(1, bilan.title)
    para(_("Collectif : %(name)s. Année scolaire %(label)s.") % {"name": bilan.collectif.name, "label": bilan.label})
    headings = dict(SECTIONS)
    heading(2, headings["synthese"])
    table("synthese", [_("Indicateur"), _("Valeur")], [[label, value] for label, value in summary(bilan)])
    heading(2, headings["membres"])
    table("membres", *t["members"])
    heading(2, headings["reunions"])
    table("reunions_par_type", *t["by_kind"])
    table("reunions", *t["reunions"])
    table("presences_par_niveau", *t["niveaux"])
    heading(2, headings["diversite"])
    table("institutions", *t["institutions"])
    heading(2, headings["actions"])
    table("actions_par_statut", *t["actions_by_status"])
    table("actions_par_theme", *t["actions_by_theme"])
    table("actions", *t["actions"])
    heading(2, headings["decisions"])
    table("decisions", *t["decisions"])
    heading(2, headings["productions"])
    table("restitutions", *t["restitutions"])
    table("fiches", *t["fiches"])
    heading(2, headings["questionnaires"])
    para(questionnaire_intro(bilan))
    if bilan.questionnaires:
        table("questionnaires", *t["questionnaires"])
    heading(2, _("Annexe : les chiffres de la page « Indicateurs »"))
    para(_("Les mêmes lignes que l'export CSV de la page « Indicateurs » pour cette année scolaire."))
    table("indicateurs", [_("Indicateur"), _("Détail"), _("Valeur")], indicators.csv_rows(bilan.indicators))
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def _meta_title(title: str):
    from odf.dc import Title

    return Title(text=title)
