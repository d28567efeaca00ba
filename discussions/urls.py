from django.urls import path  # noqa: F401  (the discussions helper adds the views)

app_name = "discussions"

urlpatterns: list = []
