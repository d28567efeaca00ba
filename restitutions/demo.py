"""Demo data: seeds 001 and 004 as restitutions of the collectif of Villefontaine, produced through the real paste
import (restitutions.parsing then services.restitution_import, as the import page does). Idempotent.

Seed 001 (« Restitution de l'atelier 2 », typed in Word) imports as it is. Seed 004 is an OCR scan of three
ateliers without the four headings: the import places only its free section; the lines it cannot place are sorted
here into their atelier and list by their first words (SORT_004), never retyped. Only the OCR's mechanical slips
are undone (`ocr_clean`: « I'» for « l'», « | » for « l »), the wording is the seed's.

The two seeds come from two different events: seed 001 is the atelier 2 of the recherche-action with La Bouture,
seed 004 the three ateliers of a rencontre, held side by side the same afternoon. They are two cycles, so that no
cycle has two « Atelier 2 ». Dates follow the school year of the day the demo is loaded (collectifs.demo_dates).

Seed 002 is a cycle as a project: « Prévention du décrochage scolaire en Essonne », nine cooperative ateliers
organised by Ressources urbaines with la Fonda, in partnership with the Département de l'Essonne. The demo keeps its
name, organisers, partner, objectives and commitments (the seed's words) and replays its nine ateliers over the
school year of the day the demo is loaded, across the demo's two collectifs of one département (Villefontaine owns
the cycle, L'Isle-d'Abeau takes part), piloted by the demo CRPV editor. The seed does not list the nine ateliers'
titles: they are written from its words (interconnaissance, diagnostic partagé, complémentarités, vision partagée,
charte). Two are held, each with its restitution; the second takes up a question vive of the first (carry-over).

Seed 001's participants table (17 participants by type of structure) is not typed: it is filled from the attendance
of its atelier (`_seed_001_attendance`: registrants marked present and walk-ins), as « Remplir depuis les présences »
does. The people named are invented.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify

from collectifs.demo_dates import DemoCalendar, at
from collectifs.models import Collectif, Institution
from membres.models import User
from restitutions import services
from restitutions.models import Cycle, Point, Restitution
from restitutions.parsing import ParsedLine, parse_restitution
from reunions.demo import populate_held_atelier
from reunions.models import Registration, Reunion
from reunions.services.attendance import attendance_record
from reunions.services.registrations import (
    add_months,
    registration_page_close,
    registration_page_open,
    registration_walk_in,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CREDITS = (
    "Cette restitution a été rédigée par l'équipe d'animation (Lucie Perrin, CRPV) "
    "et relue par les participants des ateliers."
)
CYCLE_001 = "Recherche-action « Les partenariats à mobiliser » avec La Bouture"
CYCLE_004 = "Ateliers de la rencontre « Persévérance scolaire »"

# Seed 004, sorted by hand as the facilitator would on the import page: for each atelier (its numbers), the list
# each line goes to, named by the line's first words as the import reads them. A line ending with « : » (« Un enjeu
# d'échelle: ») introduces the next one and is kept with it.
SORT_004 = {
    "1&3": {
        "constats": ["Un enjeu d", "A I'échelle de la vie locale"],
        "leviers": ["La nécessité d", "La solution de gouvernance"],
    },
    "2": {
        "constats": ["Des difficultés liées", "Un déficit de réponses", "Des problematiques de santé"],
        "questions": ["Un besoin exprimé"],
        "leviers": ["Une volonté de tous", "Faire évoluer les pratiques", "Evaluer I'évolution"],
        "obstacles": ["Rendre plus lisibles"],
    },
    "4": {
        "constats": ["Importance de la « peur »"],
        "leviers": ["Reconnaitre les parents", "l'empowerment", "Penser, construire", "Une logique d"],
    },
}
# The first line of an atelier that states its theme (« La culture du partenariat est centrale… »).
THEME_004 = {"2": "La culture du partenariat est centrale"}
PARTICIPANTS_004 = {
    "1&3": [
        {"label": "Éducation nationale", "count": 6},
        {"label": "Collectivités", "count": 4},
        {"label": "Associations", "count": 5},
    ],
    "2": [
        {"label": "Éducation nationale", "count": 7},
        {"label": "Collectivités", "count": 3},
        {"label": "Associations", "count": 4},
        {"label": "Santé", "count": 1},
    ],
    "4": [
        {"label": "Éducation nationale", "count": 5},
        {"label": "Collectivités", "count": 2},
        {"label": "Associations de parents", "count": 3},
    ],
}


def ocr_clean(text: str) -> str:
    """Undo the OCR's mechanical slips of seed 004 (capital I or | read for a lowercase l), nothing else."""
    text = re.sub(r"\bl?I['\"](?=\w)", "l'", text)
    text = re.sub(r"\|(?=[a-z])", "l", text)
    text = re.sub(r"\bLi(?=llustration)", "L'i", text)
    return re.sub(r"\s+:", " :", text).rstrip(":").strip()


