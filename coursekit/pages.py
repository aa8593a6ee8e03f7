"""HTML pages from templates (``coursekit/templates/*.j2``, Jinja2, which comes with nbconvert).

Every value is escaped unless the page code marks it as ready HTML with :class:`Markup` (an SVG
chart, a table pandas rendered).  Pages are self-contained: styles and scripts are in the template.
"""

from __future__ import annotations

import functools
from pathlib import Path

from markupsafe import Markup  # noqa: F401  (re-exported for page code)

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def render_page(name: str, **context) -> str:
    """The template ``name`` rendered with ``context`` (autoescaped; a missing value is an error)."""
    return _environment().get_template(name).render(**context)
