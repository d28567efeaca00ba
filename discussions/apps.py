from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = "Discussions"

    def ready(self):
        from anymail.signals import inbound

        from discussions.inbound import anymail_inbound

        # Replies by e-mail that a provider's inbound webhook delivers (config/urls.py serves the webhooks).
        inbound.connect(anymail_inbound, dispatch_uid="discussions.inbound.anymail_inbound")
