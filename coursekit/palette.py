"""The course's colours and its one status box (the green / amber frame of self-checks, scores and
widgets), so that every page and widget speaks the same visual language.

    >>> box("<b>Correct</b>", GOOD)
    '<div style="border-left:4px solid #1b7f3b;padding:4px 10px;margin:4px 0"><b>Correct</b></div>'
"""

from __future__ import annotations

#: right / on target
GOOD = "#1b7f3b"
#: not yet / below target (amber, not red: a learner is being coached, not failed)
WARN = "#a05a00"
#: neither: recorded, informational
NEUTRAL = "#555555"
#: the light background of a "not completed yet" note
WARN_BACKGROUND = "#fff6e8"
#: overconfident / a weak quadrant, underconfident, a quadrant to watch, muted
RED, BLUE, ORANGE, GREY = "#c0392b", "#2471a3", "#d68910", "#9a9a9a"
#: below the benchmark in gap charts; the shaded "great" and "below" bands; the peers' median tick
SHORT = "#c26a00"
GREAT_BAND, BELOW_BAND, MEDIAN = "#dcefe0", "#ececec", "#777777"
#: a second blue and orange for two series side by side (poll vs data, perceived vs actual)
DEEP_BLUE, LIGHT_ORANGE = "#1f5fa8", "#e67e22"
#: the interaction score's evidence marks (a point won, lost, none) and its component bars
EVIDENCE = {"won": "#c9f0d3", "lost": "#f7c9c9", "none": "#eeeeee"}
BAR_WON, BAR_LOST, BAR_TRACK = "#4c9a64", "#c0504d", "#e6e6e6"
#: the supervisor's report: one colour per status, and the score histograms
STATUS_COLOURS = {
    "autograded": "#c8ebd0", "late": "#ffe3a3", "needs manual grading": "#cfe0ff", "tampered": "#ffb3b3",
    "grading failed": "#ff8080", "submitted": "#e4e4e4", "not submitted": "#f6f6f6", "not released": "#ffffff",
}
HISTOGRAM = "#4a7bd0"


def tone(ok: bool) -> str:
    """:data:`GOOD` or :data:`WARN`."""
    return GOOD if ok else WARN


def box(body_html: str, colour: str = NEUTRAL) -> str:
    """``body_html`` (already escaped) in the course's status box, framed in ``colour``."""
    return f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">{body_html}</div>'
