"""Deployment files: no Docker engine runs here, so check that every command they start exists in the project."""

import importlib
import re
import shlex
from pathlib import Path

import yaml
from celery import Celery
from celery.app.utils import find_app
from django.core.management import get_commands

BASE_DIR = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
DOCKERFILE = (BASE_DIR / "Dockerfile").read_text()


def check_command(command: list[str]) -> None:
    """Fail unless the program and what it points at (module, app, management command) exist."""
    program, *args = command
    if program == "gunicorn":
        module_name, _, attribute = args[0].partition(":")
        module = importlib.import_module(module_name)
        assert callable(getattr(module, attribute or "application")), args[0]
    elif program == "celery":
        app = find_app(args[args.index("-A") + 1])
        assert isinstance(app, Celery)
        assert args[args.index("-A") + 2] in ("worker", "beat")
    elif program == "python" and args[0] == "manage.py":
        assert args[1] in get_commands(), f"commande inconnue : {args[1]}"
    else:
        raise AssertionError(f"commande inattendue : {command}")


def test_compose_has_postgres_redis_web_worker_beat_and_the_reply_receiver():
    assert set(COMPOSE["services"]) == {"postgres", "redis", "web", "worker", "beat", "replies"}
    assert COMPOSE["services"]["postgres"]["image"].startswith("postgres:")
    assert COMPOSE["services"]["redis"]["image"].startswith("redis:")


def test_each_compose_service_runs_a_command_that_exists_in_the_project():
    for name in ("web", "worker", "beat", "replies"):
        service = COMPOSE["services"][name]
        command = service["command"]
        check_command(shlex.split(command) if isinstance(command, str) else command)
        settings_module = service["environment"]["DJANGO_SETTINGS_MODULE"]
        assert importlib.util.find_spec(settings_module), settings_module
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:")
        assert {"postgres", "redis"} <= set(service["depends_on"])
    assert shlex.split(COMPOSE["services"]["web"]["command"])[0] == "gunicorn"


def test_compose_commands_mentioned_in_comments_exist():
    for command in re.findall(r"run --rm web (python manage\.py \w+)", (BASE_DIR / "docker-compose.yml").read_text()):
        check_command(shlex.split(command))


def test_dockerfile_installs_the_locked_dependencies_and_weasyprint_libraries():
    assert DOCKERFILE.startswith("# ") and "FROM python:3.11-slim-bookworm" in DOCKERFILE
    assert "pip install --require-hashes -r requirements/base.lock" in DOCKERFILE
    assert (BASE_DIR / "requirements" / "base.lock").exists()
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b"):
        assert library in DOCKERFILE
    assert "manage.py collectstatic --noinput" in DOCKERFILE
    cmd = re.search(r'^CMD \["sh", "-c", "(.+)"\]$', DOCKERFILE, re.MULTILINE).group(1)
    check_command(shlex.split(cmd.replace("${PORT}", "8000")))


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    for entry in (".env", ".venv", "var", ".git"):
        assert entry in ignored


def test_the_reply_receiver_listens_on_every_interface_of_its_container_and_port_25_reaches_it():
    replies = COMPOSE["services"]["replies"]
    args = shlex.split(replies["command"])
    assert args[:3] == ["python", "manage.py", "receive_replies"]
    assert args[args.index("--host") + 1] == "0.0.0.0"
    assert f"25:{args[args.index('--port') + 1]}" in replies["ports"]
    procfile = dict(line.split(": ", 1) for line in (BASE_DIR / "Procfile").read_text().splitlines() if line)
    assert "manage.py receive_replies" in procfile["replies"]
