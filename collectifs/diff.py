"""Differences between two versions of a text, word by word inside changed lines, for <ins>/<del> markup.

The cost is bounded whatever the texts: lines are compared first (difflib's junk heuristic keeps a text of many
identical lines cheap), then words only inside a changed block of at most WORD_DIFF_MAX_TOKENS words; a larger
block shows as removed then added. A charte's diff is computed once, when the version is saved
(`collectifs.services.charte_edit`), and stored on the version.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# A word with the spaces after it on its line (other spaces alone): fewer, less repeated tokens.
_TOKENS = re.compile(r"\s+|\S+[^\S\n]*")
# Word-level comparison costs more than the square of the block's length: beyond this the block is shown as
# replaced, and beyond WORD_DIFF_BUDGET words compared in one diff the remaining blocks are too.
WORD_DIFF_MAX_TOKENS = 800
WORD_DIFF_BUDGET = 12_000


@dataclass(frozen=True)
class Segment:
    kind: str  # "equal", "insert" or "delete"
    text: str


def _word_segments(old: str, new: str, budget: list[int]) -> list[Segment]:
    a = _TOKENS.findall(old)
    b = _TOKENS.findall(new)
    if len(a) + len(b) > min(WORD_DIFF_MAX_TOKENS, budget[0]):
        return [Segment(kind, text) for kind, text in (("delete", old), ("insert", new)) if text]
    budget[0] -= len(a) + len(b)
    segments: list[Segment] = []
    # autojunk: in a long block, words repeated everywhere are matched only next to rarer ones (bounded cost).
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


def _segments(old: str, new: str) -> list[Segment]:
    a = old.replace("\r\n", "\n").splitlines(keepends=True)
    b = new.replace("\r\n", "\n").splitlines(keepends=True)
    segments: list[Segment] = []
    budget = [WORD_DIFF_BUDGET]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            segments.append(Segment("equal", old_part))
        elif op == "delete":
            segments.append(Segment("delete", old_part))
        elif op == "insert":
            segments.append(Segment("insert", new_part))
        else:
            segments.extend(_word_segments(old_part, new_part, budget))
    # Adjacent pieces of the same kind join, so that a blank line ending one block still separates paragraphs.
    merged: list[Segment] = []
    for seg in segments:
        if merged and merged[-1].kind == seg.kind:
            merged[-1] = Segment(seg.kind, merged[-1].text + seg.text)
        else:
            merged.append(seg)
    return merged


def text_diff(old: str, new: str) -> list[list[Segment]]:
    """Paragraphs (lists of segments) of `new` compared with `old`: removed words are "delete", added "insert"."""
    # Split into paragraphs on blank lines so that the template renders <p> blocks.
    paragraphs: list[list[Segment]] = [[]]
    for seg in _segments(old, new):
        parts = re.split(r"(\n\s*\n)", seg.text)
        for k, part in enumerate(parts):
            if k % 2 == 1:
                if seg.kind == "equal":
                    paragraphs.append([])
                else:
                    paragraphs[-1].append(Segment(seg.kind, "¶ "))
                    paragraphs.append([])
            elif part:
                paragraphs[-1].append(Segment(seg.kind, part))
    return [p for p in paragraphs if p]


def to_json(paragraphs: list[list[Segment]]) -> list[list[list[str]]]:
    return [[[s.kind, s.text] for s in paragraph] for paragraph in paragraphs]


def from_json(data: list[list[list[str]]]) -> list[list[Segment]]:
    return [[Segment(kind, text) for kind, text in paragraph] for paragraph in data]
