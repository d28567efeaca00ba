"""Production: static files collected with hashed, compressed names and served by WhiteNoise; HTTPS redirect."""

import subprocess
import sys

from tests.core.test_security import BASE_DIR, production_env

SERVE = """
import re, django
django.setup()
from django.test import Client
client = Client()
page = client.get("/compte/login/", secure=True, HTTP_HOST="perseverance.example.org")
assert page.status_code == 200, page.status_code
css = re.search(r'href="(/static/css/app\\.[0-9a-f]{12}\\.css)"', page.content.decode()).group(1)
asset = client.get(css, secure=True, HTTP_HOST="perseverance.example.org")
assert asset.status_code == 200, asset.status_code
assert asset["Content-Type"].startswith("text/css"), asset["Content-Type"]
assert "immutable" in asset["Cache-Control"], asset["Cache-Control"]
assert client.get("/", HTTP_HOST="perseverance.example.org").status_code == 301  # HTTP goes to HTTPS
health = client.get("/healthz", HTTP_HOST="perseverance.example.org")  # except the load balancer's probe
assert health.status_code == 200, health.status_code
print("served", css)
"""


def test_collectstatic_hashes_and_compresses_and_whitenoise_serves_the_hashed_files(db, tmp_path):
    env = production_env(STATIC_ROOT=str(tmp_path / "static"))
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static" / "css").glob("app.*.css.gz"))
    assert list((tmp_path / "static" / "vendor").glob("htmx.min.*.js"))

    result = subprocess.run(
        [sys.executable, "-c", SERVE], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "served /static/css/app." in result.stdout
