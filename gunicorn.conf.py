"""Read by gunicorn at start-up (its default configuration file in the working directory).

The access log masks the tokens that some paths carry (RSVP links, calendar feeds, invitations, allauth keys):
see core/logmask.py.
"""

logger_class = "core.logmask.GunicornLogger"
