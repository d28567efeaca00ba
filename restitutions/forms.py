from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from restitutions.models import Cycle, CycleSession, FreeSection, Point, Restitution

NO_NAMES = _("N'écrivez le nom d'aucun élève ni d'aucune famille : une restitution parle du travail collectif.")
NO_NAMES_CYCLE = _("N'écrivez le nom d'aucun élève ni d'aucune famille : un cycle parle du travail collectif.")


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

    carry_over = forms.TypedMultipleChoiceField(
        label=_("Points de départ repris de l'atelier précédent"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les questions vives de l'atelier précédent du cycle : cochez celles que cet atelier reprend."),
    )

    def __init__(self, *args, collectif, **kwargs):
        super().__init__(*args, **kwargs)
        from reunions.models import Reunion

        self.fields["cycle"].queryset = Cycle.objects.for_collectif(collectif)
        self.fields["reunion"].queryset = Reunion.objects.filter(collectif=collectif, kind=Reunion.Kind.ATELIER)
        self.carry_over_source = self._carry_over()
        if self.carry_over_source is None:
            del self.fields["carry_over"]
        else:
            self.fields["carry_over"].choices = [(p.pk, p.text) for p in self.carry_over_source.points]

    def _chosen(self, name: str):
        """The cycle or atelier chosen (posted, else initial), among those the form offers; None otherwise."""
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        if value is None and not self.is_bound and self.instance.pk:
            value = getattr(self.instance, f"{name}_id")
        pk = getattr(value, "pk", value)
        if not str(pk or "").isdigit():
            return None
        return self.fields[name].queryset.filter(pk=pk).first()

    def _carry_over(self):
        """The questions vives of the previous atelier of the chosen cycle, minus those already taken."""
        from restitutions.cycles import carry_over_for

        cycle = self._chosen("cycle")
        if cycle is None:
            return None
        reunion = self._chosen("reunion")
        editing = self.instance if self.instance.pk else None
        source = carry_over_for(cycle, reunion_id=reunion.pk if reunion else None, restitution=editing)
        if source is not None and editing is not None:
            taken = set(editing.points.filter(section=Point.Section.QUESTIONS).values_list("text", flat=True))
            source.points = [p for p in source.points if p.text not in taken]
        return source if source is not None and source.points else None

    def chosen_carry_over(self) -> list[Point]:
        chosen = set(self.cleaned_data.get("carry_over") or [])
        return [p for p in self.carry_over_source.points if p.pk in chosen] if self.carry_over_source else []


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = [
            "name",
            "objectives",
            "commitments",
            "organisers",
            "partners",
            "organiser",
            "manager",
            "collectifs",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "commitments": forms.Textarea(attrs={"rows": 4}),
            "organisers": forms.SelectMultiple(attrs={"size": 6}),
            "partners": forms.SelectMultiple(attrs={"size": 6}),
            "collectifs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, collectif, **kwargs):
        super().__init__(*args, **kwargs)
        from collectifs.models import Institution
        from membres.models import User
        from restitutions.cycles import collectifs_of_departement

        self.collectif = collectif
        institutions = Institution.objects.order_by("name")
        multiple = _("Ctrl ou Cmd pour en choisir plusieurs.")
        self.fields["organisers"].queryset = institutions
        self.fields["organisers"].help_text = f"{self.fields['organisers'].help_text} {multiple}"
        self.fields["partners"].queryset = institutions
        self.fields["partners"].help_text = f"{self.fields['partners'].help_text} {multiple}"
        self.fields["manager"].queryset = User.objects.filter(is_crpv_editor=True, is_active=True).order_by(
            "last_name", "first_name", "email"
        )
        self.fields["manager"].help_text = _(
            "L'éditeur ou l'éditrice du centre de ressources qui pilote le cycle avec la coordination."
        )
        others = collectifs_of_departement(collectif)
        self.fields["collectifs"].queryset = others
        if not others:
            del self.fields["collectifs"]
        for name in ("objectives", "commitments"):
            self.fields[name].help_text = f"{self.fields[name].help_text} {NO_NAMES_CYCLE}"

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


class CycleSessionForm(forms.ModelForm):
    class Meta:
        model = CycleSession
        fields = ["number", "title", "planned_on", "precision", "collectif", "place", "reunion"]
        widgets = {"planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        from collectifs.models import Collectif
        from restitutions.cycles import atelier_choices

        self.cycle = cycle
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Vide : après le dernier atelier prévu.")
        self.fields["collectif"].queryset = Collectif.objects.filter(pk__in=cycle.all_collectif_ids()).order_by("name")
        self.fields["reunion"].queryset = atelier_choices(cycle, session=self.instance)
        self.fields["reunion"].label_from_instance = self._atelier_label

    @staticmethod
    def _atelier_label(reunion) -> str:
        from django.utils import formats, timezone

        when = formats.date_format(timezone.localtime(reunion.starts_at), "j F Y") if reunion.starts_at else ""
        return " — ".join(x for x in (reunion.title, when, reunion.collectif.name) if x)

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number is not None:
            others = self.cycle.sessions.filter(number=number)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(_("Le cycle a déjà un atelier n° %(number)s."), params={"number": number})
        return number


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
        self.fields["cycle"].queryset = Cycle.objects.for_collectif(collectif)
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
