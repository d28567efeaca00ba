from django.urls import path

from reunions.views import (
    agenda,
    attendance,
    documents,
    feeds,
    groupes,
    minutes,
    polls,
    reunions,
    rsvp,
    settings,
    todo,
)

app_name = "reunions"

C = "c/<slug:collectif_slug>/reunions/"
R = C + "<int:pk>/"

urlpatterns = [
    path(C, reunions.reunion_list, name="list"),
    path(C + "mois/", reunions.reunion_month, name="month"),
    path(C + "nouvelle/", reunions.reunion_create, name="create"),
    path(C + "reglages/", settings.collectif_settings, name="settings"),
    path(C + "calendrier/", feeds.calendar_page, name="calendar"),
    path(C + "calendrier/nouvelle-adresse/", feeds.calendar_revoke, name="calendar_revoke"),
    path("c/<slug:collectif_slug>/a-faire/", todo.todo, name="todo"),
    path(R, reunions.reunion_detail, name="detail"),
    path(R + "modifier/", reunions.reunion_update, name="update"),
    path(R + "annuler/", reunions.reunion_cancel, name="cancel"),
    path(R + "inviter/", reunions.reunion_invite, name="invite"),
    path(R + "repondre/", reunions.reunion_respond, name="respond"),
    path(R + "ordre-du-jour/", agenda.agenda_add, name="agenda_add"),
    path(R + "ordre-du-jour/<int:item_pk>/deplacer/", agenda.agenda_move, name="agenda_move"),
    path(R + "ordre-du-jour/<int:item_pk>/supprimer/", agenda.agenda_delete, name="agenda_delete"),
    path(R + "documents/ajouter/", documents.document_upload, name="document_upload"),
    path(R + "documents/<int:document_pk>/", documents.document_download, name="document"),
    path(R + "documents/<int:document_pk>/supprimer/", documents.document_delete, name="document_delete"),
    path(R + "presences/", attendance.attendance, name="attendance"),
    path(R + "rappels/", attendance.reminders, name="reminders"),
    path(R + "rappels/<int:reminder_pk>/retenter/", attendance.reminder_retry, name="reminder_retry"),
    path(R + "sondage/", polls.poll_detail, name="poll"),
    path(R + "sondage/ouvrir/", polls.poll_create, name="poll_create"),
    path(R + "sondage/choisir/", polls.poll_choose, name="poll_choose"),
    path(R + "compte-rendu/", minutes.minutes_detail, name="minutes"),
    path(R + "compte-rendu/rediger/", minutes.minutes_edit, name="minutes_edit"),
    path(R + "compte-rendu/decisions/", minutes.decision_add, name="decision_add"),
    path(R + "compte-rendu/decisions/<int:decision_pk>/supprimer/", minutes.decision_delete, name="decision_delete"),
    path(R + "compte-rendu/soumettre/", minutes.minutes_submit, name="minutes_submit"),
    path(R + "compte-rendu/commenter/", minutes.minutes_comment, name="minutes_comment"),
    path(R + "compte-rendu/adopter/", minutes.minutes_adopt, name="minutes_adopt"),
    path(R + "compte-rendu/corriger/", minutes.minutes_reopen, name="minutes_reopen"),
    path(R + "compte-rendu/pdf/", minutes.minutes_pdf, name="minutes_pdf"),
    path(R + "reunion.ics", feeds.reunion_ics, name="ics"),
    path("c/<slug:collectif_slug>/groupes/", groupes.groupe_list, name="groupes"),
    path("c/<slug:collectif_slug>/groupes/nouveau/", groupes.groupe_edit, name="groupe_create"),
    path("c/<slug:collectif_slug>/groupes/<int:groupe_pk>/", groupes.groupe_detail, name="groupe_detail"),
    path("c/<slug:collectif_slug>/groupes/<int:groupe_pk>/modifier/", groupes.groupe_edit, name="groupe_update"),
    path("reunions/reponse/<str:token>/", rsvp.rsvp, name="rsvp"),
    path("calendrier/<str:token>.ics", feeds.feed_personal, name="feed_personal"),
    path("calendrier/<str:token>/<slug:collectif_slug>.ics", feeds.feed_collectif, name="feed_collectif"),
]
