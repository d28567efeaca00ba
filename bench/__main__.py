"""`make bench`: run every `bench/bench_*.py` and print one table (measure, size, median, p95, target).

Each module defines `run() -> list[Row]`. Benchmarks use their own PostgreSQL database (perseverance_bench),
migrated here, and the test Redis; they never touch the development data.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# Always the bench's own database (the Makefile exports TEST_DATABASE_URL for the tests: not this one).
os.environ["TEST_DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/perseverance_bench"
)
# And its own Redis index: the tests empty theirs (cache and queues) at every test.
os.environ["TEST_REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.common import ensure_database

    ensure_database(connection.settings_dict)
    call_command("migrate", verbosity=0)
    import bench

    rows = []
    only = sys.argv[1:]
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda i: i.name):
        if info.name.startswith("bench_") and (not only or info.name in only):
            module = importlib.import_module(f"bench.{info.name}")
            print(f"… {info.name}", file=sys.stderr)
            rows.extend(module.run())
    headers = ("measure", "size", "median", "p95", "target")
    table = [headers, *[(r.measure, r.size, r.median, r.p95, r.target) for r in rows]]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(headers))]
    for i, line in enumerate(table):
        print(" | ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True)))
        if i == 0:
            print("-+-".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
