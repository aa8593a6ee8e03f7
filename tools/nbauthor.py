"""Scaffold an nbgrader notebook from a percent-format text file (an authoring aid).

The ``.ipynb`` in ``notebooks/<module>/`` is the source of truth once written; this tool only
saves typing nbgrader cell metadata by hand when a module is first drafted::

    python tools/nbauthor.py draft.py notebooks/00-orientation/00-orientation.ipynb

Cell markers (one per cell, first line)::

    # %% [markdown]                      plain text
    # %% [markdown] readonly id=intro    text the learner cannot edit
    # %% code                            ordinary code cell
    # %% readonly id=setup               code the learner cannot edit
    # %% solution id=ex1                 an exercise: the learner writes the answer
    # %% tests id=ex1-tests points=2     autograded tests (may contain hidden tests)
    # %% [markdown] manual id=q points=2 a written answer graded by a person

Markdown cell bodies are written as ``# ``-prefixed comment lines (the prefix is removed).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

MARKER = re.compile(r"^# %%\s*(?P<md>\[markdown\])?\s*(?P<kind>code|readonly|solution|tests|manual)?(?P<opts>.*)$")


def _meta(kind: str, opts: dict) -> dict:
    if kind in ("", "code") and not opts.get("id"):
        return {}
    base = {"grade": False, "grade_id": opts["id"], "locked": False, "schema_version": 3,
            "solution": False, "task": False}
    if kind == "readonly":
        base["locked"] = True
    elif kind == "solution":
        base["solution"] = True
    elif kind == "tests":
        base.update(grade=True, locked=True, points=float(opts.get("points", 1)))
    elif kind == "manual":
        base.update(grade=True, solution=True, points=float(opts.get("points", 1)))
    return {"nbgrader": base}


def parse(text: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    chunks: list[tuple[re.Match, list[str]]] = []
    for line in text.splitlines():
        match = MARKER.match(line)
        if match:
            chunks.append((match, []))
        elif chunks:
            chunks[-1][1].append(line)
    for match, body in chunks:
        opts = dict(re.findall(r"(\w+)=(\S+)", match.group("opts")))
        kind = match.group("kind") or ""
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        if match.group("md"):
            source = "\n".join(re.sub(r"^# ?", "", ln) for ln in body)
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell("\n".join(body))
        cell.metadata.update(_meta(kind, opts))
        cell.pop("id", None)
        nb.cells.append(cell)
    # stable cell ids so regenerating a draft gives the same file
    for i, cell in enumerate(nb.cells):
        cell["id"] = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell-{i:02d}"
    return nb


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    src, out = map(Path, argv)
    nb = parse(src.read_text())
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
