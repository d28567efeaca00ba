"""Themes and dispositifs named in the CRPV study (seed 003) and the Villefontaine fiche (seed 000).

They are reference data, not demo data: every instance starts with them; coordinators add more in the admin.
"""

from django.db import migrations
from django.utils.text import slugify

THEMES = [
    "Relations avec les parents",
    "Orientation",
    "Exclusions temporaires",
    "Lien avec le premier degré",
    "16-18 ans",
    "Santé et bien-être",
    "Mixité sociale",
    "Médiation scolaire",
    "Décrochage scolaire",
    "Coopérations éducatives",
    "Accompagnement à la scolarité",
    "Égalité filles-garçons",
    "Évaluation",
    "Parentalité",
]

DISPOSITIFS = [
    ("Programme de réussite éducative", "PRE"),
    ("Dispositif de réussite éducative", "DRE"),
    ("Projet éducatif territorial", "PEDT"),
    ("Contrat local d'accompagnement à la scolarité", "CLAS"),
    ("Cité éducative", ""),
    ("Réseau d'éducation prioritaire renforcé", "REP+"),
    ("Contrat de ville", ""),
    ("Programme personnalisé de réussite éducative", "PPRE"),
    ("Conseil local de sécurité et de prévention de la délinquance", "CLSPD"),
    ("Réseau d'écoute, d'appui et d'accompagnement des parents", "REAAP"),
    ("Convention territoriale globale", "CTG"),
    ("Obligation de formation 16-18 ans", ""),
]


def create(apps, schema_editor):
    Theme = apps.get_model("collectifs", "Theme")
    Dispositif = apps.get_model("collectifs", "Dispositif")
    for name in THEMES:
        Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    for name, acronym in DISPOSITIFS:
        Dispositif.objects.get_or_create(slug=slugify(acronym or name), defaults={"name": name, "acronym": acronym})


class Migration(migrations.Migration):
    dependencies = [("collectifs", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
