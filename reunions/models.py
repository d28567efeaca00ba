from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collectifs.models import CollectifOwnedQuerySet, Institution
from core.storage import private_storage


class GroupeDeTachesQuerySet(CollectifOwnedQuerySet):
    pass


class GroupeDeTaches(models.Model):
    """A small group that prepares a file for a plénière over a few séances (seed 000)."""

    class Status(models.TextChoices):
        ACTIVE = "actif", _("Actif")
        DONE = "termine", _("Mandat rempli")
        STOPPED = "arrete", _("Arrêté")

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="groupes"
    )
    name = models.CharField(_("nom"), max_length=200)
    mandate = models.TextField(_("mandat"), help_text=_("Ce que le groupe prépare, et pour quelle plénière."))
    pilot = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pilote"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groupes_pilotes",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("membres"), blank=True, related_name="groupes_de_taches"
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = GroupeDeTachesQuerySet.as_manager()

    class Meta:
        verbose_name = _("groupe de tâches")
        verbose_name_plural = _("groupes de tâches")
        ordering = ["collectif", "name"]

    def __str__(self) -> str:
        return self.name


class ReunionQuerySet(CollectifOwnedQuerySet):
    def upcoming(self) -> ReunionQuerySet:
        return self.filter(starts_at__gte=timezone.now()).exclude(status=Reunion.Status.CANCELLED)

    def past(self) -> ReunionQuerySet:
        return self.filter(starts_at__lt=timezone.now())


