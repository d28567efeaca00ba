from django.urls import path  # noqa: F401  (the documents helper adds the views)

app_name = "documents"

urlpatterns: list = []
