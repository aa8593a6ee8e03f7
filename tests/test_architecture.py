"""The house: floors that import only downwards, no import cycle, no repeated code in the library.

The floors, from the ground up (see docs/architecture.md), each a folder of coursekit/:

0. base (the top folder): errors, files, palette, pages, ui, parallel (know nothing of the course)
1. analysis/: pure functions over DataFrames, what a lesson teaches
2. learner/: what the learner touches
3. course/: the course machinery that wraps nbgrader
4. cli (only parses arguments and calls the floors below)
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "coursekit"

#: floor -> the packages (or top-level modules) on it
FLOORS = {
    0: {"errors", "files", "palette", "pages", "ui", "parallel"},
    1: {"analysis"},
    2: {"learner"},
    3: {"course"},
    4: {"cli"},
}


def floor_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else ""
    for floor, names in FLOORS.items():
        if top in names:
            return floor
    raise AssertionError(f"{module} is on no floor: add it to FLOORS and docs/architecture.md")


def test_the_folders_show_the_floors():
    """Every module of the library sits in its floor's folder (the top holds only the base and cli)."""
    top = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert set(top) == FLOORS[0] | FLOORS[4], top
    import coursekit

    for short, floor in coursekit.FLOORS.items():
        assert (PACKAGE / floor / f"{short}.py").exists() or (PACKAGE / floor / short).is_dir(), short


def test_short_names_are_the_same_modules():
    import importlib

    import coursekit

    for short, floor in coursekit.FLOORS.items():
        assert importlib.import_module(f"coursekit.{short}") is importlib.import_module(f"coursekit.{floor}.{short}")


def imports() -> dict[str, set[str]]:
    """coursekit module -> the coursekit modules it imports (at any depth of its code)."""
    known = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        known[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    found = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                for candidate in [mod] + [f"{mod}.{a.name}" for a in node.names]:
                    if candidate in known:
                        deps.add(candidate)
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in known}
        deps.discard(name)
        deps.discard("coursekit")
        found[name] = deps
    return found


def test_every_module_imports_only_its_own_floor_or_below():
    wrong = []
    for module, deps in imports().items():
        if module == "coursekit":
            continue
        for dep in deps:
            if floor_of(dep) > floor_of(module):
                wrong.append(f"{module} (floor {floor_of(module)}) imports {dep} (floor {floor_of(dep)})")
    assert not wrong, wrong


def test_there_is_no_import_cycle():
    graph = imports()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, path):
        state[node] = 1
        for dep in graph.get(node, ()):
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep):] + [dep] if dep in path else [node, dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, cycles


def test_no_block_of_six_lines_is_repeated_in_the_library():
    pytest.importorskip("pylint")
    run = subprocess.run([sys.executable, "-m", "pylint", "--disable=all", "--enable=duplicate-code",
                          "--min-similarity-lines=6", "--ignore-imports=yes", "--ignore-docstrings=yes",
                          "--ignore-comments=yes", "--score=n", str(PACKAGE)], capture_output=True, text=True)
    assert "R0801" not in run.stdout, run.stdout
    assert run.returncode in (0, 8), run.stderr[-2000:]  # 8: refactor messages only
