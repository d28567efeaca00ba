"""What the pages of discussions share: the thread page's context (also re-rendered with a reply's errors)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.http import url_has_allowed_host_and_scheme

from discussions import mentions, permissions
from discussions.forms import MessageForm
from discussions.models import NEVER, Follow, Message, ReadMark, Thread
from discussions.services.reads import thread_mark_read
from documents.models import Document

MESSAGES_PER_PAGE = 50


def back_to(request, default: str) -> str:
    """Where to go after a post: the page the form was on when it says so (`retour`, a path of this site: the
    action page's discussion), the thread otherwise."""
    target = request.POST.get("retour", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def ctx(request, **extra) -> dict:
    return {"collectif": request.access.collectif, "access": request.access, **extra}


def message_form(request, thread: Thread, data=None, files=None) -> MessageForm:
    people = mentions.mentionable(thread.collectif_id, exclude_user_id=request.user.pk)
    return MessageForm(data, files, people=people, auto_id="reponse_%s")


def thread_context(request, thread: Thread, *, form: MessageForm | None = None, mark_read: bool = True) -> dict:
    """The thread page in a constant number of queries, whatever the number of messages: the read mark, the
    follow, one page of messages with their authors and attachments, the people one can mention.

    Without `?page=`, the page shown is the one holding the first message the person has not read (the last one
    when they have read everything); `?page=last` is the last page. Viewing a page marks it read."""
    user = request.user
    read_at = ReadMark.objects.filter(thread=thread, user=user).values_list("read_at", flat=True).first()
    follow = Follow.objects.filter(thread=thread, user=user).only("active", "reason").first()
    queryset = (
        Message.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Document.objects.order_by("title", "pk")))
        .order_by("created_at", "pk")
    )
    paginator = Paginator(queryset, MESSAGES_PER_PAGE)
    # The count the service keeps up to date: no COUNT(*) over the thread's messages.
    paginator.__dict__["count"] = thread.message_count
    number = request.GET.get("page")
    if number == "last":
        number = paginator.num_pages
    elif not number:
        seen = thread.messages.filter(created_at__lte=read_at).count() if read_at else 0
        number = min(seen // MESSAGES_PER_PAGE + 1, paginator.num_pages)
    page = paginator.get_page(number)
    shown = list(page.object_list)
    for message in shown:
        message.is_new = message.created_at > (read_at or NEVER) and message.author_id != user.pk
    if mark_read and shown and (read_at is None or read_at < shown[-1].created_at):
        thread_mark_read(thread=thread, by=user, up_to=shown[-1].created_at)
    can_post = permissions.can_post_message(request.access, thread)
    if form is None and can_post:
        form = message_form(request, thread)
    return ctx(
        request,
        thread=thread,
        page=page,
        messages_shown=shown,
        following=bool(follow and follow.active),
        follow=follow,
        can_post=can_post,
        can_follow=permissions.can_follow_thread(request.access, thread),
        can_manage=request.access.can_manage,
        form=form if can_post else None,
    )
