"""Reading a territory written by people at its real scale, against the reference list (territoires_reference).

« Seine-Saint-Denis » is a département, « Essonne, Seine-et-Marne et Val-de-Marne » several départements,
« Normandie » a région, « La Réunion » an overseas département and région (DROM), « 93 » the Seine-Saint-Denis.
A name the list does not know is not guessed to be a département or a région: the caller decides (a commune, when
it is one plain name).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from collectifs.territoires_reference import DEPARTEMENTS, DROM_CODES, REGION_ALIASES, REGIONS

_NON_WORD = re.compile(r"[^a-z0-9]+")
# « département de l'Orne », « région Normandie », « la Seine-Saint-Denis (93) »: the words around the name.
_PREFIX = re.compile(
    r"^(?:(?:le|la|les|l)\s+)?(?:(?:departement|departements|dept|region|territoire|collectivite)s?\s+)?"
    r"(?:(?:de\s+la|de\s+l|du|des|de|d|en)\s+)?"
)
_CODE_IN_PARENS = re.compile(r"\s*\((\d[0-9ab]?\d?)\)\s*$", re.IGNORECASE)
# Separators of a list of territories: commas, semicolons, slashes, « et », « & », « + ».
_SEPARATORS = re.compile(r"\s*(?:,|;|/|\+|&|(?<![\w-])et(?![\w-]))\s*", re.IGNORECASE)


class Scale:
    COMMUNE = "commune"
    DEPARTEMENT = "departement"
    DEPARTEMENTS = "departements"
    REGION = "region"
    DROM = "drom"


@dataclass(frozen=True)
class TerritoireMatch:
    """A territory of the reference list: its scale, its official name, its code(s) and its région's code."""

    scale: str
    name: str
    code: str = ""
    region_code: str = ""


def _key(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def _strip_prefix(key: str) -> str:
    stripped = _PREFIX.sub("", key, count=1).strip()
    return stripped or key


_REGION_NAMES = dict(REGIONS)
_REGIONS_BY_KEY: dict[str, str] = {_key(name): code for code, name in REGIONS}
_REGIONS_BY_KEY.update({_key(alias): code for alias, code in REGION_ALIASES.items()})
_DEPARTEMENTS_BY_KEY: dict[str, tuple[str, str, str]] = {_key(name): row for row in DEPARTEMENTS for name in [row[1]]}
_DEPARTEMENTS_BY_CODE: dict[str, tuple[str, str, str]] = {row[0].lower(): row for row in DEPARTEMENTS}
_DROM_BY_REGION: dict[str, tuple[str, str, str]] = {row[2]: row for row in DEPARTEMENTS if row[0] in DROM_CODES}


def _departement(part: str) -> tuple[str, str, str] | None:
    key = _key(part)
    if key in _DEPARTEMENTS_BY_CODE:
        return _DEPARTEMENTS_BY_CODE[key]
    return _DEPARTEMENTS_BY_KEY.get(key) or _DEPARTEMENTS_BY_KEY.get(_strip_prefix(key))


def _region(part: str) -> str | None:
    key = _key(part)
    return _REGIONS_BY_KEY.get(key) or _REGIONS_BY_KEY.get(_strip_prefix(key))


def _single(name: str) -> TerritoireMatch | None:
    code_in_parens = _CODE_IN_PARENS.search(name)
    if code_in_parens:
        found = _DEPARTEMENTS_BY_CODE.get(code_in_parens.group(1).lower())
        if found:
            return _as_departement(found)
        name = name[: code_in_parens.start()]
    departement = _departement(name)
    region = _region(name)
    if departement and departement[0] in DROM_CODES:
        return TerritoireMatch(Scale.DROM, departement[1], departement[0], departement[2])
    if region in _DROM_BY_REGION:
        return _as_departement(_DROM_BY_REGION[region])
    if region:
        return TerritoireMatch(Scale.REGION, _REGION_NAMES[region], region)
    if departement:
        return _as_departement(departement)
    return None


def _as_departement(row: tuple[str, str, str]) -> TerritoireMatch:
    code, name, region = row
    if code in DROM_CODES:
        return TerritoireMatch(Scale.DROM, name, code, region)
    return TerritoireMatch(Scale.DEPARTEMENT, name, code, region)


def classify(name: str) -> TerritoireMatch | None:
    """The territory `name` designates in the reference list, at its scale; None when the list does not know it."""
    name = " ".join((name or "").split())
    if not name:
        return None
    found = _single(name)
    if found:
        return found
    parts = [part for part in _SEPARATORS.split(name) if part.strip()]
    if len(parts) < 2:
        return None
    departements = [_departement(part) for part in parts]
    if not all(departements):
        return None
    codes = ",".join(row[0] for row in departements)
    regions = {row[2] for row in departements}
    # The code column holds ten characters: up to three départements (« 91,77,94 »).
    return TerritoireMatch(
        Scale.DEPARTEMENTS, name, codes if len(codes) <= 10 else "", regions.pop() if len(regions) == 1 else ""
    )


def looks_like_territoire(name: str) -> bool:
    """True when `name` is a territory of the reference list (a CRPV fiche's header row starts with one)."""
    return classify(name) is not None


def region_name(code: str) -> str:
    return _REGION_NAMES.get(code, "")
