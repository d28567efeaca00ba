from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from collectifs import views as collectif_views

admin.site.site_header = "Persévérance scolaire — administration"
admin.site.site_title = "Administration"

# Each app owns its full paths (collectif-scoped ones start with c/<collectif_slug>/), so that adding a
# page never touches this file.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("compte/", include("allauth.urls")),
    path("", include("core.urls")),
    path("", include("collectifs.urls")),
    path("", collectif_views.home, name="home"),
    path("", include("membres.urls")),
    path("", include("reunions.urls")),
    path("", include("actions.urls")),
    path("", include("fiches_experience.urls")),
    path("", include("restitutions.urls")),
    path("", include("documents.urls")),
    path("", include("discussions.urls")),
    path("", include("bilans.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
