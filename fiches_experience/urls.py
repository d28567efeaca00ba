from django.urls import path

from fiches_experience import views
from fiches_experience.feeds import LatestFichesFeed

app_name = "fiches_experience"

urlpatterns = [
    path("fiches/", views.catalogue, name="catalogue"),
    path("fiches/flux.atom", LatestFichesFeed(), name="feed"),
    path("fiches/export.json", views.export_json, name="export_json"),
    path("fiches/export.csv", views.export_csv, name="export_csv"),
    path("fiches/edition/", views.editor_list, name="editor_list"),
    path("fiches/edition/nouvelle/", views.create, name="create"),
    path("fiches/edition/import/", views.import_view, name="import"),
    path("fiches/edition/<int:pk>/", views.edit, name="edit"),
    path("fiches/edition/<int:pk>/apercu/", views.preview, name="preview"),
    path("fiches/edition/<int:pk>/sections/<slug:key>/", views.section_edit, name="section_edit"),
    path("fiches/edition/<int:pk>/soumettre/", views.submit, name="submit"),
    path("fiches/edition/<int:pk>/publier/", views.publish, name="publish"),
    path("fiches/edition/<int:pk>/brouillon/", views.return_to_draft, name="return_to_draft"),
    path("fiches/edition/<int:pk>/relue/", views.mark_reviewed, name="mark_reviewed"),
    path("fiches/edition/<int:pk>/archiver/", views.archive, name="archive"),
    path("fiches/edition/<int:pk>/versions/", views.versions, name="versions"),
    path("fiches/edition/<int:pk>/versions/<int:number>/", views.version_diff_view, name="version_diff"),
    path(
        "fiches/edition/<int:pk>/propositions/<int:proposal_pk>/publier/",
        views.proposal_publish,
        name="proposal_publish",
    ),
    path(
        "fiches/edition/<int:pk>/propositions/<int:proposal_pk>/ecarter/",
        views.proposal_reject,
        name="proposal_reject",
    ),
    # In a collectif: a fiche drafted from a restitution or a cycle of ateliers (POST).
    path("c/<slug:collectif_slug>/restitutions/<int:pk>/fiche/", views.from_restitution, name="from_restitution"),
    path("c/<slug:collectif_slug>/restitutions/cycles/<int:pk>/fiche/", views.from_cycle, name="from_cycle"),
    # Last: a fiche's slug never takes one of the words above (services.RESERVED_SLUGS).
    path("fiches/<slug:slug>/", views.detail, name="detail"),
    path("fiches/<slug:slug>/pdf/", views.pdf, name="pdf"),
]
