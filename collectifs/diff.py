"""Differences between two versions of a text, word by word inside changed lines, for <ins>/<del> markup."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "equal", "insert" or "delete"
    text: str


def text_diff(old: str, new: str) -> list[list[Segment]]:
    """Paragraphs (lists of segments) of `new` compared with `old`: removed words are "delete", added "insert"."""
    a = _TOKENS.findall(old.replace("\r\n", "\n"))
    b = _TOKENS.findall(new.replace("\r\n", "\n"))
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    # Split into paragraphs on blank lines so that the template renders <p> blocks.
    paragraphs: list[list[Segment]] = [[]]
    for seg in segments:
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
