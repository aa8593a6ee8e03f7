"""Trainer's kit: a guide per module whose timing adds up, and plans that name every module."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import MODULES, REPO

from coursekit.course import module_notebooks, notebooks_dir

HEADINGS = ["## Objectives", "## Timing", "## Before the session", "## Discussion prompts",
            "## Common learner mistakes", "## Using the answer key", "## Key points"]
DOCS = REPO / "docs" / "facilitator"
AGENDA = DOCS / "one-day-workshop.md"
SELF_PACED = DOCS / "four-week-self-paced.md"
TIME = re.compile(r"\*\*Time:\*\*\s*(?:about\s+)?(?:(\d+)\s*h(?:ours?)?)?\s*(?:(\d+)\s*min)?", re.I)


def section(text: str, heading: str) -> str:
    """The text under a ``## `` heading, up to the next one."""
    match = re.search(rf"^{re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


def table(text: str) -> list[list[str]]:
    """The first markdown table in ``text``: its rows (header first, separator left out) as cells."""
    rows = []
    for line in text.splitlines():
        if line.strip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                rows.append(cells)
        elif rows:
            break
    return rows


def plain(cell: str) -> str:
    return cell.replace("*", "").replace("`", "").strip()


def timing_minutes(guide: str) -> tuple[int, int | None]:
    """(sum of the section rows, the table's own total row or None) of a guide's ``## Timing`` table,
    read from the column whose header says minutes."""
    header, *rows = table(section(guide, "## Timing"))
    column = next(i for i, name in enumerate(header) if "min" in name.lower())
    total, stated = 0, None
    for row in rows:
        minutes = int(plain(row[column]))
        if plain(row[0]).lower() == "total":
            stated = minutes
        else:
            total += minutes
    return total, stated


def module_time(module: str) -> int:
    """Minutes in the ``**Time:**`` line of the first cell of each of the module's notebooks, added up."""
    total = 0
    for path in module_notebooks(notebooks_dir() / module):
        match = TIME.search(nbformat.read(path, as_version=4).cells[0].source)
        assert match and (match.group(1) or match.group(2)), f"{path.name}: no **Time:** in the first cell"
        total += 60 * int(match.group(1) or 0) + int(match.group(2) or 0)
    return total


def test_time_and_timing_tables_are_read_as_a_person_would():
    guide = ("## Timing\n\n| section | minutes | who |\n|---|---:|---|\n| 1. Intro | 5 | all |\n"
             "| 2. Exercise `x` | **12** | pairs |\n| **Total** | **17** | |\n\n## Before the session\n| a | 1 |\n")
    assert timing_minutes(guide) == (17, 17)
    assert [TIME.search(s).groups() for s in ("**Time:** about 45 minutes", "**Time:** 1 h 30 min")] == \
        [(None, "45"), ("1", "30")]


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_a_facilitator_guide_with_the_sections(module):
    path = notebooks_dir() / module / "FACILITATOR.md"
    assert path.exists(), f"{module}: no FACILITATOR.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    missing = [h for h in HEADINGS if h not in lines]
    assert missing == [], f"{module}/FACILITATOR.md lacks {missing}"
    positions = [lines.index(h) for h in HEADINGS]
    assert positions == sorted(positions), f"{module}/FACILITATOR.md: sections out of order"


@pytest.mark.parametrize("module", MODULES)
def test_timing_adds_up_to_the_module_time(module):
    total, stated = timing_minutes((notebooks_dir() / module / "FACILITATOR.md").read_text(encoding="utf-8"))
    expected = module_time(module)
    assert stated in (None, total), f"{module}: the Total row says {stated}, the rows add up to {total}"
    assert abs(total - expected) <= max(5, expected // 10), f"{module}: timing adds up to {total}, notebook says {expected}"


@pytest.mark.parametrize("plan", [AGENDA, SELF_PACED], ids=["one-day", "four-week"])
def test_plans_name_every_module_with_its_time(plan):
    text = plan.read_text(encoding="utf-8")
    for module in MODULES:
        assert f"`{module}`" in text, f"{plan.name} does not name {module}"
    assert all(f"`0{n}-" in text for n in range(8)), f"{plan.name} should cover modules 00 to 07"


def _modules_in(heading: str) -> dict[str, int]:
    """Module -> minutes, as a table under ``heading`` of the one-day agenda gives them."""
    header, *rows = table(section(AGENDA.read_text(encoding="utf-8"), heading))
    module_col, minutes_col = header.index("module"), header.index("minutes")
    given = {}
    for row in rows:
        found = re.search(r"`(\d\d-[a-z0-9-]+)`", row[module_col])
        if found:
            assert found.group(1) not in given, f"{found.group(1)} appears twice under {heading}"
            given[found.group(1)] = int(row[minutes_col])
    return given


def test_agenda_gives_each_module_its_notebook_time():
    """Every module is on the day or in the follow-up, once, with the time its notebook states."""
    day, follow_up = _modules_in("## Agenda"), _modules_in("## Follow-up")
    assert not set(day) & set(follow_up), "a module is both on the day and in the follow-up"
    given = {**day, **follow_up}
    assert {m: given.get(m) for m in MODULES} == {m: module_time(m) for m in MODULES}


def test_the_day_fits():
    """At most 4 h 30 of notebooks and two modules after lunch, as stated, and the closing evaluation
    the agenda promises has its two questions."""
    text = AGENDA.read_text(encoding="utf-8")
    header, *rows = table(section(text, "## Agenda"))
    module_col, minutes_col = header.index("module"), header.index("minutes")
    day = _modules_in("## Agenda")
    minutes = sum(day.values())
    assert minutes <= 270, f"{minutes} minutes of notebooks do not fit in a day"
    assert f"Notebook time in the day: {minutes // 60} h {minutes % 60:02d} min" in text
    lunch = next(i for i, r in enumerate(rows) if plain(r[module_col]).lower() == "lunch")
    after = [r for r in rows[lunch + 1:] if re.search(r"`\d\d-", r[module_col])]
    assert len(after) <= 2, f"{len(after)} modules after lunch"
    evaluation = section(text, "## Closing evaluation: two questions")
    assert re.findall(r"^\d\. \*\*", evaluation, re.M) == ["1. **", "2. **"]


def test_agenda_clock_adds_up():
    header, *rows = table(section(AGENDA.read_text(encoding="utf-8"), "## Agenda"))
    start_col, minutes_col = header.index("time"), header.index("minutes")
    clock = [60 * int(r[start_col][:2]) + int(r[start_col][3:]) for r in rows]
    lengths = [int(r[minutes_col]) for r in rows]
    assert [b - a for a, b in zip(clock, clock[1:])] == lengths[:-1]


def test_kit_links_resolve():
    for doc in [*DOCS.glob("*.md"), REPO / "deploy" / "jupyterhub" / "README.md"]:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (doc.parent / target).exists(), f"{doc.name}: broken link {target}"
    readme = (DOCS / "README.md").read_text(encoding="utf-8")
    for module in MODULES:
        assert f"../../notebooks/{module}/FACILITATOR.md" in readme, f"README.md does not link the {module} guide"


# --------------------------------------------------------------------------- readability

def syllables(word: str) -> int:
    """Syllables in an English word, by vowel groups (a silent final e and -ed dropped): the usual
    approximation behind Flesch scores."""
    word = word.lower()
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    return max(1, len(re.findall(r"[aeiouy]+", word)))


def flesch(text: str) -> float | None:
    """Flesch reading ease of a paragraph: 206.835 - 1.015 words/sentence - 84.6 syllables/word
    (60-70: plain English; higher is easier).  None for a paragraph under 12 words."""
    words = re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text)
    if len(words) < 12:
        return None
    sentences = max(1, len(re.findall(r"[.!?:;]+(?:\s|$)", text.strip() + " ")))
    return 206.835 - 1.015 * len(words) / sentences - 84.6 * sum(map(syllables, words)) / len(words)


def prose(markdown: str) -> list[str]:
    """The paragraphs a person reads: no code blocks, tables, headings or inline code."""
    markdown = re.sub(r"```.*?```", "", markdown, flags=re.S)
    paragraphs = []
    for block in re.split(r"\n\s*\n", markdown):
        lines = [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith(("|", "#", ">"))]
        text = re.sub(r"`[^`]*`", "x", " ".join(lines))
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("*", "")
        if text.strip():
            paragraphs.append(text)
    return paragraphs


def test_flesch_matches_hand_counts():
    assert syllables("customer") == 3 and syllables("queue") == 1 and syllables("service") == 2
    assert flesch("The cat sat on the mat. The dog sat on the log. It was fun.") > 100
    assert flesch("Notwithstanding organisational considerations, comprehensive multidimensional "
                  "evaluation methodologies necessitate institutional collaboration internationally, "
                  "notwithstanding administrative complications.") < 0
    assert flesch("Too short to score.") is None


@pytest.mark.parametrize("module", MODULES)
def test_notebook_and_guide_read_plainly(module):
    nb = nbformat.read(notebooks_dir() / module / f"{module}.ipynb", as_version=4)
    for name, text in [("notebook", "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")),
                       ("guide", (notebooks_dir() / module / "FACILITATOR.md").read_text())]:
        scores = sorted(s for s in map(flesch, prose(text)) if s is not None)
        median = scores[len(scores) // 2]
        print(f"{module} {name}: median Flesch {median:.0f} over {len(scores)} paragraphs")
        assert median >= 60, f"{module} {name}: median Flesch {median:.0f} (plain English is 60 or more)"
