from tests.access import PUBLIC, Case

CASES = [
    Case("core:healthz", PUBLIC),
    Case("core:mentions_legales", PUBLIC),
    Case("core:confidentialite", PUBLIC),
    Case("core:accessibilite", PUBLIC),
]
