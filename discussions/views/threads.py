from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import Action
from collectifs.access import WRITE, collectif_view
from discussions import mentions, permissions
from discussions.access import thread_for
from discussions.forms import ThreadForm
from discussions.models import Thread
from discussions.services.threads import thread_open
from discussions.views.common import back_to, ctx, thread_context
from documents.models import Document
from reunions.models import GroupeDeTaches

THREADS_PER_PAGE = 25
SHOW = {
    "toutes": gettext_lazy("Toutes les discussions"),
    "suivies": gettext_lazy("Celles que je suis"),
    "non-lues": gettext_lazy("Non lues"),
}


@collectif_view()
def thread_list(request):
    """The collectif's discussions, most recently active first, with each person's unread count; filters: all,
    followed, unread; subject (collectif, groupes, actions, documents)."""
    access = request.access
    show = request.GET.get("afficher") if request.GET.get("afficher") in SHOW else "toutes"
    subject = request.GET.get("sujet") if request.GET.get("sujet") in Thread.Subject.values else ""
    queryset = Thread.objects.filter(collectif=access.collectif).for_lists().with_reading(request.user)
    if show == "suivies":
        queryset = queryset.filter(followed=True)
    elif show == "non-lues":
        queryset = queryset.filter(unread__gt=0)
    if subject:
        queryset = queryset.on_subject(subject)
    page = Paginator(queryset.order_by("-last_message_at", "-pk"), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "discussions/list.html",
        ctx(
            request,
            page=page,
            show=show,
            show_choices=list(SHOW.items()),
            subject=subject,
            subject_choices=[(k, v) for k, v in Thread.Subject.choices],
            filtered=show != "toutes" or bool(subject),
            query=query.urlencode(),
            can_open=permissions.can_open_thread(access),
        ),
    )


@collectif_view()
def thread_detail(request, pk: int):
    thread = thread_for(request.access, pk)
    return render(request, "discussions/thread.html", thread_context(request, thread))


def _subject(request, kind: str | None, subject_pk: int | None) -> dict:
    """The groupe, action or document the new thread is about: from the URL (`nouvelle/sur/groupe/<pk>/`) or the
    query string (`?document=<pk>`), fetched through the collectif of the URL: another collectif's answers 404."""
    collectif = request.access.collectif
    sources = {
        "groupe": GroupeDeTaches.objects.filter(collectif=collectif),
        "action": Action.objects.filter(collectif=collectif),
        "document": Document.objects.alive().filter(collectif=collectif),
    }
    if kind is not None:
        if kind not in sources:
            raise Http404(_("Sujet de discussion inconnu."))
        return {kind: get_object_or_404(sources[kind], pk=subject_pk)}
    for name, queryset in sources.items():
        value = request.GET.get(name)
        if value:
            if not value.isdigit():
                raise Http404(_("Sujet de discussion inconnu."))
            return {name: get_object_or_404(queryset, pk=int(value))}
    return {}


@collectif_view(need=WRITE)
def thread_create(request, kind: str | None = None, subject_pk: int | None = None):
    access = request.access
    subject = _subject(request, kind, subject_pk)
    people = mentions.mentionable(access.collectif.pk, exclude_user_id=request.user.pk)
    initial = {}
    if subject:
        (value,) = subject.values()
        initial["title"] = _("À propos de « %(subject)s »") % {"subject": value}
    form = ThreadForm(request.POST or None, request.FILES or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            thread = thread_open(
                collectif=access.collectif,
                by=request.user,
                title=form.cleaned_data["title"],
                body_html=form.body_html(),
                attachments=form.cleaned_data.get("attachments") or (),
                **subject,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("La discussion est ouverte. Les personnes mentionnées sont prévenues."))
            return redirect(back_to(request, thread.get_absolute_url()))
    subject_obj = next(iter(subject.values()), None)
    return render(
        request,
        "discussions/thread_form.html",
        ctx(request, form=form, subject=subject_obj, subject_kind=next(iter(subject), "")),
    )
