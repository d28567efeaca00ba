from django.urls import path

from reunions import views

app_name = "reunions"

C = "c/<slug:collectif_slug>/reunions/"
R = C + "<int:pk>/"

urlpatterns = [
    path(C, views.reunion_list, name="list"),
    path(C + "mois/", views.reunion_month, name="month"),
    path(C + "nouvelle/", views.reunion_create, name="create"),
    path(C + "reglages/", views.collectif_settings, name="settings"),
    path(C + "calendrier/", views.calendar_page, name="calendar"),
    path(C + "calendrier/nouvelle-adresse/", views.calendar_revoke, name="calendar_revoke"),
    path("c/<slug:collectif_slug>/a-faire/", views.todo, name="todo"),
    path(R, views.reunion_detail, name="detail"),
    path(R + "modifier/", views.reunion_update, name="update"),
    path(R + "annuler/", views.reunion_cancel, name="cancel"),
    path(R + "inviter/", views.reunion_invite, name="invite"),
    path(R + "repondre/", views.reunion_respond, name="respond"),
    path(R + "ordre-du-jour/", views.agenda_add, name="agenda_add"),
    path(R + "ordre-du-jour/<int:item_pk>/deplacer/", views.agenda_move, name="agenda_move"),
    path(R + "ordre-du-jour/<int:item_pk>/supprimer/", views.agenda_delete, name="agenda_delete"),
    path(R + "documents/ajouter/", views.document_upload, name="document_upload"),
    path(R + "documents/<int:document_pk>/", views.document_download, name="document"),
    path(R + "documents/<int:document_pk>/supprimer/", views.document_delete, name="document_delete"),
    path(R + "presences/", views.attendance, name="attendance"),
    path(R + "rappels/", views.reminders, name="reminders"),
    path(R + "rappels/<int:reminder_pk>/retenter/", views.reminder_retry, name="reminder_retry"),
    path(R + "sondage/", views.poll_detail, name="poll"),
    path(R + "sondage/ouvrir/", views.poll_create, name="poll_create"),
    path(R + "sondage/choisir/", views.poll_choose, name="poll_choose"),
    path(R + "compte-rendu/", views.minutes_detail, name="minutes"),
    path(R + "compte-rendu/rediger/", views.minutes_edit, name="minutes_edit"),
    path(R + "compte-rendu/decisions/", views.decision_add, name="decision_add"),
    path(R + "compte-rendu/decisions/<int:decision_pk>/supprimer/", views.decision_delete, name="decision_delete"),
    path(R + "compte-rendu/soumettre/", views.minutes_submit, name="minutes_submit"),
    path(R + "compte-rendu/commenter/", views.minutes_comment, name="minutes_comment"),
    path(R + "compte-rendu/adopter/", views.minutes_adopt, name="minutes_adopt"),
    path(R + "compte-rendu/corriger/", views.minutes_reopen, name="minutes_reopen"),
    path(R + "compte-rendu/pdf/", views.minutes_pdf, name="minutes_pdf"),
    path("c/<slug:collectif_slug>/groupes/", views.groupe_list, name="groupes"),
    path("c/<slug:collectif_slug>/groupes/nouveau/", views.groupe_edit, name="groupe_create"),
    path("c/<slug:collectif_slug>/groupes/<int:groupe_pk>/", views.groupe_detail, name="groupe_detail"),
    path("c/<slug:collectif_slug>/groupes/<int:groupe_pk>/modifier/", views.groupe_edit, name="groupe_update"),
    path("reunions/reponse/<str:token>/", views.rsvp, name="rsvp"),
    path("calendrier/<str:token>.ics", views.feed_personal, name="feed_personal"),
    path("calendrier/<str:token>/<slug:collectif_slug>.ics", views.feed_collectif, name="feed_collectif"),
]
