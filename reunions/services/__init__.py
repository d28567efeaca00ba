"""Every change to reunions goes through these functions, one module per topic: atomic, logged with the acting
user's id (`by`), and the e-mails they cause are enqueued only once the transaction has committed.

The Celery tasks are declared next to the service they run; `reunions/tasks.py` only imports them for Celery's
autodiscovery (tasks → services, never the reverse)."""

# Transitional: the former single module's names, while reunions/views.py still reads them from here.
from reunions.services.agenda import agenda_item_add, agenda_item_delete, agenda_item_move  # noqa: F401
from reunions.services.attendance import attendance_record  # noqa: F401
from reunions.services.beat import due_work_dispatch, send_due_reminders  # noqa: F401
from reunions.services.documents import document_add, document_delete  # noqa: F401
from reunions.services.feeds import calendar_token_get_or_create, calendar_token_revoke  # noqa: F401
from reunions.services.groupes import groupe_save  # noqa: F401
from reunions.services.minutes import (  # noqa: F401
    decision_add,
    decision_delete,
    minutes_adopt,
    minutes_comment,
    minutes_get_or_create,
    minutes_reopen,
    minutes_save,
    minutes_submit,
    notice_send_email,
    secretaries_remind_due,
    send_notice_email,
)
from reunions.services.polls import (  # noqa: F401
    poll_choose,
    poll_create,
    poll_send_email,
    poll_vote,
    polls_nudge_due,
    send_poll_email,
)
from reunions.services.reminders import (  # noqa: F401
    reminder_lease,
    reminder_retry,
    reminders_claim,
    reminders_due_ids,
    reminders_recompute,
    reminders_send_batch,
    reunion_reminders_update,
    send_reminder_batch,
)
from reunions.services.reunions import (  # noqa: F401
    audience_memberships,
    invitation_respond,
    invitation_send_email,
    reunion_cancel,
    reunion_create,
    reunion_invite,
    reunion_update,
    send_invitation_email,
)
from reunions.services.settings import collectif_reminder_offsets, reunion_settings_update  # noqa: F401
