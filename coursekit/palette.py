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
#: below the benchmark in gap charts
SHORT = "#c26a00"


def tone(ok: bool) -> str:
    """:data:`GOOD` or :data:`WARN`."""
    return GOOD if ok else WARN


def box(body_html: str, colour: str = NEUTRAL) -> str:
    """``body_html`` (already escaped) in the course's status box, framed in ``colour``."""
    return f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">{body_html}</div>'
