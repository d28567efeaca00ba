from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from collectifs.access import WRITE, collectif_view
from discussions import permissions
from discussions.access import message_for, thread_for
from discussions.forms import MessageEditForm
from discussions.services.messages import message_edit, message_post
from discussions.views.common import back_to, ctx, message_form, thread_context


@collectif_view(need=WRITE, methods=("POST",))
def reply(request, pk: int):
    thread = thread_for(request.access, pk, rule=permissions.can_post_message)
    form = message_form(request, thread, request.POST, request.FILES)
    if form.is_valid():
        try:
            message, _created = message_post(
                thread=thread,
                by=request.user,
                body_html=form.body_html(),
                attachments=form.cleaned_data.get("attachments") or (),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Votre message est publié ; les personnes qui suivent la discussion sont prévenues.")
            )
            return redirect(back_to(request, f"{thread.get_absolute_url()}?page=last#message-{message.pk}"))
    # Without JavaScript: the thread again, with what the person wrote and the errors.
    context = thread_context(request, thread, form=form, mark_read=False)
    return render(request, "discussions/thread.html", context, status=400)


@collectif_view(need=WRITE)
def edit(request, pk: int, message_pk: int):
    message = message_for(request.access, pk, message_pk, rule=permissions.can_edit_message)
    form = MessageEditForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            message_edit(message=message, by=request.user, body_html=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le message est modifié."))
            return redirect(f"{message.thread.get_absolute_url()}?page=last#message-{message.pk}")
    return render(
        request, "discussions/message_edit.html", ctx(request, form=form, message=message, thread=message.thread)
    )
