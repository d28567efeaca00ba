"""Geometry of the questionnaire's bar charts, drawn as inline SVG by `reunions/includes/score_chart.html` (no
inline style: presentation attributes and classes only, for the CSP). The same figures are always printed in a
table beside the chart."""

from __future__ import annotations

from django.utils.formats import number_format

from reunions.selectors import QuestionResult

WIDTH = 360
LABEL_WIDTH = 40
BAR_MAX = 260
ROW_HEIGHT = 28


def mean_label(mean: float | None) -> str:
    """« 4,2 » (French decimal comma), « — » without answers."""
    return "—" if mean is None else number_format(mean, 1)


def score_chart(question: QuestionResult) -> dict:
    """One bar per score (1 to 5), its length the number of people who gave it."""
    top = max(question.distribution) or 1
    bars = []
    for i, (score, n) in enumerate(question.rows):
        width = round(BAR_MAX * n / top)
        bars.append(
            {
                "label": str(score),
                "value": str(n),
                "y": i * ROW_HEIGHT + 3,
                "text_y": i * ROW_HEIGHT + 19,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "width": WIDTH,
        "height": 5 * ROW_HEIGHT,
        "label_x": LABEL_WIDTH - 10,
        "bar_x": LABEL_WIDTH,
        "bar_height": ROW_HEIGHT - 8,
    }
