app_name = "restitutions"

urlpatterns: list = []
