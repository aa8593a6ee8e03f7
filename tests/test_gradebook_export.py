"""Gradebook files for Moodle and Canvas, checked against the columns those platforms document.

Moodle (docs: Grades > Import > CSV file; grade/import/csv): a header row; one column whose values
identify the user and that the import maps to ``userid``, ``useridnumber``, ``useremail`` or
``username``; one column per grade item; a blank cell leaves the grade alone.
Canvas (Grades > Import, the gradebook CSV): ``Student, ID, SIS User ID, SIS Login ID, Section``,
then the assignment columns (``Name (id)`` for an existing assignment, a new name makes one), and
a ``Points Possible`` row under the header.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pandas as pd
import pytest

from coursekit.course import gradebook_export as ge
from coursekit.errors import CourseError


def table():
    rows = []
    for learner, scores in {"nh01": (5.0, 3.0), "nh02": (2.5, None), "nh03": (None, None)}.items():
        for module, score, top in zip(["00-orientation", "01-interactions-vs-transactions"], scores, (5.0, 4.0)):
            rows.append({"learner_id": learner, "module": module, "score": score, "max_score": top,
                         "status": "autograded" if score is not None else "not submitted", "name": "", "team": "",
                         "supervisor": ""})
    return pd.DataFrame(rows)


def roster(**extra):
    base = {"learner_id": ["nh01", "nh02", "nh03"], "name": ["Ana Maria Li", "Ben Okafor", "Chen"],
            "team": ["Billing", "Billing", "Technical"], "supervisor": ["Rita", "Rita", "Sam"]}
    return pd.DataFrame({**base, **extra})


def parse(rows):
    return list(csv.reader(io.StringIO(ge.to_csv(rows))))


def test_moodle_file_has_an_identifier_column_and_one_column_per_grade_item():
    got = parse(ge.moodle_rows(table(), roster()))
    assert got[0] == ["ID number", "First name", "Last name", "00-orientation", "01-interactions-vs-transactions"]
    assert got[1:] == [["nh01", "Ana Maria", "Li", "5", "3"], ["nh02", "Ben", "Okafor", "2.5", ""],
                       ["nh03", "Chen", "", "", ""]]
    by_email = parse(ge.moodle_rows(table(), roster(email=["a@x.org", "b@x.org", "c@x.org"]), "email"))
    assert by_email[0][0] == "Email address" and [r[0] for r in by_email[1:]] == ["a@x.org", "b@x.org", "c@x.org"]
    assert parse(ge.moodle_rows(table(), roster(), "username"))[0][0] == "Username"
    with pytest.raises(CourseError, match="no column 'email'"):
        ge.moodle_rows(table(), roster(), "email")


def test_canvas_file_has_the_documented_columns_and_the_points_possible_row():
    got = parse(ge.canvas_rows(table(), roster(sis_login_id=["ali", "bok", ""], email=["", "", "c@x.org"]),
                               assignment_ids={"00-orientation": "4711"}))
    assert got[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "00-orientation (4711)",
                      "01-interactions-vs-transactions"]
    assert got[1] == ["Points Possible", "", "", "", "", "5", "4"]
    assert got[2] == ["Li, Ana Maria", "", "nh01", "ali", "Billing", "5", "3"]
    assert got[3] == ["Okafor, Ben", "", "nh02", "bok", "Billing", "2.5", ""]
    assert got[4] == ["Chen", "", "nh03", "c@x.org", "Technical", "", ""]  # no login id: the e-mail


def test_a_learner_missing_from_the_roster_is_a_one_line_error():
    with pytest.raises(CourseError) as err:
        ge.check_roster(table(), roster().iloc[1:], "roster.csv")
    assert "'nh01'" in str(err.value) and "roster.csv" in str(err.value) and "\n" not in str(err.value)
    ge.check_roster(table(), roster().iloc[:2], "roster.csv")  # nh03 has no grade: not needed
    with pytest.raises(CourseError, match="--roster"):
        ge.check_roster(table(), None, None)


def test_plain_csv_totals():
    got = parse(ge.plain_rows(table().assign(name="n", team="t", supervisor="s")))
    assert got[0][-2:] == ["total", "max_total"]
    assert got[1][-2:] == ["8", "9"] and got[2][-2:] == ["2.5", "9"] and got[3][-2:] == ["0", "9"]


def test_the_command_writes_the_files_from_a_course(tmp_path):
    """Through the CLI on a small real gradebook (nbgrader's schema), with the roster's ids."""
    sys.path.insert(0, str(__import__("conftest").REPO / "benchmarks"))
    from bench_report import make_gradebook

    from coursekit import course

    root = course.init_course(tmp_path / "c")
    make_gradebook(root, 4, 2, seed=2)
    with course.gradebook(root) as gb:
        truth = {(s.student.id, s.assignment.name): s.score for a in gb.assignments for s in a.submissions}
    lines = ["learner_id,name,team,supervisor,start_date"] + [f"learner{i:04d},L N{i},T,S,2026-01-05" for i in range(4)]
    (root / "roster.csv").write_text("\n".join(lines) + "\n")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "coursekit.cli", "export", "gradebook", "--course", str(root), *args],
                              capture_output=True, text=True, timeout=120)

    moodle = run("--format", "moodle", "--out", str(tmp_path / "moodle.csv"))
    assert moodle.returncode == 0, moodle.stderr
    got = list(csv.DictReader((tmp_path / "moodle.csv").open()))
    for r in got:
        for module in ("00-module", "01-module"):
            want = truth.get((r["ID number"], module))
            assert (float(r[module]) if r[module] else None) == want
    canvas = run("--format", "canvas", "--canvas-assignment", "01-module=4711")
    rows = list(csv.reader(io.StringIO(canvas.stdout)))
    assert rows[0] == [*ge.CANVAS_COLUMNS, "00-module", "01-module (4711)"]
    assert rows[1][0] == "Points Possible" and rows[1][5:] == ["8", "8"]
    (root / "roster.csv").write_text("\n".join(lines[:-1]) + "\n")  # learner0003 dropped from the roster
    missing = run("--format", "canvas")
    assert any(k[0] == "learner0003" for k in truth)  # (seed 2: learner0003 has grades)
    assert missing.returncode == 2 and missing.stderr.startswith("coursekit: error: learner 'learner0003'")
    assert len(missing.stderr.strip().splitlines()) == 1
