"""Demo collectifs: Villefontaine (seed 000) and L'Isle-d'Abeau, the neighbouring commune the approach spread to.
Institutions are real kinds; every person is invented. Idempotent: get_or_create on natural keys."""

import datetime

from django.utils import timezone

from collectifs.models import CharteAdoption, CharteVersion, Collectif, Institution, Territoire, Theme
from core.demo import DEMO_PASSWORD
from membres.models import Membership, Niveau, User

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

T, E, P = Niveau.TERRAIN, Niveau.ENCADREMENT, Niveau.POLITIQUE
M, G = R.MEMBER, R.GUEST

# More members of Villefontaine, so that the directory and the cartography have something to show.
MORE_PEOPLE = [
    ("principal.servenoble@exemple.org", "Olivier", "Garnier", "Collège Servenoble", "Principal", E, M),
    ("principale.vinci@exemple.org", "Catherine", "Roussel", "Collège Léonard-de-Vinci", "Principale", E, M),
    ("cpe.aragon@exemple.org", "Samir", "Belkacem", "Collège Louis-Aragon", "CPE", T, M),
    ("cpe.vinci@exemple.org", "Laura", "Mercier", "Collège Léonard-de-Vinci", "CPE", T, M),
    ("as.aragon@exemple.org", "Isabelle", "Caron", "Collège Louis-Aragon", "Assistante sociale", T, M),
    ("infirmiere.servenoble@exemple.org", "Claire", "Vidal", "Collège Servenoble", "Infirmière scolaire", T, M),
    ("psyen@exemple.org", "Thomas", "Fabre", "Circonscription de Villefontaine (IEN)", "Psychologue de l'EN", T, M),
    (
        "cpc@exemple.org",
        "Émilie",
        "Barbier",
        "Circonscription de Villefontaine (IEN)",
        "Conseillère pédagogique",
        E,
        M,
    ),
    ("pdv.dsden@exemple.org", "Rachid", "Amrani", "DSDEN de l'Isère", "Chargé de mission politique de la ville", E, M),
    ("directeur.st-bonnet@exemple.org", "François", "Lemaire", "Maison de quartier Saint-Bonnet", "Directeur", E, M),
    (
        "animatrice.st-bonnet@exemple.org",
        "Inès",
        "Saidi",
        "Maison de quartier Saint-Bonnet",
        "Animatrice jeunesse",
        T,
        M,
    ),
    ("directrice.roches@exemple.org", "Valérie", "Marchand", "Maison de quartier des Roches", "Directrice", E, M),
    ("animateur.roches@exemple.org", "Kevin", "Dupuis", "Maison de quartier des Roches", "Animateur", T, M),
    ("chef.prevention@exemple.org", "Bruno", "Collin", "Prévention spécialisée Nord-Isère", "Chef de service", E, M),
    ("educatrice@exemple.org", "Sarah", "Lambert", "Prévention spécialisée Nord-Isère", "Éducatrice", T, M),
    ("esa.presidente@exemple.org", "Monique", "Renaud", "Association ESA", "Présidente", P, M),
    ("esa.benevole@exemple.org", "Ahmed", "Touati", "Association ESA", "Bénévole d'accompagnement scolaire", T, M),
    (
        "referente.pre@exemple.org",
        "Julie",
        "Giraud",
        "GIP-DRE Nord-Isère (réussite éducative)",
        "Référente de parcours",
        T,
        M,
    ),
    ("directeur.gip@exemple.org", "Laurent", "Brun", "GIP-DRE Nord-Isère (réussite éducative)", "Directeur", P, M),
    ("adjointe.education@exemple.org", "Martine", "Perrot", "Mairie de Villefontaine", "Adjointe à l'éducation", P, M),
    (
        "service.education@exemple.org",
        "David",
        "Aubert",
        "Mairie de Villefontaine",
        "Responsable du service éducation",
        E,
        M,
    ),
    ("bouture.direction@exemple.org", "Cécile", "Noël", "La Bouture", "Directrice", E, G),
    ("principal.adjoint.vinci@exemple.org", "Nicolas", "Faure", "Collège Léonard-de-Vinci", "Principal adjoint", E, M),
]

