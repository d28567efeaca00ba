from django.urls import path

from bilans import views

app_name = "bilans"

B = "c/<slug:collectif_slug>/bilan/"

urlpatterns = [
    path(B, views.bilan, name="bilan"),
    path(B + "<int:year>/preparer/", views.bilan_build, name="build"),
    path(B + "<int:year>/etat/", views.bilan_status, name="status"),
    path(B + "<int:year>/bilan.<str:fmt>", views.bilan_file, name="file"),
]
