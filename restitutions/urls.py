from django.urls import path

from restitutions import views

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
    path(f"{C}cycles/nouveau/", views.cycle_create, name="cycle_create"),
    path(f"{C}cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path(f"{C}cycles/<int:pk>/modifier/", views.cycle_update, name="cycle_update"),
    path(f"{C}cycles/<int:pk>/pdf/", views.cycle_pdf, name="cycle_pdf"),
    path(f"{C}cycles/<int:pk>/pdf/fichier/", views.cycle_pdf_file, name="cycle_pdf_file"),
    path("restitutions/", views.restitution_overview, name="overview"),
    path("restitutions/<int:pk>/", views.public_detail, name="public_detail"),
    path("restitutions/<int:pk>/pdf/", views.public_pdf, name="public_pdf"),
]
