"""What the reunions app holds about a person (membres.hooks): answers, attendance, votes, comments."""

from __future__ import annotations

from reunions.models import Invitation, MinutesComment, PollVote, QuestionnaireInvite


def export(user) -> dict[str, list[dict]]:
    invitations = (
        Invitation.objects.filter(membership__user=user)
        .select_related("reunion__collectif")
        .order_by("reunion__starts_at", "pk")
    )
    votes = (
        PollVote.objects.filter(membership__user=user)
        .select_related("slot__poll__reunion__collectif")
        .order_by("slot__starts_at", "pk")
    )
    questionnaires = (
        QuestionnaireInvite.objects.filter(membership__user=user, status=QuestionnaireInvite.Status.SENT)
        .select_related("questionnaire__reunion")
        .order_by("questionnaire__reunion__starts_at", "pk")
    )
    comments = MinutesComment.objects.filter(author=user).select_related("minutes__reunion").order_by("created_at")
    return {
        "reunions_reponses_et_presences": [
            {
                "collectif": i.reunion.collectif.name,
                "reunion": i.reunion.title,
                "debut": i.reunion.starts_at.isoformat() if i.reunion.starts_at else None,
                "reponse": i.get_response_display(),
                "repondu_le": i.responded_at.isoformat() if i.responded_at else None,
                "presence": i.get_attendance_display(),
            }
            for i in invitations
        ],
        "votes_de_sondage": [
            {
                "collectif": v.slot.poll.reunion.collectif.name,
                "reunion": v.slot.poll.reunion.title,
                "creneau": v.slot.starts_at.isoformat(),
                "reponse": v.get_answer_display(),
                "repondu_le": v.answered_at.isoformat(),
            }
            for v in votes
        ],
        # The answers themselves are anonymous: tied to no one, they cannot be part of anyone's export.
        "questionnaires_recus": [
            {"reunion": q.questionnaire.reunion.title, "lien_utilise": q.used} for q in questionnaires
        ],
        "commentaires_de_comptes_rendus": [
            {"reunion": c.minutes.reunion.title, "commentaire": c.body, "ecrit_le": c.created_at.isoformat()}
            for c in comments
        ],
    }
