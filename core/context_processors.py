from django.conf import settings


def site(request):
    return {"SITE_NAME": "Persévérance scolaire", "SITE_URL": settings.SITE_URL}


def page_cache(request):
    """While core.pagecache renders a page to keep, the CSRF token is a placeholder that each response fills in
    (after Django's own csrf processor, so this one wins)."""
    if getattr(request, "_pagecache_placeholders", False):
        from core.pagecache import CSRF_PLACEHOLDER

        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
