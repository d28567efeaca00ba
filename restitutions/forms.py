from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from restitutions.models import Cycle, FreeSection, Point, Restitution

NO_NAMES = _("N'écrivez le nom d'aucun élève ni d'aucune famille : une restitution parle du travail collectif.")


# Django 5.2 links each field to its help text and errors (aria-describedby, aria-invalid) by itself.


class ParticipantsField(forms.CharField):
    """« Éducation nationale : 5 » per line ↔ [{"label": "Éducation nationale", "count": 5}]."""

    widget = forms.Textarea(attrs={"rows": 4})
    LINE = re.compile(r"^(?P<label>.+?)\s*[:=]\s*(?P<count>\d{1,4})\s*$")

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{row['label']} : {row['count']}" for row in value)
        return value

    def to_python(self, value):
        rows = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = self.LINE.match(line.strip())
            if not match:
                raise forms.ValidationError(
                    _("Ligne %(number)s : écrivez « type de structure : nombre », par exemple « Associations : 4 »."),
                    params={"number": number},
                )
            rows.append({"label": match["label"].strip()[:100], "count": int(match["count"])})
        return rows


class RestitutionForm(forms.ModelForm):
    participants = ParticipantsField(
        label=_("Participants par type de structure"),
        required=False,
        help_text=_("Une ligne par type de structure, par exemple « Éducation nationale : 5 »."),
    )

    class Meta:
        model = Restitution
        fields = [
            "title",
            "atelier_numbers",
            "theme",
            "held_on",
            "facilitators",
            "cycle",
            "reunion",
            "participants",
            "credits",
            "licence",
            "status",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "credits": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"reunion": _("La réunion de type atelier dont c'est la restitution, si elle existe.")}

    def __init__(self, *args, collectif, **kwargs):
        super().__init__(*args, **kwargs)
        from reunions.models import Reunion

        self.fields["cycle"].queryset = Cycle.objects.filter(collectif=collectif)
        self.fields["reunion"].queryset = Reunion.objects.filter(collectif=collectif, kind=Reunion.Kind.ATELIER)


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["name", "organiser", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, collectif, **kwargs):
        super().__init__(*args, **kwargs)
        self.collectif = collectif

    def clean_name(self):
        name = self.cleaned_data["name"]
        others = Cycle.objects.filter(collectif=self.collectif, name=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Ce collectif a déjà un cycle de ce nom."))
        return name

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin du cycle ne peut précéder son début."))
        return data


class PointForm(forms.Form):
    text = forms.CharField(label=_("Point"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class NewPointForm(PointForm):
    section = forms.ChoiceField(label=_("Liste"), choices=Point.Section.choices, widget=forms.HiddenInput)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class FreeSectionForm(forms.ModelForm):
    class Meta:
        model = FreeSection
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"body": _("Paragraphes et listes ; les liens et la mise en forme simple sont gardés.")}


# Bounds of a paste (issue #12): a restitution is a few pages (the seeds are under 3,000 characters). The review
# step has two fields a line, and Django refuses a form of more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000): so
# at most MAX_IMPORT_LINES lines, whose page stays light.
MAX_PASTE_CHARS = 30_000
MAX_IMPORT_LINES = 250
MAX_FREE_SECTIONS = 10


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("Texte de la restitution"),
        max_length=MAX_PASTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Collez le texte tel qu'il est écrit : un titre, puis les rubriques « État des lieux et constats », "
            "« Questions vives », « Points d'appui ou leviers », « Points d'achoppement ou obstacles », "
            "et un tiret devant chaque point."
        ),
    )

    def clean_text(self):
        from restitutions.parsing import parse_restitution

        text = self.cleaned_data["text"]
        parsed = parse_restitution(text)
        if len(parsed.lines) > MAX_IMPORT_LINES:
            raise forms.ValidationError(
                _(
                    "Ce texte compte %(count)s lignes ; un import en accepte au plus %(max)s. "
                    "Importez-le en plusieurs fois (par exemple un atelier à la fois)."
                ),
                params={"count": len(parsed.lines), "max": MAX_IMPORT_LINES},
            )
        if len(parsed.free_titles) > MAX_FREE_SECTIONS:
            raise forms.ValidationError(
                _("Ce texte compte %(count)s sections libres ; un import en accepte au plus %(max)s."),
                params={"count": len(parsed.free_titles), "max": MAX_FREE_SECTIONS},
            )
        self.parsed = parsed
        return text


