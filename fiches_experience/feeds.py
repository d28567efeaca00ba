"""Atom feed of the newest published fiches, for the resource centres' watch tools."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from fiches_experience.models import FicheExperience
from fiches_experience.text import html_to_text, obfuscate_emails


class LatestFichesFeed(Feed):
    feed_type = Atom1Feed
    title = "Fiches expérience — dernières publications"
    subtitle = "Les expériences des collectifs persévérance scolaire, publiées par les centres de ressources."
    link = reverse_lazy("fiches_experience:catalogue")

    def items(self):
        return (
            FicheExperience.objects.published()
            .select_related("territoire")
            .prefetch_related("sections")
            .order_by("-published_at")[:30]
        )

    def item_title(self, item: FicheExperience) -> str:
        return f"{item.title} ({item.territoire})" if item.territoire_id else item.title

    def item_description(self, item: FicheExperience) -> str:
        first = next((s for s in sorted(item.sections.all(), key=lambda s: s.position) if s.html), None)
        return Truncator(html_to_text(obfuscate_emails(first.html))).words(60) if first else ""

    def item_pubdate(self, item: FicheExperience):
        return item.published_at

    def item_updateddate(self, item: FicheExperience):
        return item.updated_at