def _split_004(lines: list[ParsedLine], first: str, others: list[str]) -> dict[str, list[ParsedLine]]:
    """The parsed lines of seed 004, by atelier: a new atelier starts at its heading line (left unplaced)."""
    current, by_atelier = first, {first: []}
    headings = {f"Atelier {numbers.replace('&', '&')}": numbers for numbers in others}
    for line in lines:
        numbers = next((n for prefix, n in headings.items() if line.text.startswith(prefix)), None)
        if numbers and not line.section:
            current = numbers
            by_atelier[current] = [line]
            continue
        by_atelier[current].append(line)
    return by_atelier


def _sort(numbers: str, lines: list[ParsedLine]) -> tuple[str, str, list[tuple[str, str]], list[ParsedLine]]:
    """(title, theme, points, free lines) of one atelier of seed 004, from its parsed lines."""
    title, theme, points, free, pending = "", "", [], [], ""
    body = lines
    if lines and lines[0].text.startswith("Atelier"):
        title = re.sub(r"^Atelier\s*[\d&\s]+:\s*", "", lines[0].text)
        body = lines[1:]
    sections = SORT_004[numbers]
    for line in body:
        if line.section.startswith("libre:"):
            free.append(line)
            continue
        if numbers in THEME_004 and line.text.startswith(THEME_004[numbers]):
            theme = ocr_clean(line.text)
            continue
        if line.text.rstrip().endswith(":"):
            pending = line.text
            continue
        text = f"{pending} {line.text}" if pending else line.text
        section = next((s for s, prefixes in sections.items() if any(text.startswith(p) for p in prefixes)), None)
        if section is None:
            raise ValueError(f"Ligne du seed 004 non triée : {line.text!r}")
        points.append((section, ocr_clean(text)))
        pending = ""
    return title, theme, points, free


def load(stdout) -> None:
    collectif = Collectif.objects.get(slug="villefontaine")
    by = User.objects.get(email="crpv@exemple.org")
    dates = DemoCalendar(collectif)
    # Seed 001's atelier was held in the autumn, seed 004's rencontre about five weeks ago: both on free weekdays.
    day_001 = dates.weekday_before(100)
    day_004 = dates.weekday_before(36)
    _seed_001(collectif, by, day_001)
    _seed_004(collectif, by, day_004)
    _attach_ateliers(collectif=collectif, cycle=Cycle.objects.get(collectif=collectif, name=CYCLE_001), by=by)
    _attach_ateliers(collectif=collectif, cycle=Cycle.objects.get(collectif=collectif, name=CYCLE_004), by=by)
    _seed_002(collectif, by, dates, busy={day_001, day_004})
    _seed_001_attendance(collectif=collectif, by=by)
    stdout.write(
        "  restitutions : deux cycles d'ateliers, quatre restitutions importées des seeds 001 et 004 "
        "(participants du seed 001 comptés depuis les présences) ; le cycle de neuf ateliers du seed 002 "
        "(deux tenus)"
    )


