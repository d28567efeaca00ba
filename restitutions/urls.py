from django.urls import path

from restitutions import cycle_views, views

app_name = "restitutions"

C = "c/<slug:collectif_slug>/restitutions/"

urlpatterns = [
    path(C, views.restitution_list, name="list"),
    path(f"{C}nouvelle/", views.restitution_create, name="create"),
    path(f"{C}importer/", views.restitution_import, name="import"),
    path(f"{C}<int:pk>/", views.restitution_detail, name="detail"),
    path(f"{C}<int:pk>/modifier/", views.restitution_update, name="update"),
    path(f"{C}<int:pk>/supprimer/", views.restitution_delete, name="delete"),
    path(f"{C}<int:pk>/pdf/", views.restitution_pdf, name="pdf"),
    path(
        f"{C}<int:pk>/participants/depuis-les-presences/",
        views.restitution_fill_participants,
        name="fill_participants",
    ),
    path(f"{C}<int:pk>/points/ajouter/", views.point_add, name="point_add"),
    path(f"{C}<int:pk>/points/<int:point_pk>/modifier/", views.point_update, name="point_update"),
    path(f"{C}<int:pk>/points/<int:point_pk>/supprimer/", views.point_delete, name="point_delete"),
    path(f"{C}<int:pk>/points/<int:point_pk>/deplacer/", views.point_move, name="point_move"),
    path(f"{C}<int:pk>/sections/ajouter/", views.free_section_add, name="free_section_add"),
    path(f"{C}<int:pk>/sections/<int:section_pk>/modifier/", views.free_section_update, name="free_section_update"),
    path(f"{C}<int:pk>/sections/<int:section_pk>/supprimer/", views.free_section_delete, name="free_section_delete"),
    path(
        f"{C}<int:pk>/reprendre/<int:point_pk>/",
        cycle_views.carry_over_take,
        name="carry_over_take",
    ),
    path(f"{C}cycles/nouveau/", cycle_views.cycle_create, name="cycle_create"),
    path(f"{C}cycles/<int:pk>/", cycle_views.cycle_detail, name="cycle"),
    path(f"{C}cycles/<int:pk>/modifier/", cycle_views.cycle_update, name="cycle_update"),
    path(f"{C}cycles/<int:pk>/ateliers/ajouter/", cycle_views.cycle_session_add, name="cycle_session_add"),
    path(
        f"{C}cycles/<int:pk>/ateliers/<int:session_pk>/modifier/",
        cycle_views.cycle_session_update,
        name="cycle_session_update",
    ),
    path(
        f"{C}cycles/<int:pk>/ateliers/<int:session_pk>/retirer/",
        cycle_views.cycle_session_delete,
        name="cycle_session_delete",
    ),
    path(f"{C}cycles/<int:pk>/pdf/", cycle_views.cycle_pdf, name="cycle_pdf"),
    path(f"{C}cycles/<int:pk>/pdf/fichier/", cycle_views.cycle_pdf_file, name="cycle_pdf_file"),
    path("restitutions/", views.restitution_overview, name="overview"),
    path("restitutions/<int:pk>/", views.public_detail, name="public_detail"),
    path("restitutions/<int:pk>/pdf/", views.public_pdf, name="public_pdf"),
]
