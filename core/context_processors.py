from django.conf import settings


def site(request):
    return {"SITE_NAME": "Persévérance scolaire", "SITE_URL": settings.SITE_URL}
