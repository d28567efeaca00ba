from django.urls import path

from documents.views import agenda, bin, documents, folders, space

app_name = "documents"

P = "c/<slug:collectif_slug>/documents/"

urlpatterns = [
    path(P, space.space, name="space"),
    path(P + "tous/", space.document_list, name="list"),
    path(P + "pieces-jointes/", space.attachments, name="attachments"),
    path(P + "groupe/<int:groupe_pk>/", space.groupe_folder, name="groupe_folder"),
    path(P + "dossiers/nouveau/", folders.folder_create, name="folder_create"),
    path(P + "dossiers/<int:pk>/", space.folder_detail, name="folder"),
    path(P + "dossiers/<int:pk>/renommer/", folders.folder_rename, name="folder_rename"),
    path(P + "dossiers/<int:pk>/supprimer/", folders.folder_delete, name="folder_delete"),
    path(P + "dossiers/<int:folder_pk>/deposer/", documents.document_upload, name="upload"),
    path(P + "corbeille/", bin.bin_list, name="bin"),
    path(P + "corbeille/vider/", bin.bin_empty, name="bin_empty"),
    path(P + "<int:pk>/", documents.document_detail, name="detail"),
    path(P + "<int:pk>/telecharger/", documents.document_download, name="download"),
    path(P + "<int:pk>/versions/<int:version_pk>/", documents.document_download, name="version_download"),
    path(P + "<int:pk>/nouvelle-version/", documents.version_add, name="version_add"),
    path(P + "<int:pk>/renommer/", documents.document_rename, name="rename"),
    path(P + "<int:pk>/deplacer/", documents.document_move, name="move"),
    path(P + "<int:pk>/pleniere/", documents.document_flag, name="flag"),
    path(P + "<int:pk>/supprimer/", documents.document_trash, name="trash"),
    path(P + "<int:pk>/restaurer/", documents.document_restore, name="restore"),
    path(P + "<int:pk>/ordre-du-jour/<int:reunion_pk>/", agenda.put_on_agenda, name="put_on_agenda"),
]
