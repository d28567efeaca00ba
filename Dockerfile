# Production image: gunicorn serves config.wsgi; the same image runs the Celery worker and beat
# (see docker-compose.yml). Every variable of the README's table can be passed at run time.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    PRIVATE_MEDIA_ROOT=/app/private-media \
    PORT=8000

# WeasyPrint's libraries (Pango, HarfBuzz, fonts) and the PostgreSQL client for `manage.py dbshell`, `backup` and
# `restore`, of the server's major version (pg_dump refuses a newer server than itself): from the PostgreSQL
# project's repository, whose signing key ships with Debian's postgresql-common.
ARG PG_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-common ca-certificates \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
        fonts-dejavu-core shared-mime-info postgresql-client-${PG_MAJOR} \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app && useradd --system --gid app --home-dir /app app
WORKDIR /app

COPY requirements/base.lock requirements/base.lock
RUN pip install --require-hashes -r requirements/base.lock

COPY --chown=app:app . .
# collectstatic needs settings to import, not real secrets: throwaway values used only for this step.
RUN SECRET_KEY=collectstatic-only-not-a-secret-0000000000000000000000 ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/private-media /app/var && chown -R app:app /app/media /app/private-media /app/var

USER app
EXPOSE 8000
CMD ["sh", "-c", "gunicorn config.wsgi:application --bind 0.0.0.0:${PORT} --access-logfile - --forwarded-allow-ips='*'"]
