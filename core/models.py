from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import legal


class LegalPage(models.Model):
    """The text of one of the legal pages (mentions légales, confidentialité, accessibilité), edited by a
    superuser in the administration; without a row, the default text of core.legal is shown."""

    slug = models.SlugField(_("page"), max_length=40, unique=True, choices=list(legal.TITLES.items()))
    body = models.TextField(
        _("texte"),
        max_length=30_000,
        help_text=_(
            "Paragraphes séparés par une ligne vide ; « ## » en début de paragraphe pour un intertitre ; "
            "« - » en début de ligne pour une liste. Pas de HTML."
        ),
    )
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("page légale")
        verbose_name_plural = _("pages légales")
        ordering = ["slug"]

    def __str__(self) -> str:
        return str(legal.TITLES.get(self.slug, self.slug))
