import datetime
import secrets

from tests.access import COORDINATORS, LOGGED_IN, MEMBERS_READ, Case, expect

# A POST that a coordinator (or superuser) completes answers with a redirect.
COORDINATORS_POST = expect(anonymous=302, guest=403, member=403, coordinator=302, other=404, crpv=404, superuser=302)


def _slug(w):
    return {"collectif_slug": w.collectif.slug}


def _membership(w):
    return {"collectif_slug": w.collectif.slug, "pk": w.member_membership.pk}


def _invitation(w):
    return {"collectif_slug": w.collectif.slug, "pk": w.member_invitation.pk}


CASES = [
    Case("membres:annuaire", MEMBERS_READ, kwargs=_slug),
    Case("membres:annuaire", MEMBERS_READ, kwargs=_slug, query="?status=former&niveau=terrain", note="(filtres)"),
    Case("membres:annuaire_csv", COORDINATORS, kwargs=_slug),
    Case("membres:annuaire_vcard", COORDINATORS, kwargs=_slug),
    Case("membres:invitations", COORDINATORS, kwargs=_slug),
    Case("membres:invite", COORDINATORS, kwargs=_slug),
    Case("membres:invite_bulk", COORDINATORS, kwargs=_slug),
    Case("membres:invitation_resend", COORDINATORS_POST, kwargs=_invitation, method="post"),
    Case("membres:invitation_revoke", COORDINATORS_POST, kwargs=_invitation, method="post"),
    Case("membres:membership_end", COORDINATORS, kwargs=_membership),
    Case(
        "membres:membership_end",
        COORDINATORS_POST,
        kwargs=_membership,
        method="post",
        data=lambda w: {"left_on": datetime.date.today().isoformat()},
    ),
    Case("membres:membership_handover", COORDINATORS, kwargs=_membership),
    # Public: the token is the proof. Anonymous → sign-up; anyone logged in is told the link is someone else's.
    Case(
        "membres:invitation_accept",
        expect(anonymous=302, guest=200, member=200, coordinator=200, other=200, crpv=200, superuser=200),
        kwargs=lambda w: {"token": w.invitation_token},
    ),
    Case(
        "membres:invitation_accept",
        expect(anonymous=404, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404),
        kwargs=lambda w: {"token": "jeton-inconnu"},
        note="(jeton invalide)",
    ),
    Case("membres:profil", LOGGED_IN),
    Case("membres:profil_export", LOGGED_IN),
    Case("membres:profil_delete", LOGGED_IN),
]


def extend_world(world) -> None:
    from django.utils import timezone

    from membres.models import MemberInvitation, Membership, Niveau
    from membres.services import hash_token

    world.member_membership = Membership.objects.active().get(user=world.users["member"], collectif=world.collectif)
    token = secrets.token_urlsafe(32)
    world.invitation_token = token
    world.member_invitation = MemberInvitation.objects.create(
        collectif=world.collectif,
        email="nouvelle.personne@exemple.org",
        institution=world.member_membership.institution,
        function="Assistante sociale",
        niveau=Niveau.TERRAIN,
        token_hash=hash_token(token),
        invited_by=world.users["coordinator"],
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
