from django.urls import path

from actions import views

app_name = "actions"

P = "c/<slug:collectif_slug>/actions/"

urlpatterns = [
    path(P, views.action_list, name="list"),
    path(P + "export.csv", views.export_csv, name="export_csv"),
    path(P + "export.ods", views.export_ods, name="export_ods"),
    path(P + "nouvelle/", views.action_create, name="create"),
    path(P + "depuis-decision/<int:decision_pk>/", views.create_from_decision, name="create_from_decision"),
    path(P + "<int:pk>/", views.action_detail, name="detail"),
    path(P + "<int:pk>/modifier/", views.action_edit, name="edit"),
    path(P + "<int:pk>/statut/", views.change_status, name="change_status"),
    path(P + "<int:pk>/journal/", views.journal_add, name="journal_add"),
    path(P + "<int:pk>/capitaliser/", views.capitalise, name="capitalise"),
    path(P + "<int:pk>/journal/<int:entry_pk>/modifier/", views.journal_edit, name="journal_edit"),
    path(P + "<int:pk>/journal/<int:entry_pk>/piece-jointe/", views.journal_attachment, name="journal_attachment"),
    path("c/<slug:collectif_slug>/indicateurs/", views.indicateurs, name="indicateurs"),
    path("c/<slug:collectif_slug>/indicateurs/export.csv", views.indicateurs_csv, name="indicateurs_csv"),
]
