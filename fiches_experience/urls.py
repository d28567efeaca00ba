app_name = "fiches_experience"

urlpatterns: list = []
