#!/usr/bin/env bash
# Our side of the side-by-side, as `run.sh` of the harness expects it: one command builds (once) and serves.
#
#   bash bench/sidebyside/ours.sh start    # database, migrate, load_demo, collectstatic, seed (once), gunicorn
#   bash bench/sidebyside/ours.sh stop     # stops the gunicorn started here (its pid file)
#
# Then, from the harness copy (with bench/http_seed.py as its sidebyside/seed_ours.py and this folder's
# sbs_measure.py over its own):
#   OURS_DIR=<this checkout> OURS_ENV=$RUN/ours.env OURS_SEED=$RUN/ours-seed.json OURS_PIDFILE=$RUN/gunicorn.pid \
#     bash sidebyside/run.sh
#
# Every default below can be overridden from the environment. gunicorn reads gunicorn.conf.py (workers, threads).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUN="${RUN:-/tmp/sbs-run}"
PORT="${OURS_PORT:-8820}"
DB="${OURS_DB:-sbs_ours}"
PGURL="${OURS_PG:-postgres://postgres@127.0.0.1:5432}"
REDIS="${OURS_REDIS_URL:-redis://127.0.0.1:6379/6}"
mkdir -p "$RUN"

case "${1:-start}" in
stop)
  [ -s "$RUN/gunicorn.pid" ] && kill "$(cat "$RUN/gunicorn.pid")" && rm -f "$RUN/gunicorn.pid"
  exit 0 ;;
start) ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

if [ ! -s "$RUN/ours.env" ]; then
  cat > "$RUN/ours.env" <<EOF
export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL=$PGURL/$DB
export REDIS_URL=$REDIS
export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
export ALLOWED_HOSTS=127.0.0.1,localhost
export SITE_URL=http://127.0.0.1:$PORT
export SECURE_SSL_REDIRECT=false
export CONN_MAX_AGE=600
export STATIC_ROOT=$RUN/static
export MEDIA_ROOT=$RUN/media
export VAR_DIR=$RUN/var
export LOG_LEVEL=WARNING
EOF
  chmod 600 "$RUN/ours.env"
fi
# shellcheck disable=SC1091
. "$RUN/ours.env"
cd "$ROOT"
psql "$PGURL/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 || \
  psql "$PGURL/postgres" -qc "CREATE DATABASE \"$DB\""
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py collectstatic --noinput -v 0
if [ ! -s "$RUN/ours-seed.json" ]; then
  .venv/bin/python manage.py load_demo > "$RUN/load_demo.log" 2>&1
  CELERY_TASK_ALWAYS_EAGER=true EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend SEED_OUT="$RUN/ours-seed.json" \
    .venv/bin/python manage.py shell -c "exec(open('bench/http_seed.py').read())" > "$RUN/seed.log" 2>&1
fi
if [ -s "$RUN/gunicorn.pid" ] && kill -0 "$(cat "$RUN/gunicorn.pid")" 2>/dev/null; then
  echo "already serving: pid $(cat "$RUN/gunicorn.pid")"; exit 0
fi
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --pid "$RUN/gunicorn.pid" --workers "${WEB_CONCURRENCY:-4}" \
  --access-logfile /dev/null --log-level warning --daemon
for _ in $(seq 1 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ] && break; sleep 0.2
done
echo "serving http://127.0.0.1:$PORT (pid $(cat "$RUN/gunicorn.pid")), env $RUN/ours.env, seed $RUN/ours-seed.json"
