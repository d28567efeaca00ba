"""What discussions shows on the other apps' pages, registered from `DiscussionsConfig.ready()`: the collectif's
home panel (active threads, unread first), its navigation section, the threads of a groupe de tâches, the thread
of an action beside its journal, the threads of a document, and the demo loader."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from discussions import permissions
from discussions.models import Message, Thread

HOME_THREADS = 5
SECTION_THREADS = 10
ACTION_MESSAGES = 3


def active_threads_panel(access) -> dict:
    """The collectif's home: the five most recently active threads, those with messages the person has not read
    first, each with its unread count."""
    collectif = access.collectif
    threads = (
        Thread.objects.filter(collectif=collectif)
        .select_related("collectif")
        .with_reading(access.user)
        .order_by("-has_unread", "-last_message_at", "-pk")[:HOME_THREADS]
    )
    items = []
    for thread in threads:
        when = formats.date_format(timezone.localtime(thread.last_message_at), "j F à H\\hi")
        count = ngettext("%(n)s message", "%(n)s messages", thread.message_count) % {"n": thread.message_count}
        badge = (
            ngettext("%(n)s non lu", "%(n)s non lus", thread.unread) % {"n": thread.unread} if thread.unread else ""
        )
        items.append(
            {"url": thread.get_absolute_url(), "label": thread.title, "meta": f"— {count}, {when}", "badge": badge}
        )
    empty = _("Aucune discussion pour l'instant.")
    if access.can_write:
        empty += " " + _("Posez une question au collectif depuis la page des discussions.")
    return {
        "id": "discussions-actives",
        "title": _("Discussions actives"),
        "items": items,
        "empty": empty,
        "more_url": reverse("discussions:list", kwargs={"collectif_slug": collectif.slug}),
        "more_label": _("Toutes les discussions"),
    }


def navigation_sections() -> list[tuple]:
    return [(35, gettext_lazy("Discussions"), "discussions:list", False)]


def create_url(collectif, kind: str, subject) -> str:
    """The new-thread page on a groupe, an action or a document."""
    return reverse(
        "discussions:create_on", kwargs={"collectif_slug": collectif.slug, "kind": kind, "subject_pk": subject.pk}
    )


def _subject_section(request, *, kind: str, subject, title: str, empty: str) -> str:
    access = request.access
    threads = list(
        Thread.objects.filter(collectif=access.collectif, **{kind: subject})
        .select_related("collectif")
        .with_reading(request.user)
        .order_by("-last_message_at", "-pk")[: SECTION_THREADS + 1]
    )
    can_open = permissions.can_open_thread(access)
    return render_to_string(
        "discussions/includes/subject_section.html",
        {
            "collectif": access.collectif,
            "threads": threads[:SECTION_THREADS],
            "more": len(threads) > SECTION_THREADS,
            "title": title,
            "section_id": f"discussions-{kind}",
            "empty": empty if not can_open else empty + " " + _("Ouvrez-en une pour poser une question."),
            "create_url": create_url(access.collectif, kind, subject) if can_open else "",
            "list_url": reverse("discussions:list", kwargs={"collectif_slug": access.collectif.slug})
            + f"?sujet={kind}",
        },
        request=request,
    )


def groupe_threads_html(request, groupe) -> str:
    """The groupe de tâches page: its threads, with the way to open one."""
    return _subject_section(
        request,
        kind="groupe",
        subject=groupe,
        title=_("Discussions du groupe"),
        empty=_("Aucune discussion sur ce groupe."),
    )


def document_threads_html(request, document) -> str:
    """The document page (wired by the documents app through its hook): the threads on the document."""
    return _subject_section(
        request,
        kind="document",
        subject=document,
        title=_("Discussions sur ce document"),
        empty=_("Aucune discussion sur ce document."),
    )


def action_thread_html(request, action) -> str:
    """The action page, beside its journal: the action's discussion (its latest messages and a reply form), or
    the form that opens it."""
    from discussions.forms import MessageForm, ThreadForm

    access = request.access
    threads = list(
        Thread.objects.filter(collectif=access.collectif, action=action)
        .select_related("collectif")
        .with_reading(request.user)
        .order_by("-last_message_at", "-pk")
    )
    thread = threads[0] if threads else None
    latest = []
    if thread is not None:
        latest = list(
            Message.objects.filter(thread=thread)
            .select_related("author")
            .order_by("-created_at", "-pk")[:ACTION_MESSAGES]
        )[::-1]
        for message in latest:
            message.is_new = thread.read_at is None or message.created_at > thread.read_at
            message.is_new = message.is_new and message.author_id != request.user.pk
    can_post = permissions.can_post_message(access)
    form = None
    if can_post:
        # No checkboxes here (the thread page has them); « @Prénom Nom » in the text mentions.
        form_class = MessageForm if thread is not None else ThreadForm
        initial = {} if thread is not None else {"title": _("À propos de « %(subject)s »") % {"subject": action.title}}
        form = form_class(people=[], with_attachments=False, initial=initial, auto_id="action_discussion_%s")
    return render_to_string(
        "discussions/includes/action_section.html",
        {
            "collectif": access.collectif,
            "access": access,
            "action": action,
            "thread": thread,
            "others": threads[1:],
            "latest": latest,
            "form": form,
            "can_post": can_post,
            "create_url": create_url(access.collectif, "action", action),
        },
        request=request,
    )


def load_demo(stdout) -> None:
    from discussions.demo import load

    load(stdout)
