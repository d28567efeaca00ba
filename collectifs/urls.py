from django.urls import path

from collectifs import views

app_name = "collectifs"

urlpatterns = [
    path("c/<slug:collectif_slug>/", views.collectif_detail, name="detail"),
    path("c/<slug:collectif_slug>/cartographie/", views.cartographie, name="cartographie"),
    path("c/<slug:collectif_slug>/charte/", views.charte, name="charte"),
    path("c/<slug:collectif_slug>/charte/modifier/", views.charte_edit, name="charte_edit"),
    path("c/<slug:collectif_slug>/charte/adoption/", views.charte_adoption, name="charte_adoption"),
    path("c/<slug:collectif_slug>/calendrier-scolaire/", views.calendrier_scolaire, name="calendrier"),
    path("c/<slug:collectif_slug>/calendrier-scolaire/academie/", views.calendrier_academie, name="academie"),
    path("c/<slug:collectif_slug>/calendrier-scolaire/periodes/", views.periode_add, name="periode_add"),
    path(
        "c/<slug:collectif_slug>/calendrier-scolaire/periodes/<int:periode_pk>/supprimer/",
        views.periode_delete,
        name="periode_delete",
    ),
]
