from anymail import urls as anymail_urls
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

# Replies by e-mail through a provider: anymail's inbound webhooks (/anymail/postmark/inbound/,
# /anymail/mailgun/inbound_mime/, /anymail/mailjet/inbound/…), delivered to discussions.inbound by anymail's inbound
# signal. Served only with a webhook secret (HTTP basic auth, ANYMAIL_WEBHOOK_SECRET): without one anymail would
# take posts from anyone.
# Providers whose inbound webhook needs nothing but that secret; Mailgun also checks its own signature. (anymail no
# longer supports SendGrid, see its issue 432.)
INBOUND_PROVIDERS = {"postmark", "mailjet", "sparkpost"}
if settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
    INBOUND_PROVIDERS.add("mailgun")
if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    anymail_inbound = [
        p for p in anymail_urls.urlpatterns if p.name in {f"{e}_inbound_webhook" for e in INBOUND_PROVIDERS}
    ]
    urlpatterns.append(path("anymail/", include((anymail_inbound, "anymail"))))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
