"""Comparing two versions of a fiche: which fields and sections changed, line by line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from fiches_experience.text import html_to_text

FIELD_LABELS = {
    "title": "Titre",
    "gabarit": "Gabarit",
    "status": "Statut",
    "territoire": "Territoire",
    "themes": "Thèmes",
    "dispositifs": "Dispositifs",
    "public_cible": "Public cible",
    "structure_porteuse": "Structure porteuse",
    "annees": "Années",
    "licence": "Licence",
    "collectif": "Collectif d'origine",
    "source_action_id": "Action d'origine",
}


@dataclass
class DiffLine:
    op: str  # "+", "-" or " "
    text: str


@dataclass
class FieldDiff:
    label: str
    lines: list[DiffLine]


def _as_lines(value) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return html_to_text(str(value if value is not None else "")).splitlines()


def _line_diff(before: list[str], after: list[str]) -> list[DiffLine]:
    return [DiffLine(op=line[0], text=line[2:]) for line in difflib.ndiff(before, after) if line[0] in "+- "]


def version_diff(old: dict, new: dict) -> list[FieldDiff]:
    """The changes from snapshot `old` to snapshot `new`, in the order readers see them."""
    changes = []
    for name, label in FIELD_LABELS.items():
        if old.get(name) != new.get(name):
            changes.append(FieldDiff(label, _line_diff(_as_lines(old.get(name)), _as_lines(new.get(name)))))
    old_sections = {s["key"]: s for s in old.get("sections", [])}
    for section in new.get("sections", []):
        before = old_sections.pop(section["key"], {"html": ""})
        if before["html"] != section["html"]:
            lines = _line_diff(_as_lines(before["html"]), _as_lines(section["html"]))
            changes.append(FieldDiff(section["heading"], lines))
    for section in old_sections.values():
        changes.append(FieldDiff(section["heading"], _line_diff(_as_lines(section["html"]), [])))
    return changes
