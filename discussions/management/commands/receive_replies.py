"""`python manage.py receive_replies [--host H] [--port P]`: the SMTP receiver of replies to discussions, in the
foreground until SIGTERM or Ctrl-C (discussions/smtp.py). A process of its own in the Procfile and docker-compose.yml.
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from discussions.replies import reply_domain
from discussions.smtp import reply_controller


class Command(BaseCommand):
    help = "Reçoit par SMTP les réponses par e-mail aux discussions et les publie."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.REPLY_SMTP_HOST, help="Adresse d'écoute (REPLY_SMTP_HOST).")
        parser.add_argument(
            "--port", type=int, default=settings.REPLY_SMTP_PORT, help="Port d'écoute (REPLY_SMTP_PORT)."
        )

    def handle(self, *args, host: str, port: int, **options):
        controller = reply_controller(host, port)
        try:
            controller.start()
        except (OSError, RuntimeError) as exc:
            raise CommandError(f"Impossible d'écouter sur {host}:{port} : {exc}") from exc
        if reply_domain():
            self.stdout.write(f"Réponses par e-mail pour @{reply_domain()} reçues sur {host}:{port}.")
        else:
            self.stdout.write(
                f"REPLY_DOMAIN est vide : {host}:{port} refuse tout destinataire (réponses désactivées)."
            )
        self.stdout.flush()
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        while not stop.wait(1):
            pass
        controller.stop()
        self.stdout.write("Récepteur des réponses arrêté.")
