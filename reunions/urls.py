app_name = "reunions"

urlpatterns: list = []