class Reunion(models.Model):
    class Kind(models.TextChoices):
        PLENIERE = "pleniere", _("Plénière")
        SEANCE = "seance", _("Séance de groupe de tâches")
        ATELIER = "atelier", _("Atelier")
        COMITE_TECHNIQUE = "comite_technique", _("Comité technique")
        COMITE_PILOTAGE = "comite_pilotage", _("Comité de pilotage")

    class Status(models.TextChoices):
        TO_SCHEDULE = "a_planifier", _("À planifier")
        CONVENED = "convoquee", _("Convoquée")
        HELD = "tenue", _("Tenue")
        MINUTES_ADOPTED = "compte_rendu_adopte", _("Compte rendu adopté")
        CANCELLED = "annulee", _("Annulée")

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="reunions"
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.PLENIERE)
    title = models.CharField(_("titre"), max_length=200)
    theme = models.CharField(_("thème"), max_length=200, blank=True)
    groupe = models.ForeignKey(
        GroupeDeTaches,
        verbose_name=_("groupe de tâches"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seances",
    )
    starts_at = models.DateTimeField(_("début"), null=True, blank=True, help_text=_("Heure de Paris"))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    video_url = models.URLField(_("lien de visioconférence"), blank=True)
    status = models.CharField(_("statut"), max_length=30, choices=Status.choices, default=Status.TO_SCHEDULE)
    description = models.TextField(_("présentation"), blank=True)
    # Raised on every change sent to calendars (iCalendar SEQUENCE): clients replace the older version.
    sequence = models.PositiveIntegerField(_("version du calendrier"), default=0)
    secretary = models.ForeignKey(
        "membres.Membership",
        verbose_name=_("secrétaire de séance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminders_enabled = models.BooleanField(_("rappels activés"), default=True)
    reminder_offsets = models.JSONField(
        _("rappels (jours avant)"), null=True, blank=True, help_text=_("Vide : les réglages du collectif.")
    )
    reminder_note = models.TextField(_("mot de la coordination pour les rappels"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ReunionQuerySet.as_manager()

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["collectif", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reunions:detail", kwargs={"collectif_slug": self.collectif.slug, "pk": self.pk})

    @property
    def ical_uid(self) -> str:
        """Stable for the life of the reunion, so that updates and cancellations replace the same event."""
        return f"reunion-{self.pk}@perseverance-scolaire"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return bool(self.starts_at and self.starts_at < timezone.now())

    @property
    def has_begun_today_or_before(self) -> bool:
        """Attendance can be recorded from the day of the meeting on."""
        return bool(self.starts_at and timezone.localdate(self.starts_at) <= timezone.localdate())

    @property
    def where(self) -> str:
        return self.place or (str(_("En visioconférence")) if self.video_url else "")


class Decision(models.Model):
    """A decision recorded in the minutes of a reunion; it can open an action (actions.Action.origin)."""

    reunion = models.ForeignKey(Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("décision"))
    position = models.PositiveIntegerField(_("ordre"), default=0)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["reunion", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Invitation(models.Model):
    """A person invited to a reunion, through their membership (institution and niveau at that time), with their
    answer before the meeting and the attendance recorded after it. Attendance feeds the collectif's indicators.
    """

    class Response(models.TextChoices):
        PENDING = "invite", _("Invité")
        PRESENT = "present", _("Présent")
        EXCUSED = "excuse", _("Excusé")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Non renseigné")
        PRESENT = "present", _("Présent")
        EXCUSED = "excuse", _("Excusé")
        ABSENT = "absent", _("Absent")

    reunion = models.ForeignKey(
        Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="invitations"
    )
    membership = models.ForeignKey(
        "membres.Membership", verbose_name=_("membre"), on_delete=models.PROTECT, related_name="invitations"
    )
    response = models.CharField(_("réponse"), max_length=20, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    attendance = models.CharField(_("présence"), max_length=20, choices=Attendance.choices, blank=True, default="")
    # The last calendar version e-mailed to this person: a task that finds it already sent does nothing.
    sent_sequence = models.IntegerField(_("dernière version envoyée"), default=-1)
    created_at = models.DateTimeField(_("invité le"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["reunion", "membership"], name="invitation_one_per_membership")]

    def __str__(self) -> str:
        return f"{self.membership.display_name} — {self.reunion}"


# --- Added by the reunions app: settings, agenda, documents, reminders, polls, minutes, calendar feeds -------


class ReunionSettings(models.Model):
    """Per-collectif defaults for reunions: when reminders go out before a meeting (seed 000: 7 days and 1 day)."""

    collectif = models.OneToOneField(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.CASCADE, related_name="reunion_settings"
    )
    reminder_offsets = models.JSONField(_("rappels (jours avant)"), default=list)

    class Meta:
        verbose_name = _("réglages des réunions")
        verbose_name_plural = _("réglages des réunions")

    def __str__(self) -> str:
        return str(self.collectif)


DEFAULT_REMINDER_OFFSETS = [7, 1]


class AgendaItem(models.Model):
    reunion = models.ForeignKey(Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("point"), max_length=200)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), null=True, blank=True)
    presenter = models.CharField(_("présenté par"), max_length=150, blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")
        ordering = ["reunion", "position", "pk"]

    def __str__(self) -> str:
        return self.title


def document_upload_to(instance: Document, filename: str) -> str:
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"reunions/{instance.reunion_id}/{uuid.uuid4().hex}.{ext}"


class Document(models.Model):
    """A file attached to a reunion; stored outside the public media URL space, served by a view that checks access."""

    reunion = models.ForeignKey(Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    # Private storage (core.storage): served only by reunions.views.document_download, which checks access.
    file = models.FileField(_("fichier"), upload_to=document_upload_to, storage=private_storage)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille"), default=0)
    content_type = models.CharField(_("type"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["reunion", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ReminderDue(models.Model):
    """One reminder e-mail owed to one person for one reunion at one offset. Sent once: the unique constraint
    prevents a second row, the atomic claim (pending → sending) prevents two workers from sending the same row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        SKIPPED = "skipped", _("Sans objet")
        FAILED = "failed", _("Échec")

    reunion = models.ForeignKey(Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="reminders")
    membership = models.ForeignKey(
        "membres.Membership", verbose_name=_("membre"), on_delete=models.CASCADE, related_name="reunion_reminders"
    )
    offset_days = models.PositiveIntegerField(_("jours avant"))
    due_at = models.DateTimeField(_("à envoyer le"))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("rappel")
        verbose_name_plural = _("rappels")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reunion", "membership", "offset_days"], name="reminderdue_once_per_reunion_member_offset"
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"J-{self.offset_days} {self.reunion_id}/{self.membership_id}"


class DatePoll(models.Model):
    """Proposed slots for a reunion still to schedule; invitees answer, the coordinator picks one."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ouvert")
        CLOSED = "closed", _("Clos")

    reunion = models.OneToOneField(Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="poll")
    deadline = models.DateTimeField(_("date limite de réponse"))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.OPEN)
    chosen_slot = models.ForeignKey(
        "PollSlot",
        verbose_name=_("créneau retenu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nudged_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("sondage de date")
        verbose_name_plural = _("sondages de date")

    def __str__(self) -> str:
        return str(self.reunion)


class PollSlot(models.Model):
    poll = models.ForeignKey(DatePoll, verbose_name=_("sondage"), on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))

    class Meta:
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")
        ordering = ["poll", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.starts_at:%d/%m/%Y %H:%M}"


class PollVote(models.Model):
    class Answer(models.TextChoices):
        YES = "oui", _("Oui")
        MAYBE = "si_besoin", _("Si besoin")
        NO = "non", _("Non")

    slot = models.ForeignKey(PollSlot, verbose_name=_("créneau"), on_delete=models.CASCADE, related_name="votes")
    membership = models.ForeignKey(
        "membres.Membership", verbose_name=_("membre"), on_delete=models.CASCADE, related_name="poll_votes"
    )
    answer = models.CharField(_("réponse"), max_length=10, choices=Answer.choices)
    answered_at = models.DateTimeField(_("répondu le"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["slot", "membership"], name="pollvote_one_per_slot_member")]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.answer}"


class Minutes(models.Model):
    """The compte rendu of a reunion: drafted by the secretary, submitted to those present, then adopted."""

    class Status(models.TextChoices):
        DRAFT = "brouillon", _("Brouillon")
        SUBMITTED = "soumis", _("Soumis aux présents")
        ADOPTED = "adopte", _("Adopté")

    reunion = models.OneToOneField(
        Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="minutes"
    )
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    comment_days = models.PositiveIntegerField(_("jours pour commenter"), default=7)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    comments_until = models.DateTimeField(_("commentaires jusqu'au"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    secretary_reminded_at = models.DateTimeField(_("secrétaire relancé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("compte rendu")
        verbose_name_plural = _("comptes rendus")

    def __str__(self) -> str:
        return str(self.reunion)


class MinutesSection(models.Model):
    minutes = models.ForeignKey(
        Minutes, verbose_name=_("compte rendu"), on_delete=models.CASCADE, related_name="sections"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("point"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("section du compte rendu")
        verbose_name_plural = _("sections du compte rendu")
        ordering = ["minutes", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class MinutesVersion(models.Model):
    """An adopted version, frozen: its HTML is never edited again; a correction makes the next version."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("compte rendu"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("numéro"))
    html = models.TextField(_("texte adopté"))
    decisions = models.JSONField(_("décisions"), default=list)
    adopted_at = models.DateTimeField(_("adopté le"), default=timezone.now)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("adopté par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("version adoptée")
        verbose_name_plural = _("versions adoptées")
        ordering = ["minutes", "-number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="minutesversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}"


class MinutesComment(models.Model):
    minutes = models.ForeignKey(
        Minutes, verbose_name=_("compte rendu"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["minutes", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class CalendarToken(models.Model):
    """The secret of a person's private calendar feed, kept as its SHA-256 only: the address is shown once, when it
    is created, and a leaked database opens no feed. Revoking it makes the old URL answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton de calendrier")
        verbose_name_plural = _("jetons de calendrier")

    def __str__(self) -> str:
        return f"{self.user_id}"


class RegistrationPage(models.Model):
    """A reunion opened to people outside the collectif (an atelier, a forum, a plénière opened to partners): a public
    page under an unguessable address, with an optional closing date and capacity (beyond it: waiting list)."""

    reunion = models.OneToOneField(
        Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="registration_page"
    )
    public_id = models.SlugField(_("adresse publique"), max_length=32, unique=True)
    is_open = models.BooleanField(_("inscriptions ouvertes"), default=True)
    closes_at = models.DateTimeField(_("clôture des inscriptions"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    retention_months = models.PositiveIntegerField(
        _("conservation (mois après la réunion)"),
        default=12,
        help_text=_("Nom, e-mail et structure des inscrits sont effacés à la fin de cette période."),
    )
    created_at = models.DateTimeField(_("ouverte le"), auto_now_add=True)

    class Meta:
        verbose_name = _("page d'inscription")
        verbose_name_plural = _("pages d'inscription")

    def __str__(self) -> str:
        return str(self.reunion)

    def get_absolute_url(self) -> str:
        return reverse("reunions:register", kwargs={"public_id": self.public_id})

    @property
    def accepts(self) -> bool:
        """Open, not closed by date, the reunion neither cancelled nor started."""
        now = timezone.now()
        reunion = self.reunion
        return (
            self.is_open
            and not reunion.is_cancelled
            and not (self.closes_at and self.closes_at <= now)
            and not (reunion.starts_at and reunion.starts_at <= now)
        )


class RegistrationQuerySet(models.QuerySet):
    def holding_place(self) -> RegistrationQuerySet:
        """The registrations that take a place: confirmed (a pending e-mail does not hold a place)."""
        return self.filter(status=Registration.Status.CONFIRMED)

    def attending(self) -> RegistrationQuerySet:
        """Those expected or seen on the day: confirmed registrants and walk-ins, not yet erased."""
        return self.filter(status=Registration.Status.CONFIRMED, erased_at__isnull=True)


class Registration(models.Model):
    """A person registered for a reunion without an account (« inscription »). Name, e-mail and structure are
    erased at `erase_after` (the retention stated on the form); the row stays, so that counts by type stay true."""

    class Status(models.TextChoices):
        PENDING = "a_confirmer", _("E-mail à confirmer")
        CONFIRMED = "confirmee", _("Confirmée")
        WAITING = "liste_attente", _("Liste d'attente")
        CANCELLED = "annulee", _("Annulée")

    reunion = models.ForeignKey(
        Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.PENDING)
    name = models.CharField(_("nom et prénom"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    structure = models.CharField(_("structure"), max_length=200, blank=True)
    structure_kind = models.CharField(_("type de structure"), max_length=30, choices=Institution.Kind.choices)
    walk_in = models.BooleanField(_("venu sur place"), default=False)
    attended = models.BooleanField(_("présent"), null=True, blank=True)
    consented_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    erase_after = models.DateField(_("à effacer après le"), null=True, blank=True)
    erased_at = models.DateTimeField(_("effacée le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("inscrite le"), auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["reunion", "status"]), models.Index(fields=["erase_after"])]

    def __str__(self) -> str:
        return self.name


class Questionnaire(models.Model):
    """The short questionnaire sent to those present the day after a reunion: a few questions the organiser picks
    from a fixed catalogue (scores 1 to 5) and one free comment. Always anonymous: an answer (`Reponse`) has no link
    to the person nor to their invitation, and no time of its own."""

    class Question(models.TextChoices):
        QUALITE_ECHANGES = "qualite_echanges", _("Qualité des échanges")
        UTILITE_PRATIQUE = "utilite_pratique", _("Utilité pour ma pratique")
        ENVIE_POURSUIVRE = "envie_poursuivre", _("Envie de poursuivre")
        ORGANISATION = "organisation", _("Organisation de la rencontre")
        DIVERSITE = "diversite", _("Diversité des participants")

    reunion = models.OneToOneField(
        Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="questionnaire"
    )
    questions = models.JSONField(_("questions"), default=list)
    # Set when the first links leave; each link works until then.
    closes_at = models.DateTimeField(_("réponses jusqu'au"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return str(self.reunion)

    @property
    def question_labels(self) -> list[tuple[str, str]]:
        labels = dict(self.Question.choices)
        return [(code, str(labels[code])) for code in self.questions if code in labels]

    @property
    def is_closed(self) -> bool:
        return bool(self.closes_at and self.closes_at <= timezone.now())


class QuestionnaireInvite(models.Model):
    """The personal link of one person present (a member or a registrant) to a questionnaire. Sent once: the unique
    constraints prevent a second row, the atomic claim (pending → sent, rows locked) a second e-mail. Only the
    token's SHA-256 is kept. `used` says the link has served, with no time: nothing ties it to an answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyé")

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="invites"
    )
    membership = models.ForeignKey(
        "membres.Membership",
        verbose_name=_("membre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaire_invites",
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("inscription"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaire_invites",
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, blank=True, editable=False)
    used = models.BooleanField(_("a servi"), default=False)

    class Meta:
        verbose_name = _("lien de questionnaire")
        verbose_name_plural = _("liens de questionnaire")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "membership"],
                condition=models.Q(membership__isnull=False),
                name="questionnaireinvite_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "registration"],
                condition=models.Q(registration__isnull=False),
                name="questionnaireinvite_once_per_registration",
            ),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~models.Q(token_hash=""), name="questionnaireinvite_token_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(membership__isnull=True) ^ models.Q(registration__isnull=True),
                name="questionnaireinvite_member_or_registration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.membership_id or self.registration_id}"


class Reponse(models.Model):
    """One anonymous answer to a questionnaire: scores (question code → 1 to 5; a question left out has no key) and
    a comment. No link to the invite or the person, no date: the random primary key keeps even their order unknown."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="reponses"
    )
    scores = models.JSONField(_("notes"), default=dict)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("réponse au questionnaire")
        verbose_name_plural = _("réponses au questionnaire")
        ordering = ["questionnaire", "id"]

    def __str__(self) -> str:
        return str(self.questionnaire)
