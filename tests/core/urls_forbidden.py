"""The project's URLs plus one page that refuses access, to render the 403 page through every middleware."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def forbidden(request):
    raise PermissionDenied("Cette action est réservée à la coordination du collectif.")


urlpatterns = [path("__interdit__/", forbidden), *project_urlpatterns]