def _seed_001(collectif, by, day) -> None:
    cycle, _ = Cycle.objects.get_or_create(
        collectif=collectif,
        name=CYCLE_001,
        defaults={"organiser": "La Bouture", "starts_on": day, "ends_on": day},
    )
    parsed = parse_restitution((FIXTURES / "seed_001_atelier_2.txt").read_text())
    if Restitution.objects.filter(collectif=collectif, cycle=cycle, title=parsed.title).exists():
        return
    restitution = services.restitution_import(
        by=by,
        collectif=collectif,
        cycle=cycle,
        title=parsed.title,
        atelier_numbers=parsed.atelier_numbers,
        points=[(line.section, line.text) for line in parsed.lines if line.section in Point.Section.values],
    )
    services.restitution_update(
        by=by,
        restitution=restitution,
        held_on=day,
        facilitators="La Bouture (recherche-action)",
        credits=CREDITS,
        licence=Restitution.Licence.CC_BY_NC_SA,
        status=Restitution.Status.PUBLISHED,
    )


def _seed_004(collectif, by, day) -> None:
    cycle, _ = Cycle.objects.get_or_create(
        collectif=collectif,
        name=CYCLE_004,
        defaults={"organiser": "CRPV et La Bouture", "starts_on": day, "ends_on": day},
    )
    parsed = parse_restitution((FIXTURES / "seed_004_ateliers.txt").read_text())
    first_title, _, first_theme = parsed.title.partition(". ")
    by_atelier = _split_004(parsed.lines, parsed.atelier_numbers, parsed.ateliers[1:])
    for numbers, lines in by_atelier.items():
        title, theme, points, free = _sort(numbers, lines)
        if numbers == parsed.atelier_numbers:
            title, theme = first_title, first_theme
        title, theme = ocr_clean(title), ocr_clean(theme)
        if Restitution.objects.filter(collectif=collectif, cycle=cycle, title=title).exists():
            continue
        free_sections = [
            services.ImportedSection(
                title=parsed.free_titles[i],
                lines=[ocr_clean(line.text) for line in free if line.section == f"libre:{i}"],
            )
            for i in sorted({int(line.section.split(":")[1]) for line in free})
        ]
        restitution = services.restitution_import(
            by=by,
            collectif=collectif,
            cycle=cycle,
            title=title,
            atelier_numbers=numbers,
            points=points,
            free_sections=free_sections,
        )
        services.restitution_update(
            by=by,
            restitution=restitution,
            theme=theme,
            held_on=day,
            facilitators="CRPV",
            participants=PARTICIPANTS_004[numbers],
            credits=CREDITS,
            licence=Restitution.Licence.CC_BY_NC_SA,
        )


def _attach_ateliers(*, collectif, cycle, by) -> None:
    """Each restitution belongs to an atelier held that day (a reunion of kind atelier). The ateliers of one cycle
    run side by side the same afternoon, each under its own number, so no number appears twice in a cycle."""
    for restitution in cycle.restitutions.filter(reunion__isnull=True).order_by("pk"):
        afternoon = at(restitution.held_on or cycle.starts_on, 14)
        atelier, _ = Reunion.objects.get_or_create(
            collectif=collectif,
            kind=Reunion.Kind.ATELIER,
            title=f"Atelier {restitution.atelier_numbers} : {restitution.title}"[:200],
            defaults={
                "starts_at": afternoon,
                "ends_at": afternoon + timedelta(hours=2, minutes=30),
                "place": "Villefontaine, salle du conseil",
                "status": Reunion.Status.HELD,
            },
        )
        services.restitution_update(by=by, restitution=restitution, reunion=atelier)


# --- Seed 002: the cycle of nine cooperative ateliers, a project across the département -------------------------

