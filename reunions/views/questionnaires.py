"""The questionnaire after a meeting: the organiser's page (questions, when it leaves, how many answered) and the
public page a participant opens from their e-mail's personal link (no account): the form, then thanks; a link that
has served says so, a closed questionnaire too."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, collectif_view, public_view
from reunions import permissions
from reunions.access import questionnaire_invite_for, reunion_for
from reunions.forms import QuestionnaireForm, ReponseForm
from reunions.models import Questionnaire, QuestionnaireInvite
from reunions.services import questionnaires as services
from reunions.views.common import ctx

DEFAULT_QUESTIONS = [
    Questionnaire.Question.QUALITE_ECHANGES,
    Questionnaire.Question.UTILITE_PRATIQUE,
    Questionnaire.Question.ENVIE_POURSUIVRE,
]


@collectif_view(MANAGE, methods=("GET", "HEAD", "POST"))
def questionnaire_setup(request, pk: int):
    reunion = reunion_for(
        request.access,
        pk,
        rule=permissions.can_update_reunion,
        message=_("Une réunion annulée n'a pas de questionnaire."),
    )
    questionnaire = Questionnaire.objects.filter(reunion=reunion).first()
    initial = {"questions": questionnaire.questions if questionnaire else list(DEFAULT_QUESTIONS)}
    form = QuestionnaireForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_open(reunion=reunion, by=request.user, questions=form.cleaned_data["questions"])
        except services.QuestionnaireError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Questionnaire enregistré : il partira le lendemain de la réunion."))
            return redirect("reunions:questionnaire", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    sent = answers = 0
    if questionnaire:
        sent = questionnaire.invites.filter(status=QuestionnaireInvite.Status.SENT).count()
        answers = questionnaire.reponses.count()
    return render(
        request,
        "reunions/questionnaire_setup.html",
        ctx(
            request,
            reunion=reunion,
            questionnaire=questionnaire,
            form=form,
            sent=sent,
            answers=answers,
            send_at=services.questionnaire_send_at(reunion),
            can_still_be_sent=services.questionnaire_can_still_be_sent(reunion),
            response_days=services.RESPONSE_DAYS,
        ),
    )


@public_view(methods=("GET", "HEAD", "POST"))
def questionnaire_answer(request, token: str):
    """A GET shows the form (mail scanners follow links: only a POST records); the POST records one anonymous
    answer. An unknown token is 404."""
    invite = questionnaire_invite_for(token)
    questionnaire = invite.questionnaire
    reunion = questionnaire.reunion
    state = "form"
    form = ReponseForm(request.POST or None, questions=questionnaire.question_labels)
    if invite.used:
        state = "already"
    elif questionnaire.is_closed:
        state = "expired"
    elif request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_answer(
                invite=invite, scores=form.scores(), comment=form.cleaned_data.get("comment") or ""
            )
            state = "thanks"
        except services.AnswerRefused as refused:
            state = "already" if refused.reason == "used" else "expired"
    context = {"reunion": reunion, "questionnaire": questionnaire, "form": form, "state": state}
    return render(request, "reunions/questionnaire_answer.html", context)
