"""The project's URLs plus a page that refuses access and one that fails, to render the 403 and 500 pages."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def forbidden(request):
    raise PermissionDenied("Cette action est réservée à la coordination du collectif.")


def broken(request):
    raise RuntimeError("Panne simulée")


urlpatterns = [path("__interdit__/", forbidden), path("__panne__/", broken), *project_urlpatterns]
