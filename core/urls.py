from django.urls import path

from core import legal, views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("mentions-legales/", views.legal_page, {"slug": legal.MENTIONS}, name="mentions_legales"),
    path("confidentialite/", views.legal_page, {"slug": legal.CONFIDENTIALITE}, name="confidentialite"),
    path("accessibilite/", views.legal_page, {"slug": legal.ACCESSIBILITE}, name="accessibilite"),
]
