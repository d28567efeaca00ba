app_name = "membres"

urlpatterns: list = []
