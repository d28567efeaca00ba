from tests.access import PUBLIC, Case

CASES = [Case("core:healthz", PUBLIC)]
