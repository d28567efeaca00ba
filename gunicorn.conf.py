"""gunicorn settings, read from the working directory by every `gunicorn` start (Dockerfile, docker-compose.yml,
the smoke test); the command line adds the bind address and the number of workers.

The access log masks the tokens that some paths carry (RSVP links, calendar feeds, invitations, allauth keys):
every atom goes through core/logmask.py.
"""

logger_class = "core.logmask.GunicornLogger"

# Behind the TLS proxy every connection comes from the proxy: the access log starts with X-Forwarded-For, whose
# last entry is the client's address as the trusted proxy saw it (see TRUSTED_PROXY_COUNT), then the peer.
accesslog = "-"
access_log_format = '%({x-forwarded-for}i)s %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sµs'