CYCLE_002 = "Prévention du décrochage scolaire en Essonne"
OBJECTIVES_002 = """\
Renforcer la structuration des coopérations éducatives autour de la prévention du décrochage scolaire
Renforcer les coopérations entre les acteurs éducatifs en faveur de la prévention du décrochage scolaire
Apporter aux participants des outils et un cadre méthodologique pour coopérer
Faire émerger une vision partagée, condition essentielle pour l'émergence d'une communauté d'action"""
COMMITMENTS_002 = """\
Les participants se mobilisent sur un principe de libre adhésion
Ne pas repartir de zéro : s'appuyer sur le travail déjà effectué sur le territoire par les acteurs éducatifs
Construire ensemble un diagnostic partagé du présent et s'accorder sur les transformations à générer
Adopter une charte : un socle commun à partir de valeurs communes"""
# (name, kind, territory: "essonne" or None)
ORGANISERS_002 = [
    ("Ressources urbaines", "centre_ressources", "essonne"),
    ("La Fonda", "association", None),
]
PARTNERS_002 = [("Département de l'Essonne", "collectivite", "essonne")]
SESSIONS_002 = [
    "Se connaître : la cartographie des acteurs éducatifs",
    "Un diagnostic partagé du présent",
    "Nos complémentarités",
    "Une vision partagée",
    "S'accorder sur les transformations à générer",
    "Écrire la charte de la communauté d'action",
    "Mesurer l'impact de nos coopérations",
    "Des outils pour coopérer",
    "Le bilan du cycle et les suites de la communauté d'action",
]
PLACES_002 = {"villefontaine": "Villefontaine, salle du conseil", "isle-d-abeau": "L'Isle-d'Abeau, centre social"}
# The restitutions of the two ateliers held, in the seed's words (the four lists of seed 001).
RESTITUTIONS_002 = [
    [
        (
            "constats",
            "La constitution d'une communauté d'action ne s'improvise, ni ne se décrète : c'est le fruit d'un "
            "processus qui demande du temps, de l'énergie, de l'engagement et des moyens.",
        ),
        (
            "constats",
            "Une cartographie des acteurs éducatifs du département agissant sur la prévention du décrochage scolaire "
            "existe déjà.",
        ),
        (
            "questions",
            "Comment s'appuyer sur le travail déjà effectué sur le territoire par les acteurs éducatifs, sans "
            "repartir de zéro ?",
        ),
        ("questions", "Comment construire un diagnostic partagé du présent ?"),
        (
            "leviers",
            "La libre adhésion des participants : un espace d'interconnaissance, de confiance et de libre expression.",
        ),
        ("obstacles", "Le temps, l'énergie et les moyens que demande le processus."),
    ],
    [
        (
            "constats",
            "L'expertise des acteurs publics et associatifs est indispensable pour construire un diagnostic partagé.",
        ),
        ("questions", "Quelles complémentarités entre nos structures ?"),
        ("questions", "Comment faire émerger une vision partagée, condition de la communauté d'action ?"),
        (
            "leviers",
            "Un espace où les acteurs éducatifs partagent leur vision des choses et tissent entre eux des liens de "
            "confiance.",
        ),
    ],
]


def _institution(name: str, kind: str, territory):
    from collectifs.models import Institution

    return Institution.objects.get_or_create(name=name, territoire=territory, defaults={"kind": kind})[0]


