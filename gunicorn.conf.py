"""gunicorn settings, read from the working directory by every `gunicorn` start (Dockerfile, docker-compose.yml,
the smoke test); the command line adds the bind address (and may override the numbers below).

The access log masks the tokens that some paths carry (RSVP links, calendar feeds, invitations, allauth keys):
every atom goes through core/logmask.py.
"""

import os

logger_class = "core.logmask.GunicornLogger"

# Two processes per core (at most 8 by default: a container sees every core of its host), each with a few threads
# (gthread): a thread waiting on PostgreSQL or Redis lets another one run, and a client's keep-alive connection stays
# open (sync workers close it after every response, so each request of a browser or a load balancer pays a new
# connection). Each thread keeps its own database connection (CONN_MAX_AGE): workers × threads connections per web
# container. WEB_CONCURRENCY and GUNICORN_THREADS override.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1), 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread" if threads > 1 else "sync"
keepalive = 5

# Behind the TLS proxy every connection comes from the proxy: the access log starts with X-Forwarded-For, whose
# last entry is the client's address as the trusted proxy saw it (see TRUSTED_PROXY_COUNT), then the peer.
accesslog = "-"
access_log_format = '%({x-forwarded-for}i)s %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sµs'
