"""Labels of a field's choices, translated once per page: `get_FOO_display` translates every choice of the field
at each call, which a page showing a status on each of its rows pays once per row."""

from __future__ import annotations


def choice_labels(model, field_name: str) -> dict[str, str]:
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}
