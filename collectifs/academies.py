"""The académies of France, their holiday zone and their départements: reference data of the school calendar
(`collectifs.calendrier`), kept apart so that the models can offer the académies as choices."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class Zone(models.TextChoices):
    A = "A", gettext_lazy("Zone A")
    B = "B", gettext_lazy("Zone B")
    C = "C", gettext_lazy("Zone C")
    CORSE = "corse", gettext_lazy("Corse (calendrier propre)")
    OUTRE_MER = "outre-mer", gettext_lazy("Outre-mer (calendrier propre)")


# Académie code → (name, zone, départements). The 2020 reform merged Caen and Rouen into Normandie.
ACADEMIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "aix-marseille": ("Aix-Marseille", Zone.B, ("04", "05", "13", "84")),
    "amiens": ("Amiens", Zone.B, ("02", "60", "80")),
    "besancon": ("Besançon", Zone.A, ("25", "39", "70", "90")),
    "bordeaux": ("Bordeaux", Zone.A, ("24", "33", "40", "47", "64")),
    "clermont-ferrand": ("Clermont-Ferrand", Zone.A, ("03", "15", "43", "63")),
    "corse": ("Corse", Zone.CORSE, ("2A", "2B")),
    "creteil": ("Créteil", Zone.C, ("77", "93", "94")),
    "dijon": ("Dijon", Zone.A, ("21", "58", "71", "89")),
    "grenoble": ("Grenoble", Zone.A, ("07", "26", "38", "73", "74")),
    "lille": ("Lille", Zone.B, ("59", "62")),
    "limoges": ("Limoges", Zone.A, ("19", "23", "87")),
    "lyon": ("Lyon", Zone.A, ("01", "42", "69")),
    "montpellier": ("Montpellier", Zone.C, ("11", "30", "34", "48", "66")),
    "nancy-metz": ("Nancy-Metz", Zone.B, ("54", "55", "57", "88")),
    "nantes": ("Nantes", Zone.B, ("44", "49", "53", "72", "85")),
    "nice": ("Nice", Zone.B, ("06", "83")),
    "normandie": ("Normandie", Zone.B, ("14", "27", "50", "61", "76")),
    "orleans-tours": ("Orléans-Tours", Zone.B, ("18", "28", "36", "37", "41", "45")),
    "paris": ("Paris", Zone.C, ("75",)),
    "poitiers": ("Poitiers", Zone.A, ("16", "17", "79", "86")),
    "reims": ("Reims", Zone.B, ("08", "10", "51", "52")),
    "rennes": ("Rennes", Zone.B, ("22", "29", "35", "56")),
    "strasbourg": ("Strasbourg", Zone.B, ("67", "68")),
    "toulouse": ("Toulouse", Zone.C, ("09", "12", "31", "32", "46", "65", "81", "82")),
    "versailles": ("Versailles", Zone.C, ("78", "91", "92", "95")),
    "guadeloupe": ("Guadeloupe", Zone.OUTRE_MER, ("971",)),
    "martinique": ("Martinique", Zone.OUTRE_MER, ("972",)),
    "guyane": ("Guyane", Zone.OUTRE_MER, ("973",)),
    "la-reunion": ("La Réunion", Zone.OUTRE_MER, ("974",)),
    "mayotte": ("Mayotte", Zone.OUTRE_MER, ("976",)),
}
ACADEMIE_CHOICES = [(code, name) for code, (name, _zone, _deps) in sorted(ACADEMIES.items(), key=lambda kv: kv[1][0])]