# A member who left: the history keeps them, the directory shows them among the former members.
FORMER = ("ancien.cpe@exemple.org", "Gérard", "Masson", "Collège Servenoble", "CPE", T, M)

ISLE_INSTITUTIONS = [
    ("Collège du Lac", K.ETABLISSEMENT),
    ("Collège des Fontaines", K.ETABLISSEMENT),
    ("Centre social Saint-Hubert", K.ASSOCIATION),
    ("Mairie de L'Isle-d'Abeau", K.COLLECTIVITE),
    ("Mission locale Nord-Isère", K.ASSOCIATION),
    ("CAF de l'Isère", K.CAF),
]

# People of L'Isle-d'Abeau; the GIP-DRE coordinator belongs to both collectifs.
ISLE_PEOPLE = [
    (
        "coordination.isle@exemple.org",
        "Yasmina",
        "Cherif",
        "Mairie de L'Isle-d'Abeau",
        "Chargée de mission politique de la ville",
        E,
        R.COORDINATOR,
    ),
    (
        "coordination@exemple.org",
        "Sophie",
        "Bernard",
        "GIP-DRE Nord-Isère (réussite éducative)",
        "Coordinatrice de réussite éducative",
        E,
        M,
    ),
    ("principal.lac@exemple.org", "Philippe", "Arnaud", "Collège du Lac", "Principal", E, M),
    ("cpe.lac@exemple.org", "Sandrine", "Leclerc", "Collège du Lac", "CPE", T, M),
    ("principale.fontaines@exemple.org", "Nathalie", "Gauthier", "Collège des Fontaines", "Principale", E, M),
    ("as.fontaines@exemple.org", "Fatima", "Bouzid", "Collège des Fontaines", "Assistante sociale", T, M),
    ("directeur.st-hubert@exemple.org", "Mathieu", "Rey", "Centre social Saint-Hubert", "Directeur", E, M),
    (
        "conseillere.ml@exemple.org",
        "Aurélie",
        "Michaud",
        "Mission locale Nord-Isère",
        "Conseillère en insertion",
        T,
        M,
    ),
    ("elu.isle@exemple.org", "Jean-Luc", "Poirier", "Mairie de L'Isle-d'Abeau", "Adjoint à la jeunesse", P, M),
    ("caf@exemple.org", "Stéphanie", "Hamel", "CAF de l'Isère", "Conseillère territoriale", E, G),
    (
        "ien.isle@exemple.org",
        "Christophe",
        "Legrand",
        "Circonscription de Villefontaine (IEN)",
        "Inspecteur de l'Éducation nationale",
        P,
        M,
    ),
]

CHARTE_V1 = "\n\n".join(
    [
        "Le collectif persévérance scolaire réunit les partenaires qui accompagnent les collégiens de la commune.",
        "Nous partageons une culture commune du décrochage scolaire : ses signes, ses causes, les réponses possibles.",
        "Chaque institution désigne ses représentants au niveau terrain, encadrement et politique.",
        "Le collectif se réunit en plénière trois fois par an ; des groupes de tâches préparent les dossiers.",
        "Aucun élève ni aucune famille n'est nommé dans nos échanges écrits.",
    ]
)

CHARTE_V2 = "\n\n".join(
    [
        "Le collectif persévérance scolaire réunit les partenaires qui accompagnent les collégiens de la commune "
        "et leurs familles.",
        "Nous partageons une culture commune du décrochage scolaire : ses signes, ses causes, les réponses possibles.",
        "Chaque institution désigne ses représentants au niveau terrain, encadrement et politique ; quand une "
        "personne part, l'institution désigne qui lui succède.",
        "Le collectif se réunit en plénière trois à quatre fois par an ; des groupes de tâches préparent les "
        "dossiers entre deux plénières.",
        "Aucun élève ni aucune famille n'est nommé dans nos échanges écrits.",
    ]
)

