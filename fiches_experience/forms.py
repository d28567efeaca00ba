from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from collectifs.models import Collectif, Dispositif, Territoire, Theme
from fiches_experience.models import FicheExperience

NO_NAMES = _("N'y nommez aucun élève ni aucune famille : la fiche est publique.")


class AccessibleFormMixin:
    """Help texts and errors are tied to their field with aria-describedby."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, bound in self.fields.items():
            ids = []
            if bound.help_text:
                ids.append(f"id_{name}_helptext")
            if ids:
                bound.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(
                    filter(None, [f"id_{name}_helptext" if self.fields[name].help_text else "", f"id_{name}_error"])
                )
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class FicheForm(AccessibleFormMixin, forms.ModelForm):
    territoire = forms.ModelChoiceField(
        Territoire.objects.all(), required=False, label=_("Territoire"), help_text=_("Région, département ou commune.")
    )
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.all(), required=False, label=_("Thèmes"), widget=forms.CheckboxSelectMultiple
    )
    dispositifs = forms.ModelMultipleChoiceField(
        Dispositif.objects.all(), required=False, label=_("Dispositifs"), widget=forms.CheckboxSelectMultiple
    )
    collectif = forms.ModelChoiceField(Collectif.objects.all(), required=False, label=_("Collectif d'origine"))

    class Meta:
        model = FicheExperience
        fields = [
            "gabarit",
            "title",
            "territoire",
            "themes",
            "dispositifs",
            "public_cible",
            "structure_porteuse",
            "annees",
            "licence",
            "collectif",
        ]

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["gabarit"]
        self.fields["title"].help_text = NO_NAMES


class SectionForm(AccessibleFormMixin, forms.Form):
    html = forms.CharField(
        label=_("Contenu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Paragraphes <p>, listes <ul>/<ol> et <li>, liens <a href>, <strong> et <em> ; tout autre balisage est "
            "retiré. Une ligne vide sépare deux paragraphes. N'y nommez aucun élève ni aucune famille."
        ),
    )


class ImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_(
            "Fiche Word (.docx), OpenDocument (.odt) ou export texte (.txt, une ligne « rubrique<TAB>contenu » par "
            "section), 5 Mo au plus."
        ),
    )
    title = forms.CharField(
        label=_("Titre"), required=False, max_length=250, help_text=_("Pour une fiche au gabarit court (sans titre).")
    )
    territoire = forms.CharField(
        label=_("Territoire"), required=False, max_length=150, help_text=_("Pour une fiche au gabarit court.")
    )
    dry_run = forms.BooleanField(label=_("Analyser seulement, sans rien enregistrer"), required=False)

    def clean_file(self):
        """Size first (a clear message, the other fields kept), then the type and the content, read once here: the
        view gets the text in the importer's format (`document_text`)."""
        from fiches_experience.documents import DocumentError, document_text, max_bytes, size_message

        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(size_message(upload.size))
        try:
            self.text = document_text(upload.name, upload.read())
        except DocumentError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
