"""coursekit slides: one reveal.js deck per module notebook, laid out at render time, no answers leaked."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nbformat
import pytest
from conftest import MODULES

from coursekit import cli, slides
from coursekit.course import module_notebooks, notebooks_dir

NOTEBOOKS = [(m, nb) for m in MODULES for nb in module_notebooks(notebooks_dir() / m)]
REGION = re.compile(r"^[ \t]*### BEGIN (SOLUTION|HIDDEN TESTS)[^\n]*\n(.*?)^[ \t]*### END \1", re.S | re.M)


class SectionCounter(HTMLParser):
    """Counts reveal.js slides (top-level <section>) and sub-slides (<section> inside a slide)."""

    def __init__(self):
        super().__init__()
        self.depth, self.slides, self.subslides = 0, 0, 0

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.depth += 1
            self.slides += self.depth == 1
            self.subslides += self.depth == 2

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1


def shown_text(deck_html: str) -> str:
    """What a deck shows: markup, styles and scripts removed, entities decoded (code is highlighted
    token by token, so a line of code only reads as one line again once the tags are gone)."""
    body = re.sub(r"<(style|script)\b.*?</\1>", "", deck_html, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def headings(nb, prefix: str) -> int:
    """Markdown lines starting with ``prefix`` ('## ' or '### '), outside code fences, counted by hand."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            count += not fenced and line.startswith(prefix)
    return count


def region_lines(nb, kind: str) -> set[str]:
    """Lines inside the solution or hidden-test regions that appear nowhere else in the notebook
    (a line that is also shown in the lesson text is not a leak)."""
    inside, outside = set(), []
    for cell in nb.cells:
        found = {m.group(1): m.group(2) for m in REGION.finditer(cell.source)}
        for k, text in found.items():
            if k == kind:
                inside |= {ln.strip() for ln in text.splitlines() if len(ln.strip()) > 3}
        outside.append(REGION.sub("", cell.source))
    rest = "\n".join(outside)
    return {ln for ln in inside if ln not in rest}


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """(module, notebook, answers) -> the deck's HTML and its Deck record, rendered once."""
    out = tmp_path_factory.mktemp("slides")
    rendered = {}
    for module in MODULES:
        for answers in (False, True):
            for deck in slides.render_deck(module, out / module, answers=answers):
                rendered[module, deck.path.name, answers] = deck
    return rendered


def deck_for(decks, module, notebook, answers):
    return decks[module, slides.deck_name(notebook, answers), answers]


@pytest.mark.parametrize("module,notebook", NOTEBOOKS, ids=[nb.stem for _, nb in NOTEBOOKS])
def test_one_slide_per_section_and_one_subslide_per_exercise(decks, module, notebook):
    nb = nbformat.read(notebook, as_version=4)
    for answers in (False, True):
        deck = deck_for(decks, module, notebook, answers)
        counter = SectionCounter()
        counter.feed(deck.path.read_text())
        assert counter.slides == 1 + headings(nb, "## ") == deck.slides  # the title slide + each section
        assert counter.subslides - counter.slides == headings(nb, "### ") == deck.subslides


@pytest.mark.parametrize("module,notebook", NOTEBOOKS, ids=[nb.stem for _, nb in NOTEBOOKS])
def test_learner_deck_shows_no_solution_and_no_hidden_test(decks, module, notebook):
    nb = nbformat.read(notebook, as_version=4)
    solutions, hidden = region_lines(nb, "SOLUTION"), region_lines(nb, "HIDDEN TESTS")
    assert solutions and hidden
    learner = shown_text(deck_for(decks, module, notebook, False).path.read_text())
    answers = shown_text(deck_for(decks, module, notebook, True).path.read_text())
    assert [ln for ln in solutions if ln in learner] == []
    assert [ln for ln in hidden if ln in learner] == []
    assert [ln for ln in hidden if ln in answers] == []
    assert [ln for ln in solutions if ln not in answers] == []  # the trainer's deck does show them
    stubs = sum(1 for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    assert learner.count("# YOUR ANSWER HERE") >= stubs
    assert "BEGIN SOLUTION" not in answers and "BEGIN HIDDEN TESTS" not in answers


def test_layout_is_not_stored_in_the_notebooks():
    for _, notebook in NOTEBOOKS:
        nb = nbformat.read(notebook, as_version=4)
        assert not any("slideshow" in c.metadata for c in nb.cells), notebook.name


def test_markdown_cell_is_split_before_each_heading_outside_code_fences():
    cell = nbformat.v4.new_markdown_cell(
        "Look at the evening.\n\n## 3. Next part\nText.\n```\n## not a heading\n```\n### Exercise 1: Try\nDo it.")
    pieces = slides.split_at_headings(cell)
    assert [p.source.splitlines()[0] for p in pieces] == ["Look at the evening.", "## 3. Next part", "### Exercise 1: Try"]
    assert [slides.slide_type(p, first=False) for p in pieces] == ["-", "slide", "subslide"]
    assert "## not a heading" in pieces[1].source


def test_offline_assets_replace_the_cdns(tmp_path):
    [deck] = slides.render_deck("00", tmp_path, assets="node_modules")
    text = deck.path.read_text()
    assert '"node_modules/reveal.js/dist/reveal.js"' in text and 'src="node_modules/requirejs/require.js"' in text
    assert "unpkg.com" not in text


def test_cli_writes_decks(tmp_path, capsys):
    assert cli.main(["slides", "02", "--out", str(tmp_path), "--answers"]) == 0
    out = capsys.readouterr().out
    nb = nbformat.read(notebooks_dir() / "02-measuring-service" / "02-measuring-service.ipynb", as_version=4)
    subsections = sum(len(re.findall(r"^### ", c.source, flags=re.M)) for c in nb.cells if c.cell_type == "markdown")
    assert f"02-measuring-service.answers.slides.html (5 slides, {subsections} sub-slides: exercises and short topics)" in out
    assert (tmp_path / "02-measuring-service.answers.slides.html").exists()


def test_cli_unknown_module_is_one_line(tmp_path, capsys):
    assert cli.main(["slides", "99", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("coursekit: error: unknown module '99'")
    assert not list(tmp_path.iterdir())