DEMO_ACCOUNTS = [
    ("coordination@exemple.org", "coordinatrice du collectif de Villefontaine"),
    ("principal.aragon@exemple.org", "membre (principal de collège, niveau encadrement)"),
    ("cpe.servenoble@exemple.org", "membre (CPE, niveau terrain)"),
    ("dga@exemple.org", "membre (ville, niveau politique)"),
    ("accompagnement@exemple.org", "invitée (lecture seule)"),
    ("coordination.isle@exemple.org", "coordinatrice du collectif de L'Isle-d'Abeau"),
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
    _memberships(collectif, institutions, PEOPLE + MORE_PEOPLE, joined_on=start.replace(year=start.year - 2))
    _former_member(collectif, institutions, joined_on=start.replace(year=start.year - 3), left_on=start)
    _charte(
        collectif,
        [CHARTE_V1, CHARTE_V2],
        adopted_on=start.replace(year=start.year - 1, month=11, day=20),
        adhering=[institutions[name] for name, _kind in INSTITUTIONS if name != "La Bouture"],
    )
    isle = _isle_d_abeau(isere, institutions, start)
    demo_user("crpv@exemple.org", "Lucie", "Perrin", is_crpv_editor=True)
    admin = demo_user("admin@exemple.org", "Admin", "Plateforme")
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    count = Membership.objects.active().filter(collectif__in=[collectif, isle]).count()
    stdout.write(f"  membres : collectifs de Villefontaine et de L'Isle-d'Abeau ({count} appartenances), chartes")


def _memberships(collectif, institutions, people, *, joined_on) -> None:
    for email, first, last, institution, function, niveau, role in people:
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
                "joined_on": joined_on,
            },
        )


def _former_member(collectif, institutions, *, joined_on, left_on) -> None:
    email, first, last, institution, function, niveau, role = FORMER
    user = demo_user(email, first, last)
    if not Membership.objects.filter(user=user, collectif=collectif).exists():
        Membership.objects.create(
            user=user,
            collectif=collectif,
            institution=institutions[institution],
            function=function,
            niveau=niveau,
            role=role,
            joined_on=joined_on,
            left_on=left_on,
        )


def _charte(collectif, texts, *, adopted_on: datetime.date, adhering) -> None:
    author = Membership.objects.active().coordinators().filter(collectif=collectif).select_related("user").first()
    for number, text in enumerate(texts, start=1):
        version, created = CharteVersion.objects.get_or_create(
            collectif=collectif, number=number, defaults={"text": text, "author": author.user if author else None}
        )
        if created:
            # Written before being adopted: the last version a month before the adoption, earlier ones a year apart.
            written_on = adopted_on - datetime.timedelta(days=30 + 365 * (len(texts) - number))
            CharteVersion.objects.filter(pk=version.pk).update(
                created_at=timezone.make_aware(datetime.datetime.combine(written_on, datetime.time(10)))
            )
    if not CharteAdoption.objects.filter(collectif=collectif).exists():
        version = CharteVersion.objects.get(collectif=collectif, number=len(texts))
        adoption = CharteAdoption.objects.create(
            collectif=collectif, version=version, adopted_on=adopted_on, recorded_by=author.user if author else None
        )
        adoption.institutions.set(adhering)


def _isle_d_abeau(isere, shared_institutions, start) -> Collectif:
    commune, _ = Territoire.objects.get_or_create(
        name="L'Isle-d'Abeau", kind=Territoire.Kind.COMMUNE, defaults={"code": "38193", "parent": isere}
    )
    institutions = dict(shared_institutions)
    for name, kind in ISLE_INSTITUTIONS:
        institutions[name] = Institution.objects.get_or_create(name=name, territoire=commune, defaults={"kind": kind})[
            0
        ]
    collectif, created = Collectif.objects.get_or_create(
        slug="isle-d-abeau",
        defaults={
            "name": "Collectif persévérance scolaire de L'Isle-d'Abeau",
            "territoire": commune,
            "description": (
                "Lancé après une visite du collectif de Villefontaine, il réunit les deux collèges de la commune, "
                "le centre social, la mission locale et la ville autour de l'orientation et du lien avec les familles."
            ),
        },
    )
    if created:
        collectif.themes.set(Theme.objects.filter(slug__in=["orientation", "relations-avec-les-parents"]))
    _memberships(collectif, institutions, ISLE_PEOPLE, joined_on=start.replace(year=start.year - 1))
    _charte(
        collectif,
        [CHARTE_V1],
        adopted_on=start.replace(month=10, day=10)
        if start.replace(month=10, day=10) <= timezone.localdate()
        else start,
        adhering=[institutions[name] for name, _kind in ISLE_INSTITUTIONS],
    )
    return collectif
