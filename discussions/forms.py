"""Forms of the discussions: a new thread, a message, an edit. The text is limited HTML (paragraphs, lists, links,
bold, italic; anything else is removed) or plain text; people can be mentioned by writing « @Prénom Nom » or by
ticking their names."""

from __future__ import annotations

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from core.widgets import CheckboxList
from discussions import mentions
from discussions.text import body_clean, has_text, html_to_text

BODY_HELP = _(
    "Paragraphes, listes, liens, gras et italique. Pour mentionner une personne, écrivez @ suivi de son prénom et "
    "de son nom (par exemple @Nadia Haddad) ou cochez son nom ci-dessous : elle suivra la discussion et recevra "
    "votre message."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked like a document of the space."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "rich-text"}),
        help_text=BODY_HELP,
    )
    mentions = forms.TypedMultipleChoiceField(
        label=_("Prévenir aussi"),
        required=False,
        coerce=int,
        widget=CheckboxList,
        help_text=_("Les personnes cochées sont mentionnées à la fin du message."),
    )
    attachments = MultipleFileField(
        label=_("Pièces jointes"),
        required=False,
        help_text=_(
            "Facultatif. PDF, bureautique ou image ; chaque fichier rejoint l'espace documentaire du collectif."
        ),
    )

    def __init__(self, *args, people: list[mentions.Person], with_attachments: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {p.user_id: p for p in people}
        self.fields["mentions"].choices = [(p.user_id, p.name) for p in people]
        if not people:
            del self.fields["mentions"]
        if not with_attachments:
            del self.fields["attachments"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not has_text(body_clean(body)):
            raise forms.ValidationError(_("Le message est vide."))
        return body

    def clean_attachments(self):
        from documents.uploads import check_document_upload

        files = self.cleaned_data.get("attachments") or []
        if len(files) > 5:
            raise forms.ValidationError(_("Cinq fichiers au plus par message."))
        for upload in files:
            check_document_upload(upload)
        return files

    def body_html(self) -> str:
        """The text with the ticked people mentioned at its end (those not already mentioned in it)."""
        body = body_clean(self.cleaned_data["body"])
        ticked = [self.people[pk] for pk in self.cleaned_data.get("mentions") or [] if pk in self.people]
        already = mentions.mentioned_in(html_to_text(body), ticked)
        added = [p for p in ticked if p.user_id not in already]
        if added:
            body += "<p>" + " ".join(escape(mentions.mention_text(p.name)) for p in added) + "</p>"
        return body


class ThreadForm(MessageForm):
    title = forms.CharField(
        label=_("Sujet"), max_length=200, help_text=_("Une phrase courte qui dit de quoi on parle.")
    )

    field_order = ["title", "body", "mentions", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Premier message")


class MessageEditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "rich-text"}),
        help_text=_("Paragraphes, listes, liens, gras et italique."),
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not has_text(body_clean(body)):
            raise forms.ValidationError(_("Le message est vide."))
        return body
