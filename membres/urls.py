from django.urls import path

from membres import views

app_name = "membres"

urlpatterns = [
    path("c/<slug:collectif_slug>/annuaire/", views.annuaire, name="annuaire"),
    path("c/<slug:collectif_slug>/annuaire/export.csv", views.annuaire_csv, name="annuaire_csv"),
    path("c/<slug:collectif_slug>/annuaire/export.vcf", views.annuaire_vcard, name="annuaire_vcard"),
    path("c/<slug:collectif_slug>/invitations/", views.invitations, name="invitations"),
    path("c/<slug:collectif_slug>/invitations/nouvelle/", views.invite, name="invite"),
    path("c/<slug:collectif_slug>/invitations/plusieurs/", views.invite_bulk, name="invite_bulk"),
    path("c/<slug:collectif_slug>/invitations/<int:pk>/renvoyer/", views.invitation_resend, name="invitation_resend"),
    path("c/<slug:collectif_slug>/invitations/<int:pk>/retirer/", views.invitation_revoke, name="invitation_revoke"),
    path("c/<slug:collectif_slug>/membres/<int:pk>/depart/", views.membership_end, name="membership_end"),
    path("c/<slug:collectif_slug>/membres/<int:pk>/passation/", views.membership_handover, name="membership_handover"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("profil/", views.profil, name="profil"),
    path("profil/mes-donnees.json", views.profil_export, name="profil_export"),
    path("profil/supprimer/", views.profil_delete, name="profil_delete"),
]
