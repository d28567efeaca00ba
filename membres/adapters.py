from allauth.account.adapter import DefaultAccountAdapter

# Key of the session entry holding the invitation being accepted (set by the invitation view).
INVITATION_SESSION_KEY = "membres_invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Public sign-up is closed: people join a collectif through a coordinator's invitation."""
        return bool(request.session.get(INVITATION_SESSION_KEY))
