from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def person_name(first_name: str, last_name: str, email: str) -> str:
    """How a person is named on every page (`str(user)`): the full name, or the e-mail without one. Also for rows
    read as plain values, without the User."""
    return f"{first_name} {last_name}".strip() or email


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The email address is the login; there is no username."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # Platform-wide role of the resource centres' staff: they write fiches and restitutions for every
    # collectif they accompany, without being members of each.
    is_crpv_editor = models.BooleanField(_("éditeur ressources (CRPV)"), default=False)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # Notification preferences, edited in the profile; every e-mail of the platform checks its own.
    notify_reunion_reminders = models.BooleanField(_("rappels avant les réunions"), default=True)
    notify_action_followups = models.BooleanField(_("relances « où en êtes-vous ? » sur mes actions"), default=True)
    notify_fiche_reviews = models.BooleanField(_("rappels de mise à jour de mes fiches"), default=True)

    class DiscussionNotifications(models.TextChoices):
        IMMEDIATE = "immediat", _("à chaque nouveau message")
        DIGEST = "quotidien", _("un résumé par jour")
        NONE = "aucun", _("jamais (je consulte le site)")

    notify_discussions = models.CharField(
        _("nouveaux messages des discussions que je suis"),
        max_length=20,
        choices=DiscussionNotifications.choices,
        default=DiscussionNotifications.IMMEDIATE,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return person_name(self.first_name, self.last_name, self.email)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Niveau(models.TextChoices):
    """Level at which a person acts for their institution: cooperation works level to level (seed 003)."""

    TERRAIN = "terrain", _("Terrain")
    ENCADREMENT = "encadrement", _("Encadrement")
    POLITIQUE = "politique", _("Politique / décisionnel")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(left_on__isnull=True)

    def former(self) -> MembershipQuerySet:
        return self.filter(left_on__isnull=False)

    def coordinators(self) -> MembershipQuerySet:
        return self.filter(role=Membership.Role.COORDINATOR)

    def for_member(self, user) -> MembershipQuerySet:
        """Memberships of the collectifs where `user` is an active member (all of them for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(collectif__memberships__user=user, collectif__memberships__left_on__isnull=True)


class Membership(models.Model):
    """A person in a collectif, for an institution, with a function, a niveau and a role.

    Turnover is what breaks these collectives: a membership is ended (left_on), never deleted, so the history of
    who represented whom stays readable. When an account is deleted, `user` becomes NULL and the membership is
    shown as « ancien membre ».
    """

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordination")
        MEMBER = "member", _("Membre")
        GUEST = "guest", _("Invité")

    user = models.ForeignKey(
        User, verbose_name=_("personne"), on_delete=models.SET_NULL, null=True, related_name="memberships"
    )
    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="memberships"
    )
    institution = models.ForeignKey(
        "collectifs.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="memberships"
    )
    function = models.CharField(_("fonction"), max_length=120, help_text=_("Par exemple : Principal, CPE, éducatrice"))
    niveau = models.CharField(_("niveau"), max_length=20, choices=Niveau.choices)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("arrivée le"), default=timezone.localdate)
    left_on = models.DateField(_("départ le"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        ordering = ["collectif", "institution__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "collectif"],
                condition=Q(left_on__isnull=True),
                name="membership_one_active_per_user_and_collectif",
            )
        ]
        indexes = [models.Index(fields=["collectif", "left_on"])]

    def __str__(self) -> str:
        return f"{self.display_name} — {self.collectif}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR

    @property
    def can_write(self) -> bool:
        return self.is_active and self.role in (self.Role.COORDINATOR, self.Role.MEMBER)

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else str(_("ancien membre"))


INVITATION_VALIDITY_DAYS = 14
INVITATIONS_PER_COLLECTIF_PER_DAY = 100


class MemberInvitationQuerySet(models.QuerySet["MemberInvitation"]):
    def for_member(self, user) -> MemberInvitationQuerySet:
        """Invitations of the collectifs where `user` is an active member (all of them for a superuser)."""
        from collectifs.models import Collectif

        return self.filter(collectif__in=Collectif.objects.for_member(user))

    def pending(self) -> MemberInvitationQuerySet:
        """Neither accepted, revoked nor expired: the link still works."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def sent_since(self, since) -> MemberInvitationQuerySet:
        return self.filter(last_sent_at__gte=since)


class MemberInvitation(models.Model):
    """A coordinator invites a person, by e-mail, to join a collectif for an institution, with a function, a niveau
    and a role. The e-mail carries a one-time link; only the SHA-256 of its token is stored, so a leaked database
    does not open any door. The link expires after 14 days; resending makes a new token (the old link dies).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        EXPIRED = "expired", _("Expirée")
        REVOKED = "revoked", _("Retirée")

    collectif = models.ForeignKey(
        "collectifs.Collectif",
        verbose_name=_("collectif"),
        on_delete=models.PROTECT,
        related_name="member_invitations",
    )
    # Emptied when the person deletes their account (membres.services.user_delete): the row stays as history.
    email = models.EmailField(_("adresse e-mail"), blank=True)
    institution = models.ForeignKey(
        "collectifs.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    function = models.CharField(_("fonction"), max_length=120)
    niveau = models.CharField(_("niveau"), max_length=20, choices=Niveau.choices)
    role = models.CharField(_("rôle"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, verbose_name=_("invité par"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the invitation is a hand-over: the successor inherits this membership's open responsibilities.
    replaces = models.ForeignKey(
        Membership,
        verbose_name=_("succède à"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successor_invitations",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("appartenance créée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    objects = MemberInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation à rejoindre un collectif")
        verbose_name_plural = _("invitations à rejoindre un collectif")
        ordering = ["-last_sent_at"]
        indexes = [models.Index(fields=["collectif", "last_sent_at"])]

    def __str__(self) -> str:
        return f"{self.email or _('adresse effacée')} — {self.collectif}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
