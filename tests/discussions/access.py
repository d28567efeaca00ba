"""Access cases of the discussions app's URLs (tests/test_access_walk.py)."""

from config.urls import INBOUND_PROVIDERS
from tests.access import Case, expect

# Replies by e-mail through a provider (config/urls.py): anymail's inbound webhooks answer nobody without the
# webhook's basic auth, whatever their session; GET is not a method they take. The posts themselves are tested in
# tests/discussions/test_inbound_webhook.py.
NO_SECRET = expect(anonymous=400, guest=400, member=400, coordinator=400, other=400, crpv=400, superuser=400)
NO_GET = expect(anonymous=405, guest=405, member=405, coordinator=405, other=405, crpv=405, superuser=405)
INBOUND_WEBHOOKS = sorted(f"{provider}_inbound_webhook" for provider in INBOUND_PROVIDERS)

CASES = [
    *(Case(f"anymail:{name}", NO_SECRET, method="post", note="sans secret") for name in INBOUND_WEBHOOKS),
    *(Case(f"anymail:{name}", NO_GET, note="GET") for name in INBOUND_WEBHOOKS),
]
