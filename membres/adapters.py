"""allauth hooks: sign-up exists only to accept an invitation.

The invitation view stores the link's token in the session (INVITATION_SESSION_KEY) and stashes the invited
address as verified (the person proved they read it by opening the link). Sign-up is then open, for that
address only; once the account is saved, `save_user` asks the service to accept the invitation.
"""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

# Key of the session entry holding the invitation being accepted (set by the invitation view).
INVITATION_SESSION_KEY = "membres_invitation_token"
# Key of the session entry holding the slug of the collectif just joined, for the redirect after sign-up.
JOINED_SESSION_KEY = "membres_joined_collectif"

logger = logging.getLogger(__name__)


def _pending_invitation(request):
    from membres.services import InvitationError, invitation_for_token

    token = request.session.get(INVITATION_SESSION_KEY) if request is not None else None
    if not token:
        return None
    try:
        return invitation_for_token(token)
    except InvitationError:
        return None


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Public sign-up is closed: people join a collectif through a coordinator's invitation, still valid when
        the form is sent (an invitation revoked or expired in between closes it again)."""
        return _pending_invitation(request) is not None

    def clean_email(self, email: str) -> str:
        """The account is created for the invited address, not another one."""
        email = super().clean_email(email)
        invitation = _pending_invitation(getattr(self, "request", None))
        if invitation is not None and email.strip().lower() != invitation.email.lower():
            raise forms.ValidationError(
                _("Cette invitation est adressée à %(email)s : créez le compte avec cette adresse.")
                % {"email": invitation.email}
            )
        return email

    def populate_username(self, request, user) -> None:
        """There is no username: the e-mail address is the login."""

    def save_user(self, request, user, form, commit: bool = True):
        """Save the new account, then accept the invitation that opened the sign-up (through the service)."""
        from membres.services import InvitationError, invitation_accept

        invitation = _pending_invitation(request)
        if invitation is not None:
            # The invited address is the account's address, whatever was typed (clean_email already refused others).
            form.cleaned_data["email"] = invitation.email
        user = super().save_user(request, user, form, commit=commit)
        if invitation is not None and commit:
            try:
                membership = invitation_accept(invitation=invitation, by=user)
            except InvitationError as exc:
                logger.warning("invitation %s not accepted at sign-up: %s", invitation.pk, exc.code)
            else:
                request.session[JOINED_SESSION_KEY] = membership.collectif.slug
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user

    def get_signup_redirect_url(self, request) -> str:
        slug = request.session.pop(JOINED_SESSION_KEY, None)
        if slug:
            return reverse("collectifs:detail", kwargs={"collectif_slug": slug})
        return super().get_signup_redirect_url(request)
