from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        # The administration has no login form of its own: staff sign in through allauth, with its rate limits
        # and their second factor.
        admin.site.login = secure_admin_login(admin.site.login)

        from core import pagecache

        # Every write to the database moves the content generation on (cached pages are not served again).
        pagecache.install_everywhere()
