"""Slide decks rendered from a module's notebook: the notebook is the only source.

``render_deck("00")`` writes one reveal.js deck (nbconvert's ``SlidesExporter``) per notebook of the
module.  Nothing about slides is stored in the notebooks; the layout is decided at render time:

- the title cell (the notebook's first cell) is the first slide;
- every ``## `` heading starts a new slide (a markdown cell holding a heading half-way down is
  split there first), so a deck has one slide per ``## `` section plus the title slide;
- every ``### `` heading (an exercise) starts a sub-slide, below its section's slide;
- every other cell continues the slide it follows.

What is shown:

- the **learner deck** (default) is what learners receive: nbgrader's own ``ClearSolutions`` and
  ``ClearHiddenTests`` preprocessors, configured exactly as in a course folder, replace each
  solution with the ``# YOUR ANSWER HERE`` stub and remove the hidden tests;
- the **trainer's deck** (``answers=True``) keeps the solutions (without the ``### BEGIN SOLUTION``
  markers); hidden tests are removed from it too, so it can be shown on a projector.

Offline use: by default the browser loads reveal.js 4.0.2 from unpkg.com and require.js, jQuery and
MathJax from cdnjs, as nbconvert does.  ``assets`` points the deck at local copies instead: a folder
(a path relative to the deck, or a URL) laid out as npm installs them, made once with
``npm install --prefix DIR reveal.js@4.0.2 requirejs@2 jquery@3`` (:data:`ASSETS`).  MathJax stays on
its CDN; offline, the two formulas show as their TeX source.
"""

from __future__ import annotations

import copy
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from coursekit.course.build import init_course
from coursekit.course.modules import list_modules, module_notebooks, notebooks_dir, resolve_modules, solution_code
from coursekit.course.nbgrader_env import load_config

SECTION = re.compile(r"^## ")
EXERCISE = re.compile(r"^### ")
FENCE = re.compile(r"^\s*(```|~~~)")

#: Where each library sits in an npm ``node_modules`` folder (``assets``), by SlidesExporter option.
ASSETS = {
    "reveal_url_prefix": "reveal.js",
    "require_js_url": "requirejs/require.js",
    "jquery_url": "jquery/dist/jquery.min.js",
}


@dataclass
class Deck:
    """One rendered deck: where it was written and how many slides (and sub-slides) it has."""

    path: Path
    slides: int
    subslides: int


# --------------------------------------------------------------------------- what is shown


def _course_config():
    """The nbgrader configuration every course folder gets (code stub, delimiters)."""
    with tempfile.TemporaryDirectory(prefix="coursekit-slides-") as tmp:
        return load_config(init_course(tmp))


def learner_version(nb, config=None):
    """The notebook as learners get it: solutions replaced by the stub, hidden tests removed, no outputs
    (nbgrader's ClearSolutions and ClearHiddenTests with the course's configuration)."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    config = config or _course_config()
    nb = copy.deepcopy(nb)
    for step in (ClearSolutions(config=config), ClearHiddenTests(config=config)):
        nb, _ = step.preprocess(nb, {})
    return _without_outputs(nb)


def answers_version(nb, config=None):
    """The trainer's notebook: solutions kept (without their markers), hidden tests removed, no outputs."""
    from nbgrader.preprocessors import ClearHiddenTests

    config = config or _course_config()
    nb = copy.deepcopy(nb)
    nb, _ = ClearHiddenTests(config=config).preprocess(nb, {})
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = solution_code(cell.source).rstrip("\n")
    return _without_outputs(nb)


def _without_outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


# --------------------------------------------------------------------------- layout


def split_at_headings(cell) -> list:
    """A markdown cell cut before each ``## `` / ``### `` heading line (outside code fences), so that
    every heading can start its own slide.  Other cells come back unchanged."""
    if cell.cell_type != "markdown":
        return [cell]
    pieces: list[list[str]] = [[]]
    in_fence = False
    for line in cell.source.splitlines(keepends=True):
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and (SECTION.match(line) or EXERCISE.match(line)) and "".join(pieces[-1]).strip():
            pieces.append([])
        pieces[-1].append(line)
    if len(pieces) == 1:
        return [cell]
    cells = []
    for i, lines in enumerate(pieces):
        piece = nbformat.v4.new_markdown_cell("".join(lines).strip("\n"))
        if i == 0:
            piece.metadata = copy.deepcopy(cell.metadata)
        cells.append(piece)
    return cells


def slide_type(cell, first: bool) -> str:
    """reveal.js slide type of a cell: title and ``## `` → slide, ``### `` → sub-slide, else continue."""
    if first:
        return "slide"
    if cell.cell_type == "markdown":
        if SECTION.match(cell.source):
            return "slide"
        if EXERCISE.match(cell.source):
            return "subslide"
    return "-"


def lay_out(nb):
    """A copy of the notebook with its slide types set (markdown cells split at headings first)."""
    nb = copy.deepcopy(nb)
    cells = [piece for cell in nb.cells for piece in split_at_headings(cell)]
    for i, cell in enumerate(cells):
        cell.metadata["slideshow"] = {"slide_type": slide_type(cell, first=i == 0)}
    nb.cells = cells
    return nb


def count_slides(nb) -> tuple[int, int]:
    """(slides, sub-slides) of a laid-out notebook."""
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    return types.count("slide"), types.count("subslide")


# --------------------------------------------------------------------------- rendering


def deck_name(notebook: Path, answers: bool) -> str:
    """``00-orientation.slides.html`` (learner) or ``00-orientation.answers.slides.html`` (trainer)."""
    return f"{notebook.stem}{'.answers' if answers else ''}.slides.html"


def render_notebook(notebook: Path | str, out_dir: Path | str, answers: bool = False,
                    assets: str | None = None, config=None) -> Deck:
    """Render one source notebook as a reveal.js deck in ``out_dir`` (``assets``: see the module notes)."""
    from nbconvert import SlidesExporter

    notebook = Path(notebook)
    nb = nbformat.read(notebook, as_version=4)
    shown = answers_version(nb, config) if answers else learner_version(nb, config)
    laid_out = lay_out(shown)
    exporter = SlidesExporter(reveal_scroll=True)  # long sections scroll instead of being cut off
    if assets:
        for option, where in ASSETS.items():
            setattr(exporter, option, f"{assets.rstrip('/')}/{where}")
    title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip() if nb.cells else notebook.stem
    html, _ = exporter.from_notebook_node(laid_out, resources={"metadata": {"name": title}})
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / deck_name(notebook, answers)
    path.write_text(html, encoding="utf-8")
    return Deck(path, *count_slides(laid_out))


def render_deck(module: str, out_dir: Path | str = "build/slides", answers: bool = False,
                assets: str | None = None, source: Path | None = None) -> list[Deck]:
    """Render every notebook of a module (id or prefix such as ``00``) as a deck in ``out_dir``.

    Raises :class:`~coursekit.errors.CourseError` for an unknown module.
    """
    source = Path(source) if source else notebooks_dir()
    [module] = resolve_modules([module], list_modules(source))
    config = _course_config()
    return [render_notebook(nb, out_dir, answers, assets, config)
            for nb in module_notebooks(source / module)]