UNPLACED = ""
IGNORE = "ignorer"


def line_choices(free_titles: list[str]) -> list[tuple[str, str]]:
    return [
        (UNPLACED, _("— à classer —")),
        *Point.Section.choices,
        *[(f"libre:{i}", _("Section libre : %(title)s") % {"title": title}) for i, title in enumerate(free_titles)],
        (IGNORE, _("Ne pas garder")),
    ]


class ReviewForm(forms.Form):
    """The review step of the import: title, and for each line its text and where it goes."""

    title = forms.CharField(label=_("Titre"), max_length=300)
    atelier_numbers = forms.CharField(label=_("Numéro(s) d'atelier"), max_length=30, required=False)
    cycle = forms.ModelChoiceField(label=_("Cycle d'ateliers"), queryset=Cycle.objects.none(), required=False)

    def __init__(self, *args, collectif, lines: int, free_titles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.filter(collectif=collectif)
        self.free_titles = free_titles
        self.line_count = lines
        choices = line_choices(free_titles)
        for i in range(lines):
            self.fields[f"line_{i}_text"] = forms.CharField(
                label=_("Ligne %(n)s") % {"n": i + 1},
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"line_{i}_section"] = forms.ChoiceField(
                label=_("Place de la ligne %(n)s") % {"n": i + 1}, choices=choices, required=False
            )
        for i in range(len(free_titles)):
            self.fields[f"free_{i}_title"] = forms.CharField(
                label=_("Titre de la section libre %(n)s") % {"n": i + 1}, max_length=200
            )

    def rows(self):
        return [(self[f"line_{i}_text"], self[f"line_{i}_section"]) for i in range(self.line_count)]

    def free_title_fields(self):
        return [self[f"free_{i}_title"] for i in range(len(self.free_titles))]

    def clean(self):
        data = super().clean()
        unplaced = [
            i + 1
            for i in range(self.line_count)
            if (data.get(f"line_{i}_text") or "").strip() and data.get(f"line_{i}_section", UNPLACED) == UNPLACED
        ]
        if unplaced:
            raise forms.ValidationError(
                _("Lignes à classer avant d'enregistrer : %(lines)s. Choisissez une liste ou « Ne pas garder »."),
                params={"lines": ", ".join(map(str, unplaced))},
            )
        from restitutions.services import MAX_POINTS

        placed = len(self.points())
        if placed > MAX_POINTS:
            raise forms.ValidationError(
                _(
                    "Une restitution compte au plus %(max)s points ; %(count)s lignes sont placées dans les quatre "
                    "listes. Choisissez « Ne pas garder » pour certaines, ou importez le texte en plusieurs fois."
                ),
                params={"max": MAX_POINTS, "count": placed},
            )
        return data

    def points(self) -> list[tuple[str, str]]:
        out = []
        for i in range(self.line_count):
            text = (self.cleaned_data.get(f"line_{i}_text") or "").strip()
            section = self.cleaned_data.get(f"line_{i}_section")
            if f"line_{i}_text" in self.errors:
                continue
            if text and section in Point.Section.values:
                out.append((section, text))
        return out

    def free_sections(self):
        from restitutions.services import ImportedSection

        sections = []
        for n in range(len(self.free_titles)):
            lines = [
                (self.cleaned_data.get(f"line_{i}_text") or "").strip()
                for i in range(self.line_count)
                if self.cleaned_data.get(f"line_{i}_section") == f"libre:{n}"
            ]
            sections.append(ImportedSection(title=self.cleaned_data[f"free_{n}_title"], lines=[x for x in lines if x]))
        return sections
