from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.uploads import check_document_upload

NO_NAMES_NOTICE = _("Aucun document ne doit nommer un élève ou une famille : l'espace sert au travail du collectif.")
FILE_HELP = _("PDF, traitement de texte, tableur, présentation ou image ; 10 Mo au plus.")


class _FileMixin:
    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_document_upload(upload)
        return upload


class DocumentUploadForm(_FileMixin, forms.Form):
    file = forms.FileField(label=_("Fichier"), help_text=FILE_HELP)
    title = forms.CharField(label=_("Titre"), max_length=200, required=False, help_text=_("Vide : le nom du fichier."))
    note = forms.CharField(
        label=_("Note de version"),
        max_length=300,
        required=False,
        help_text=_("Facultatif : ce que contient ce document."),
    )


class VersionForm(_FileMixin, forms.Form):
    file = forms.FileField(label=_("Nouvelle version"), help_text=FILE_HELP)
    note = forms.CharField(
        label=_("Ce qui change"),
        max_length=300,
        required=False,
        help_text=_("Une courte note, par exemple « relu par le groupe, chiffres 2025 ajoutés »."),
    )


class RenameForm(forms.Form):
    title = forms.CharField(label=_("Nouveau titre"), max_length=200)


class MoveForm(forms.Form):
    folder = forms.ModelChoiceField(queryset=None, label=_("Dossier"), empty_label=None)

    def __init__(self, *args, folders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].queryset = folders


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Nom du dossier"), max_length=200)
