from django.apps import AppConfig


class CollectifsConfig(AppConfig):
    name = "collectifs"
    verbose_name = "Collectifs"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from collectifs.access import collectifs_forget, memberships_forget
        from collectifs.models import Collectif, Institution
        from membres.models import Membership

        # The cached lists of memberships (collectifs.access.user_memberships) follow every change of their rows.
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(memberships_forget, sender=Membership, dispatch_uid=f"collectifs.memberships_forget.{name}")
            for model in (Collectif, Institution):
                signal.connect(
                    collectifs_forget,
                    sender=model,
                    dispatch_uid=f"collectifs.collectifs_forget.{model.__name__}.{name}",
                )
