"""Demo collectif built from seed 000 (Villefontaine). Institutions are real kinds; every person is invented."""

from django.utils import timezone

from collectifs.models import Collectif, Institution, Territoire, Theme
from membres.models import Membership, Niveau, User

DEMO_PASSWORD = "demo-perseverance"
K = Institution.Kind
R = Membership.Role

INSTITUTIONS = [
    ("Collège Louis-Aragon", K.ETABLISSEMENT),
    ("Collège Servenoble", K.ETABLISSEMENT),
    ("Collège Léonard-de-Vinci", K.ETABLISSEMENT),
    ("Maison de quartier Saint-Bonnet", K.ASSOCIATION),
    ("Maison de quartier des Roches", K.ASSOCIATION),
    ("Prévention spécialisée Nord-Isère", K.ASSOCIATION),
    ("Association ESA", K.ASSOCIATION),
    ("GIP-DRE Nord-Isère (réussite éducative)", K.DISPOSITIF),
    ("Circonscription de Villefontaine (IEN)", K.EDUCATION_NATIONALE),
    ("DSDEN de l'Isère", K.EDUCATION_NATIONALE),
    ("Mairie de Villefontaine", K.COLLECTIVITE),
    ("La Bouture", K.CENTRE_RESSOURCES),
]

# (email, first name, last name, institution, function, niveau, role)
PEOPLE = [
    (
        "coordination@exemple.org",
        "Sophie",
        "Bernard",
        "GIP-DRE Nord-Isère (réussite éducative)",
        "Coordinatrice de réussite éducative",
        Niveau.ENCADREMENT,
        R.COORDINATOR,
    ),
    (
        "principal.aragon@exemple.org",
        "Marc",
        "Lefebvre",
        "Collège Louis-Aragon",
        "Principal",
        Niveau.ENCADREMENT,
        R.MEMBER,
    ),
    ("cpe.servenoble@exemple.org", "Nadia", "Haddad", "Collège Servenoble", "CPE", Niveau.TERRAIN, R.MEMBER),
    (
        "educateur@exemple.org",
        "Julien",
        "Robert",
        "Prévention spécialisée Nord-Isère",
        "Éducateur de prévention",
        Niveau.TERRAIN,
        R.MEMBER,
    ),
    (
        "dga@exemple.org",
        "Hélène",
        "Girard",
        "Mairie de Villefontaine",
        "Directrice générale adjointe des services",
        Niveau.POLITIQUE,
        R.MEMBER,
    ),
    (
        "ien@exemple.org",
        "Pierre",
        "Morel",
        "Circonscription de Villefontaine (IEN)",
        "Inspecteur de l'Éducation nationale",
        Niveau.POLITIQUE,
        R.MEMBER,
    ),
    (
        "accompagnement@exemple.org",
        "Amélie",
        "Fontaine",
        "La Bouture",
        "Chargée d'accompagnement",
        Niveau.TERRAIN,
        R.GUEST,
    ),
]

DEMO_ACCOUNTS = [
    ("coordination@exemple.org", "coordinatrice du collectif de Villefontaine"),
    ("principal.aragon@exemple.org", "membre (principal de collège, niveau encadrement)"),
    ("cpe.servenoble@exemple.org", "membre (CPE, niveau terrain)"),
    ("dga@exemple.org", "membre (ville, niveau politique)"),
    ("accompagnement@exemple.org", "invitée (lecture seule)"),
    ("crpv@exemple.org", "éditrice ressources (CRPV)"),
    ("admin@exemple.org", "super-utilisateur (administration)"),
]


def demo_user(email: str, first_name: str = "", last_name: str = "", **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load(stdout) -> None:
    isere, _ = Territoire.objects.get_or_create(
        name="Isère", kind=Territoire.Kind.DEPARTEMENT, defaults={"code": "38"}
    )
    commune, _ = Territoire.objects.get_or_create(
        name="Villefontaine", kind=Territoire.Kind.COMMUNE, defaults={"code": "38553", "parent": isere}
    )
    institutions = {
        name: Institution.objects.get_or_create(name=name, territoire=commune, defaults={"kind": kind})[0]
        for name, kind in INSTITUTIONS
    }
    collectif, created = Collectif.objects.get_or_create(
        slug="villefontaine",
        defaults={
            "name": "Collectif persévérance scolaire de Villefontaine",
            "territoire": commune,
            "description": (
                "Né en 2015 à l'initiative des trois collèges, le collectif réunit les partenaires socio-éducatifs "
                "de la commune pour construire une culture commune du décrochage scolaire et agir ensemble. "
                "Il se réunit en plénière trois à quatre fois par an ; des groupes de tâches préparent les dossiers "
                "entre deux plénières."
            ),
        },
    )
    if created:
        collectif.themes.set(
            Theme.objects.filter(slug__in=["relations-avec-les-parents", "exclusions-temporaires", "orientation"])
        )
    start = timezone.localdate().replace(month=9, day=1)
    for email, first, last, institution, function, niveau, role in PEOPLE:
        user = demo_user(email, first, last)
        Membership.objects.get_or_create(
            user=user,
            collectif=collectif,
            left_on=None,
            defaults={
                "institution": institutions[institution],
                "function": function,
                "niveau": niveau,
                "role": role,
                "joined_on": start.replace(year=start.year - 2),
            },
        )
    demo_user("crpv@exemple.org", "Lucie", "Perrin", is_crpv_editor=True)
    admin = demo_user("admin@exemple.org", "Admin", "Plateforme")
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    stdout.write("  membres : collectif de Villefontaine et ses membres")