def _session_days(dates: DemoCalendar, busy: set) -> list:
    """Nine free weekdays: two held (about six and two weeks ago), then seven to come, spread up to the end of June
    of the school year when there is room (every five weeks otherwise, as the seed's cycle ran over eleven months)."""
    from datetime import date

    held = []
    for days in (42, 14):
        day = dates.weekday_before(days)
        while day in busy or day in held:  # not the afternoon of another demo atelier
            day = dates.free(day - timedelta(days=1), step=-1)
        held.append(day)
    start = dates.today + timedelta(days=10)
    window = (date(dates.year + 1, 6, 20) - start).days
    step = min(35, window // 7) if window >= 7 * 21 else 35
    return held + [dates.free(start + timedelta(days=step * i)) for i in range(7)]


def _seed_002(owner, by, dates: DemoCalendar, *, busy: set) -> None:
    from collectifs.models import Territoire
    from restitutions.models import CycleSession

    isle = Collectif.objects.filter(slug="isle-d-abeau").first()
    essonne, _ = Territoire.objects.get_or_create(
        name="Essonne", kind=Territoire.Kind.DEPARTEMENT, defaults={"code": "91"}
    )
    territories = {"essonne": essonne, None: None}
    cycle = Cycle.objects.filter(collectif=owner, name=CYCLE_002).first()
    days = _session_days(dates, busy)
    if cycle is None:
        cycle = services.cycle_create(
            by=by,
            collectif=owner,
            name=CYCLE_002,
            objectives=OBJECTIVES_002,
            commitments=COMMITMENTS_002,
            manager=by,
            starts_on=days[0],
            ends_on=days[-1],
            organisers=[_institution(n, k, territories[t]) for n, k, t in ORGANISERS_002],
            partners=[_institution(n, k, territories[t]) for n, k, t in PARTNERS_002],
            collectifs=[isle] if isle else [],
        )
    hosts = [owner, isle or owner]
    held_ateliers: list[Reunion] = []
    for i, (title, day) in enumerate(zip(SESSIONS_002, days, strict=True)):
        number, host = i + 1, hosts[i % 2]
        session = CycleSession.objects.filter(cycle=cycle, number=number).first()
        if session is None:
            session = services.cycle_session_add(
                by=by,
                cycle=cycle,
                number=number,
                title=title,
                planned_on=day,
                # The next atelier has its day; the later ones only their month.
                precision=CycleSession.Precision.DAY if number <= 3 else CycleSession.Precision.MONTH,
                collectif=host,
                place=PLACES_002[host.slug] if number <= 3 else "",
            )
        if number > 2:
            continue
        afternoon = at(day, 14)
        reunion, _ = Reunion.objects.get_or_create(
            collectif=host,
            kind=Reunion.Kind.ATELIER,
            title=f"Atelier {number} du cycle coopératif : {title}",
            defaults={
                "starts_at": afternoon,
                "ends_at": afternoon + timedelta(hours=2, minutes=30),
                "place": PLACES_002[host.slug],
                "status": Reunion.Status.HELD,
                "theme": CYCLE_002,
            },
        )
        held_ateliers.append(reunion)
        # Registrants from six types of structure, attendance and questionnaire answers (reunions.demo).
        populate_held_atelier(reunion, by=by, seed=number)
        if session.reunion_id is None:
            services.cycle_session_update(by=by, session=session, reunion=reunion)
        _restitution_002(cycle=cycle, number=number, reunion=reunion, host=host, by=by)


def _restitution_002(*, cycle, number: int, reunion, host, by) -> None:
    from restitutions.cycles import carry_over_for

    title = SESSIONS_002[number - 1]
    if Restitution.objects.filter(cycle=cycle, title=title).exists():
        return
    restitution = services.restitution_import(
        by=by,
        collectif=host,
        cycle=cycle,
        title=title,
        atelier_numbers=str(number),
        points=RESTITUTIONS_002[number - 1],
    )
    services.restitution_update(
        by=by,
        restitution=restitution,
        reunion=reunion,
        held_on=timezone.localdate(reunion.starts_at),
        facilitators="Ressources urbaines et la Fonda",
        credits="Ce compte rendu a été rédigé par l'équipe d'animation du cycle et relu par les participants.",
        licence=Restitution.Licence.CC_BY_NC_SA,
        status=Restitution.Status.PUBLISHED if number == 1 else Restitution.Status.DRAFT,
    )
    # The second atelier started from a question vive of the first (the carry-over, taken in one click).
    source = carry_over_for(cycle, reunion_id=reunion.pk, restitution=restitution)
    if source is not None:
        services.restitution_take_carry_over(by=by, restitution=restitution, points=source.points[:1])


# Seed 001's atelier counted 17 participants by type of structure: Éducation nationale 8, collectivités 3,
# associations 4, Réussite éducative (PRE) 2, here as the project's types of structure (Institution.Kind). They come
# from the atelier's attendance: 15 registrants marked present and 2 people who came without registering; two more
# registrants did not come and one cancelled, so the table counts who came, not who registered.
SEED_001_PARTICIPANTS = {
    Institution.Kind.EDUCATION_NATIONALE: 8,
    Institution.Kind.COLLECTIVITE: 3,
    Institution.Kind.DISPOSITIF: 2,
    Institution.Kind.ASSOCIATION: 4,
}
_EN, _COLL, _DISP, _ASSO = (
    Institution.Kind.EDUCATION_NATIONALE,
    Institution.Kind.COLLECTIVITE,
    Institution.Kind.DISPOSITIF,
    Institution.Kind.ASSOCIATION,
)
# (name, structure, type of structure, what happened): present, absent, cancelled, or walk-in (came unregistered).
SEED_001_ATTENDANCE = [
    ("Hélène Garnier", "DSDEN de l'Isère, service social en faveur des élèves", _EN, "present"),
    ("Sophie Lambert", "DSDEN de l'Isère, santé scolaire", _EN, "present"),
    ("Marc Olivier", "DSDEN de l'Isère, politique de la ville", _EN, "present"),
    ("Nadia Cherif", "Circonscription de Villefontaine (IEN)", _EN, "present"),
    ("Paul Girard", "Circonscription de Villefontaine (IEN)", _EN, "present"),
    ("Élise Vidal", "CIO de Bourgoin-Jallieu", _EN, "present"),
    ("Karim Mansour", "Mission de lutte contre le décrochage scolaire (MLDS)", _EN, "present"),
    ("Julie Roche", "Mission de lutte contre le décrochage scolaire (MLDS)", _EN, "walk_in"),
    ("Anne Morel", "Mairie de Villefontaine, politique de la ville", _COLL, "present"),
    ("Damien Caron", "Mairie de Villefontaine, maisons de quartier", _COLL, "present"),
    ("Sylvie Blanc", "Communauté d'agglomération Porte de l'Isère", _COLL, "present"),
    ("Nathalie Faure", "GIP-DRE Nord-Isère (réussite éducative)", _DISP, "present"),
    ("Yann Meyer", "GIP-DRE Nord-Isère (réussite éducative)", _DISP, "present"),
    ("Fatima Benali", "Association ESA", _ASSO, "present"),
    ("Louis Henry", "Association ESA", _ASSO, "present"),
    ("Camille Dupuis", "Prévention spécialisée Nord-Isère", _ASSO, "present"),
    ("Rachid Amrani", "Centre social Saint-Bonnet", _ASSO, "walk_in"),
    ("Isabelle Noël", "Circonscription de Villefontaine (IEN)", _EN, "absent"),
    ("Thierry Marchand", "Mairie de Villefontaine, maisons de quartier", _COLL, "absent"),
    ("Agnès Lefort", "Association ESA", _ASSO, "cancelled"),
]


def _demo_email(name: str) -> str:
    return slugify(name).replace("-", ".") + "@exemple.org"


def _seed_001_attendance(*, collectif, by) -> None:
    """Seed 001's atelier as it happened: a registration page, registrants, attendance recorded on the day with two
    walk-ins, then the restitution's participants filled from that attendance (« Remplir depuis les présences »).
    Rows are created directly where a service would e-mail people (nobody gets a mail from the demo). Once per
    atelier: an atelier that already has registrants is left as it is."""
    restitution = (
        Restitution.objects.filter(collectif=collectif, cycle__name=CYCLE_001, reunion__isnull=False)
        .select_related("reunion")
        .first()
    )
    if restitution is None or restitution.reunion.registrations.exists():
        return
    atelier = restitution.reunion
    page = registration_page_open(
        reunion=atelier, by=by, closes_at=atelier.starts_at - timedelta(days=2), capacity=30, retention_months=12
    )
    registration_page_close(page=page, by=by)
    erase_after = add_months(timezone.localdate(atelier.starts_at), page.retention_months)
    registered_at = atelier.starts_at - timedelta(days=21)
    came: dict[int, bool] = {}
    for name, structure, kind, what in SEED_001_ATTENDANCE:
        if what == "walk_in":
            registration_walk_in(reunion=atelier, by=by, name=name, structure=structure, structure_kind=kind)
            continue
        registration = Registration.objects.create(
            reunion=atelier,
            status=Registration.Status.CANCELLED if what == "cancelled" else Registration.Status.CONFIRMED,
            name=name,
            email=_demo_email(name),
            structure=structure,
            structure_kind=kind,
            consented_at=registered_at,
            confirmed_at=registered_at,
            erase_after=erase_after,
        )
        if what != "cancelled":
            came[registration.pk] = what == "present"
    Registration.objects.filter(reunion=atelier, walk_in=False).update(created_at=registered_at)
    attendance_record(reunion=atelier, by=by, values={}, registrant_values=came)
    services.restitution_fill_participants(by=by, restitution=restitution)
