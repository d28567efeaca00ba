from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import Action, JournalEntry
from collectifs.models import Dispositif, Institution, Theme
from core.uploads import check_upload
from membres.models import Membership, User

NO_PUPIL_NOTICE = _(
    "N'écrivez le nom d'aucun élève ni d'aucune famille : ce journal parle du travail du collectif, "
    "pas des situations individuelles."
)

MAX_ATTACHMENT_SIZE = 5 * 1024 * 1024
# Journal attachments: documents, images and plain text (checked by core.uploads).
ALLOWED_ATTACHMENTS = ("pdf", "png", "jpg", "jpeg", "odt", "ods", "odp", "docx", "xlsx", "pptx", "txt", "csv")


class DescribedFieldsMixin:
    """Link each input to its help text and its errors (aria-describedby), as RGAA asks."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if self.errors.get(name):
                ids.append(f"{bound.auto_id}_errors")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActionForm(DescribedFieldsMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "status",
            "themes",
            "dispositifs",
            "lead_institution",
            "partner_institutions",
            "referents",
            "target_public",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "dispositifs": forms.CheckboxSelectMultiple,
            "partner_institutions": forms.SelectMultiple(attrs={"size": 6}),
            "referents": forms.SelectMultiple(attrs={"size": 6}),
            "starts_on": DateInput,
            "ends_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "description": NO_PUPIL_NOTICE,
            "referents": _("Les membres qui suivent l'action (Ctrl ou Cmd pour en choisir plusieurs)."),
            "partner_institutions": _("Ctrl ou Cmd pour en choisir plusieurs."),
        }

    def __init__(self, *args, collectif, with_status: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.collectif = collectif
        self.fields["themes"].queryset = Theme.objects.order_by("name")
        self.fields["dispositifs"].queryset = Dispositif.objects.order_by("name")
        institutions = Institution.objects.order_by("name")
        self.fields["lead_institution"].queryset = institutions
        self.fields["partner_institutions"].queryset = institutions
        self.fields["referents"].queryset = User.objects.filter(
            memberships__collectif=collectif,
            memberships__left_on__isnull=True,
            memberships__role__in=[Membership.Role.COORDINATOR, Membership.Role.MEMBER],
        ).order_by("last_name", "first_name")
        if with_status:
            self.fields["status"].choices = [c for c in Action.Status.choices if c[0] != Action.Status.ABANDONED]
        else:
            del self.fields["status"]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("La fin ne peut pas précéder le début."))
        return data


class StatusForm(DescribedFieldsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Nouveau statut"))
    reason = forms.CharField(
        label=_("Raison de l'abandon"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour abandonner une action."),
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Action.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in action.allowed_next_statuses()]

    def clean(self):
        data = super().clean()
        if data.get("status") == Action.Status.ABANDONED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez pourquoi l'action est abandonnée."))
        return data


class JournalEntryForm(DescribedFieldsMixin, forms.ModelForm):
    class Meta:
        model = JournalEntry
        fields = ["kind", "date", "text", "attachment"]
        widgets = {"date": DateInput, "text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "text": NO_PUPIL_NOTICE,
            "attachment": _("Facultatif. PDF, image, document bureautique ou texte ; 5 Mo au plus."),
        }

    def __init__(self, *args, with_attachment: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_attachment:
            del self.fields["attachment"]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload or not hasattr(upload, "content_type"):
            return upload
        check_upload(
            upload,
            allowed=ALLOWED_ATTACHMENTS,
            max_size=MAX_ATTACHMENT_SIZE,
            refused_message=_(
                "Ce type de fichier n'est pas accepté (PDF, images PNG ou JPEG, documents bureautiques, texte)."
            ),
        )
        return upload
