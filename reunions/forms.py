from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from collectifs.models import Institution
from core.uploads import check_upload
from core.widgets import CheckboxList
from membres.models import Membership
from reunions.models import AgendaItem, GroupeDeTaches, Invitation, PollVote, Questionnaire, Reunion

NO_NAMES_NOTICE = _("N'y nommez aucun élève ni aucune famille : le compte rendu parle du travail du collectif.")


class DateTimeLocalInput(forms.DateTimeInput):
    """A native date-and-time picker; the value is read in Paris time (the site's time zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


PARIS_TIME = _("Heure de Paris.")


def _datetime_field(label, required=True, help_text=PARIS_TIME):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=help_text,
    )


def _membership_label(m: Membership) -> str:
    return f"{m.display_name} ({m.institution.name}, {m.function})"


class MembershipChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _membership_label(obj)


class SingleMembershipField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _membership_label(obj)


class ReunionForm(forms.ModelForm):
    starts_at = _datetime_field(_("Début"), required=False, help_text=_("Heure de Paris. Vide : date à trouver."))
    ends_at = _datetime_field(_("Fin"), required=False)
    secretary = SingleMembershipField(
        queryset=Membership.objects.none(), required=False, label=_("Secrétaire de séance")
    )

    class Meta:
        model = Reunion
        fields = ["kind", "title", "theme", "groupe", "starts_at", "ends_at", "place", "video_url", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, collectif, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groupe"].queryset = GroupeDeTaches.objects.filter(collectif=collectif)
        self.fields["secretary"].queryset = (
            Membership.objects.active()
            .filter(collectif=collectif, user__isnull=False)
            .exclude(role=Membership.Role.GUEST)
            .select_related("user", "institution")
        )
        self.fields["secretary"].initial = self.instance.secretary_id
        self.fields["description"].help_text = NO_NAMES_NOTICE

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if ends and not starts:
            self.add_error("starts_at", _("Indiquez le début avant la fin."))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("La fin doit suivre le début."))
        if data.get("kind") == Reunion.Kind.SEANCE and not data.get("groupe"):
            self.add_error("groupe", _("Une séance appartient à un groupe de tâches."))
        return data


class AudienceForm(forms.Form):
    AUDIENCES = [
        ("all", _("Tous les membres actifs du collectif")),
        ("groupe", _("Les membres d'un groupe de tâches")),
        ("named", _("Des personnes choisies")),
    ]
    audience = forms.ChoiceField(label=_("Qui inviter ?"), choices=AUDIENCES, widget=forms.RadioSelect, initial="all")
    groupe = forms.ModelChoiceField(queryset=GroupeDeTaches.objects.none(), required=False, label=_("Groupe"))
    memberships = MembershipChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        widget=CheckboxList,
        label=_("Personnes"),
    )

    def __init__(self, *args, collectif, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groupe"].queryset = GroupeDeTaches.objects.filter(collectif=collectif)
        self.fields["memberships"].queryset = (
            Membership.objects.active()
            .filter(collectif=collectif, user__isnull=False)
            .select_related("user", "institution")
        )

    def clean(self):
        data = super().clean()
        if data.get("audience") == "groupe" and not data.get("groupe"):
            self.add_error("groupe", _("Choisissez le groupe."))
        if data.get("audience") == "named" and not data.get("memberships"):
            self.add_error("memberships", _("Choisissez au moins une personne."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "duration_minutes", "presenter"]


# Meeting documents: office files and images (checked by core.uploads).
DOCUMENT_EXTENSIONS = (
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "doc",
    "xls",
    "ppt",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
)
MAX_DOCUMENT_SIZE = getattr(settings, "REUNIONS_MAX_DOCUMENT_SIZE", 10 * 1024 * 1024)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, traitement de texte, tableur, présentation ou image ; 10 Mo au plus."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content_type = check_upload(
            upload,
            allowed=DOCUMENT_EXTENSIONS,
            max_size=MAX_DOCUMENT_SIZE,
            refused_message=_("Ce type de fichier n'est pas accepté (PDF, bureautique ou image)."),
        )
        upload.checked_content_type = content_type
        return upload


class AttendanceForm(forms.Form):
    """One radio group per invited person, all on one page."""

    CHOICES = [c for c in Invitation.Attendance.choices if c[0]]

    REGISTRANT_CHOICES = [("present", _("Présent")), ("absent", _("Absent"))]

    def __init__(self, *args, invitations, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        self.registrations = list(registrations)
        for reg in self.registrations:
            initial = "" if reg.attended is None else ("present" if reg.attended else "absent")
            self.fields[f"reg_{reg.pk}"] = forms.ChoiceField(
                label=reg.name,
                choices=self.REGISTRANT_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=initial,
            )
        for inv in invitations:
            initial = inv.attendance or (Invitation.Attendance.EXCUSED if inv.response == "excuse" else "")
            self.fields[f"att_{inv.pk}"] = forms.ChoiceField(
                label=inv.membership.display_name,
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=initial,
            )

    def rows(self):
        for inv in self.invitations:
            yield inv, self[f"att_{inv.pk}"]

    def values(self) -> dict[int, str]:
        return {inv.pk: self.cleaned_data.get(f"att_{inv.pk}") or "" for inv in self.invitations}

    def registrant_rows(self):
        for reg in self.registrations:
            yield reg, self[f"reg_{reg.pk}"]

    def registrant_values(self) -> dict[int, bool | None]:
        """Registrant pk → present (True), absent (False), not said (None)."""
        values = {}
        for reg in self.registrations:
            value = self.cleaned_data.get(f"reg_{reg.pk}") or ""
            values[reg.pk] = None if not value else value == "present"
        return values


def parse_offsets(value: str) -> list[int]:
    offsets = []
    for part in value.replace(";", ",").split(","):
        part = part.strip().lower().rstrip("j").strip()
        if not part:
            continue
        if not part.isdigit() or not 0 < int(part) <= 60:
            raise forms.ValidationError(_("Indiquez des nombres de jours entre 1 et 60, séparés par des virgules."))
        offsets.append(int(part))
    return sorted(set(offsets), reverse=True)


class OffsetsField(forms.CharField):
    def to_python(self, value):
        return parse_offsets(super().to_python(value) or "")

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value


class ReminderSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Envoyer des rappels pour cette réunion"), required=False)
    offsets = OffsetsField(
        label=_("Rappels (jours avant)"),
        required=False,
        help_text=_("Par exemple « 7, 1 ». Vide : les réglages du collectif."),
    )
    note = forms.CharField(
        label=_("Mot de la coordination joint aux rappels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_NAMES_NOTICE,
    )


class CollectifSettingsForm(forms.Form):
    offsets = OffsetsField(
        label=_("Rappels par défaut (jours avant)"), help_text=_("Par exemple « 7, 1 » : une semaine et la veille.")
    )


class PollForm(AudienceForm):
    deadline = _datetime_field(_("Date limite de réponse"))

    def __init__(self, *args, slot_count: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_count = slot_count
        for i in range(1, slot_count + 1):
            self.fields[f"slot_{i}_start"] = _datetime_field(_("Début du créneau %(n)s") % {"n": i}, required=False)
            self.fields[f"slot_{i}_end"] = _datetime_field(_("Fin du créneau %(n)s") % {"n": i}, required=False)

    def slot_rows(self):
        for i in range(1, self.slot_count + 1):
            yield i, self[f"slot_{i}_start"], self[f"slot_{i}_end"]

    def clean(self):
        data = super().clean()
        slots = []
        for i in range(1, self.slot_count + 1):
            start, end = data.get(f"slot_{i}_start"), data.get(f"slot_{i}_end")
            if start and not end:
                self.add_error(f"slot_{i}_end", _("Indiquez la fin du créneau."))
            elif start and end:
                if end <= start:
                    self.add_error(f"slot_{i}_end", _("La fin doit suivre le début."))
                slots.append((start, end))
        if not 2 <= len(slots) <= 10:
            raise forms.ValidationError(_("Proposez de 2 à 10 créneaux."))
        deadline = data.get("deadline")
        if deadline and slots and deadline > min(s for s, _e in slots):
            self.add_error("deadline", _("La date limite doit précéder le premier créneau."))
        data["slots"] = slots
        return data


class VoteForm(forms.Form):
    def __init__(self, *args, slots, votes: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        for slot in slots:
            self.fields[f"slot_{slot.pk}"] = forms.ChoiceField(
                label=slot.starts_at,
                choices=PollVote.Answer.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=votes.get(slot.pk, ""),
            )

    def rows(self):
        for slot in self.slots:
            yield slot, self[f"slot_{slot.pk}"]

    def answers(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data[f"slot_{s.pk}"] for s in self.slots if self.cleaned_data.get(f"slot_{s.pk}")}


class MinutesForm(forms.Form):
    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"section_{section.pk}"] = forms.CharField(
                label=section.title,
                required=False,
                initial=section.body,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("Paragraphes, listes, liens, gras et italique (HTML simple). ") + str(NO_NAMES_NOTICE),
            )

    def rows(self):
        for section in self.sections:
            yield section, self[f"section_{section.pk}"]

    def bodies(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(f"section_{s.pk}", "") for s in self.sections}


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Décision"), widget=forms.Textarea(attrs={"rows": 2}), help_text=NO_NAMES_NOTICE)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 3}), help_text=NO_NAMES_NOTICE)


class SubmitMinutesForm(forms.Form):
    comment_days = forms.IntegerField(
        label=_("Jours laissés aux présents pour commenter"), min_value=1, max_value=60, initial=7
    )


class GroupeForm(forms.ModelForm):
    class Meta:
        model = GroupeDeTaches
        fields = ["name", "mandate", "pilot", "members", "status"]
        widgets = {"members": CheckboxList, "mandate": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, collectif, **kwargs):
        super().__init__(*args, **kwargs)
        from membres.models import User

        users = User.objects.filter(memberships__collectif=collectif, memberships__left_on__isnull=True).distinct()
        self.fields["pilot"].queryset = users
        self.fields["members"].queryset = users
        self.fields["mandate"].help_text = _("Ce que le groupe prépare, et pour quelle plénière. ") + str(
            NO_NAMES_NOTICE
        )


class RegistrationPageForm(forms.Form):
    """The organiser opens (or changes) the public registration page of a reunion."""

    closes_at = _datetime_field(
        _("Clôture des inscriptions"),
        required=False,
        help_text=_("Heure de Paris. Vide : jusqu'au début de la réunion."),
    )
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        required=False,
        min_value=1,
        help_text=_("Vide : sans limite. Au-delà, les personnes sont inscrites en liste d'attente."),
    )
    retention_months = forms.IntegerField(
        label=_("Conservation des données (mois après la réunion)"),
        min_value=1,
        max_value=36,
        initial=12,
        help_text=_(
            "Nom, e-mail et structure des inscrits sont effacés à la fin de cette période ; "
            "c'est écrit sur le formulaire."
        ),
    )


class RegistrationForm(forms.Form):
    """The public form: who registers, for which structure, and their consent to what is kept and how long. The
    `website` field is a honeypot, hidden from people (CSS) and labelled for screen readers to leave it empty."""

    name = forms.CharField(label=_("Nom et prénom"), max_length=150)
    email = forms.EmailField(label=_("Adresse e-mail"), help_text=_("Vous recevrez un lien pour la confirmer."))
    structure = forms.CharField(
        label=_("Structure"),
        max_length=200,
        help_text=_("Votre établissement, service ou association. Ne nommez aucun élève ni aucune famille."),
    )
    structure_kind = forms.ChoiceField(label=_("Type de structure"), choices=Institution.Kind.choices)
    consent = forms.BooleanField(label=_("J'accepte que ces informations soient conservées comme indiqué ci-dessus."))
    website = forms.CharField(
        label=_("Laissez ce champ vide"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class WalkInForm(forms.Form):
    """Someone who came without registering, added on the day."""

    name = forms.CharField(label=_("Nom et prénom"), max_length=150)
    structure = forms.CharField(label=_("Structure"), max_length=200, required=False)
    structure_kind = forms.ChoiceField(label=_("Type de structure"), choices=Institution.Kind.choices)
    email = forms.EmailField(
        label=_("Adresse e-mail (facultatif)"),
        required=False,
        help_text=_("Pour recevoir le questionnaire anonyme le lendemain, s'il y en a un."),
    )


class QuestionnaireForm(forms.Form):
    """The organiser picks the questions of the catalogue; the free comment is always asked."""

    questions = forms.MultipleChoiceField(
        label=_("Questions posées (notées de 1 à 5)"),
        choices=Questionnaire.Question.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une question.")},
        help_text=_("Un commentaire libre est toujours proposé en plus. Trois questions suffisent souvent."),
    )


SCORE_CHOICES = [
    ("1", _("1 — très insuffisant")),
    ("2", _("2 — insuffisant")),
    ("3", _("3 — moyen")),
    ("4", _("4 — bien")),
    ("5", _("5 — très bien")),
]


class ReponseForm(forms.Form):
    """What a participant answers: one radio group (fieldset and legend) per question, none compulsory, and a
    comment."""

    def __init__(self, *args, questions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = [code for code, _label in questions]
        for code, label in questions:
            self.fields[f"q_{code}"] = forms.ChoiceField(
                label=label, choices=SCORE_CHOICES, widget=forms.RadioSelect, required=False
            )
        self.fields["comment"] = forms.CharField(
            label=_("Commentaire libre (facultatif)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_(
                "Ce qui vous a été utile, ce qui manquait, une idée pour la suite. N'y nommez aucun élève ni "
                "aucune famille, ni vous-même si vous tenez à rester anonyme."
            ),
        )

    def scores(self) -> dict[str, int]:
        return {code: int(v) for code in self.codes if (v := self.cleaned_data.get(f"q_{code}"))}
