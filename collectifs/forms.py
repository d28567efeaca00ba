from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collectifs.models import CharteVersion, Institution


class CharteForm(forms.Form):
    text = forms.CharField(
        label=_("Texte de la charte"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Séparez les paragraphes par une ligne vide. Chaque enregistrement crée une nouvelle version."),
    )


class CharteAdoptionForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Version adoptée"), queryset=CharteVersion.objects.none(), empty_label=None
    )
    adopted_on = forms.DateField(
        label=_("Date d'adoption"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    institutions = forms.ModelMultipleChoiceField(
        label=_("Institutions signataires"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, collectif, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = CharteVersion.objects.filter(collectif=collectif).order_by("-number")
        self.fields["version"].label_from_instance = lambda v: (
            _("Version %(n)d du %(date)s")
            % {
                "n": v.number,
                "date": timezone.localtime(v.created_at).strftime("%d/%m/%Y"),
            }
        )
        self.fields["institutions"].queryset = Institution.objects.filter(
            memberships__collectif=collectif, memberships__left_on__isnull=True
        ).distinct()

    def clean_adopted_on(self):
        adopted_on = self.cleaned_data["adopted_on"]
        if adopted_on > timezone.localdate():
            raise forms.ValidationError(_("La date d'adoption ne peut pas être dans le futur."))
        return adopted_on


class AcademieForm(forms.Form):
    academie = forms.ChoiceField(
        label=_("Académie"),
        required=False,
        help_text=_("Elle donne la zone des vacances scolaires. Vide : l'académie du territoire du collectif."),
    )

    def __init__(self, *args, **kwargs):
        from collectifs.academies import ACADEMIE_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["academie"].choices = [("", _("Celle du territoire")), *ACADEMIE_CHOICES]


class PeriodeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"))
    label = forms.CharField(
        label=_("Intitulé"),
        max_length=150,
        required=False,
        help_text=_("Par exemple « Conseils de classe du 1er trimestre ». Vide : le type."),
    )
    starts_on = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        from collectifs.models import PeriodeAEviter

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PeriodeAEviter.Kind.choices

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin doit suivre le début."))
        return data
