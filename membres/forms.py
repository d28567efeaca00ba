from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collectifs.models import Institution
from membres.models import Membership, Niveau, User

MAX_BULK_LINES = 100


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.all(),
        required=False,
        help_text=_("Choisissez l'institution, ou créez-la ci-dessous si elle n'est pas dans la liste."),
    )
    new_institution_name = forms.CharField(label=_("Nouvelle institution : nom"), max_length=200, required=False)
    new_institution_kind = forms.ChoiceField(
        label=_("Nouvelle institution : type"),
        choices=[("", "—"), *Institution.Kind.choices],
        required=False,
    )
    function = forms.CharField(
        label=_("Fonction"), max_length=120, help_text=_("Par exemple : Principal, CPE, éducatrice de prévention")
    )
    niveau = forms.ChoiceField(label=_("Niveau"), choices=Niveau.choices)
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        help_text=_("Les invités lisent sans écrire ; la coordination gère le collectif."),
    )

    def clean(self):
        data = super().clean()
        has_existing = bool(data.get("institution"))
        new_name = (data.get("new_institution_name") or "").strip()
        if has_existing and new_name:
            raise ValidationError(_("Choisissez une institution existante ou créez-en une, pas les deux."))
        if not has_existing and not new_name:
            self.add_error("institution", _("Choisissez l'institution de la personne (ou créez-la)."))
        if new_name and not data.get("new_institution_kind"):
            self.add_error("new_institution_kind", _("Indiquez le type de la nouvelle institution."))
        return data


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c))


NIVEAU_WORDS = {
    "terrain": Niveau.TERRAIN,
    "encadrement": Niveau.ENCADREMENT,
    "politique": Niveau.POLITIQUE,
    "decisionnel": Niveau.POLITIQUE,
    "politique/decisionnel": Niveau.POLITIQUE,
    "politique / decisionnel": Niveau.POLITIQUE,
}


@dataclass
class BulkLine:
    number: int
    raw: str
    email: str = ""
    institution: Institution | None = None
    function: str = ""
    niveau: str = ""
    error: str = ""


def parse_bulk_lines(text: str) -> list[BulkLine]:
    """Each non-empty line is `email; institution; function; niveau`; every line gets its own error, if any."""
    institutions = {_normalise(i.name): i for i in Institution.objects.all()}
    lines: list[BulkLine] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        line = BulkLine(number=number, raw=raw.strip())
        lines.append(line)
        parts = [p.strip() for p in raw.split(";")]
        if len(parts) != 4:
            line.error = str(_("4 champs attendus, séparés par « ; » : e-mail ; institution ; fonction ; niveau."))
            continue
        email, institution_name, function, niveau = parts
        try:
            validate_email(email)
        except ValidationError:
            line.error = str(_("« %(email)s » n'est pas une adresse e-mail valide.") % {"email": email})
            continue
        line.email = email.lower()
        if line.email in seen:
            line.error = str(_("Cette adresse apparaît déjà plus haut dans la liste."))
            continue
        seen.add(line.email)
        line.institution = institutions.get(_normalise(institution_name))
        if line.institution is None:
            line.error = str(
                _(
                    "Institution inconnue : « %(name)s ». Vérifiez l'orthographe, ou invitez cette personne avec "
                    "le formulaire individuel, qui permet de créer l'institution."
                )
                % {"name": institution_name}
            )
            continue
        if not function:
            line.error = str(_("La fonction manque."))
            continue
        if len(function) > 120:
            line.error = str(_("La fonction dépasse 120 caractères."))
            continue
        line.function = function
        line.niveau = NIVEAU_WORDS.get(_normalise(niveau), "")
        if not line.niveau:
            line.error = str(
                _("Niveau inconnu : « %(niveau)s » (terrain, encadrement ou politique).") % {"niveau": niveau}
            )
    return lines


class BulkInvitationForm(forms.Form):
    lines = forms.CharField(
        label=_("Une personne par ligne"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_(
            "Format : e-mail ; institution ; fonction ; niveau — par exemple "
            "« c.martin@exemple.org ; Collège Servenoble ; Assistante sociale ; terrain »."
            " 100 lignes au plus."
        ),
    )
    role = forms.ChoiceField(label=_("Rôle de ces personnes"), choices=Membership.Role.choices, initial="member")

    def clean_lines(self):
        text = self.cleaned_data["lines"]
        if len([line for line in text.splitlines() if line.strip()]) > MAX_BULK_LINES:
            raise ValidationError(_("Au plus %(n)d lignes à la fois.") % {"n": MAX_BULK_LINES})
        return text


class EndMembershipForm(forms.Form):
    left_on = forms.DateField(
        label=_("Date de départ"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def clean_left_on(self):
        left_on = self.cleaned_data["left_on"]
        if left_on > timezone.localdate():
            raise ValidationError(_("La date de départ ne peut pas être dans le futur."))
        return left_on


class HandoverForm(forms.Form):
    successor_email = forms.EmailField(
        label=_("Adresse e-mail de la personne qui succède"),
        help_text=_(
            "Si elle a déjà un compte, elle rejoint le collectif tout de suite ; sinon elle reçoit une invitation."
        ),
    )
    function = forms.CharField(label=_("Fonction"), max_length=120)
    niveau = forms.ChoiceField(label=_("Niveau"), choices=Niveau.choices)
    role = forms.ChoiceField(label=_("Rôle"), choices=Membership.Role.choices)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "phone",
            "notify_reunion_reminders",
            "notify_action_followups",
            "notify_fiche_reviews",
            "notify_discussions",
        ]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "notify_discussions": forms.RadioSelect,
        }
        labels = {"notify_discussions": _("Nouveaux messages des discussions que je suis, par e-mail")}
        help_texts = {
            "phone": _("Visible des membres de vos collectifs (pas des invités)."),
            "notify_discussions": _(
                "Vous suivez une discussion quand vous y écrivez, qu'on vous y mentionne ou que vous choisissez de "
                "la suivre. Le résumé part chaque matin vers 7 h."
            ),
        }


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Pour confirmer, saisissez votre adresse e-mail"),
        help_text=_("La suppression est définitive."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.strip().lower() != self.user.email.lower():
            raise ValidationError(_("Ce n'est pas l'adresse de votre compte."))
        return email
