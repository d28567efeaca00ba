from django.urls import path

from collectifs import views

app_name = "collectifs"

urlpatterns = [
    path("c/<slug:collectif_slug>/", views.collectif_detail, name="detail"),
]
