"""Completion table from the gradebook, rosters, follow-up (values checked by hand)."""

import datetime as dt
import shutil

import pytest
from conftest import MODULES

from coursekit import course, grading, progress, simulate
from coursekit.errors import CourseError

FIRST = MODULES[0] if MODULES else None


def write(tmp_path, text, name="roster.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_roster_reads_and_normalises(tmp_path):
    path = write(tmp_path, "Learner ID,Name,Team,Supervisor,Start Date\n nh01 ,Ana Li,Billing,Rita,2026-01-05\n")
    roster = progress.read_roster(path)
    assert roster.loc[0, "learner_id"] == "nh01" and roster.loc[0, "start_date"] == dt.datetime(2026, 1, 5)


@pytest.mark.parametrize("text, words", [
    ("learner_id,name,team,start_date\nnh01,A,B,2026-01-05\n", ["no column 'supervisor'"]),
    ("learner_id,name,team,supervisor,start_date\n,A,B,C,2026-01-05\n", ["line 2", "learner_id", "blank"]),
    ("learner_id,name,team,supervisor,start_date\nnh01,A,B,C,2026-01-05\nnh01,D,E,F,2026-01-05\n",
     ["line 3", "nh01", "twice"]),
    ("learner_id,name,team,supervisor,start_date\nnh01,A,B,C,next monday\n", ["line 2", "start_date", "next monday"]),
    ("learner_id,name,team,supervisor,start_date,modules\nnh01,A,B,C,2026-01-05,00-orientation 42-x\n",
     ["line 2", "unknown module '42-x'", "nh01"]),
    ("", ["not a readable CSV"]),
])
def test_bad_roster_rows_give_one_line_errors(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(CourseError) as err:
        progress.read_roster(path, modules=["00-orientation"])
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    for word in words:
        assert word in message


def test_missing_roster_file(tmp_path):
    with pytest.raises(CourseError, match="roster file not found"):
        progress.read_roster(tmp_path / "nope.csv")


def _row(**kw):
    base = {"learner_id": "x", "module": "00-a", "status": "autograded", "score": 5.0, "max_score": 5.0,
            "percent": 100.0, "late": False, "overdue": False, "tampered": False, "name": "", "team": "",
            "supervisor": ""}
    return {**base, **kw}


def test_follow_up_lists_every_reason_by_hand():
    import pandas as pd

    table = pd.DataFrame([
        _row(learner_id="ok"),
        _row(learner_id="low", score=2.0, percent=40.0),
        _row(learner_id="late2", late=True, status="late"), _row(learner_id="late2", module="01-b", late=True, status="late"),
        _row(learner_id="gone", status="not submitted", score=None, percent=None, overdue=True),
        _row(learner_id="cheat", tampered=True, status="tampered"),
        _row(learner_id="broken", status="grading failed", score=None, percent=None),
    ])
    follow = progress.follow_up(table).set_index("learner_id")["reasons"].to_dict()
    assert follow == {"broken": "00-a could not be graded", "cheat": "00-a tests edited",
                      "gone": "00-a overdue", "late2": "2 modules late", "low": "00-a scored 40%"}


@pytest.mark.skipif(not MODULES, reason="no modules")
@pytest.mark.xdist_group(FIRST or "none")
def test_statuses_from_the_course_folder(built_modules, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(built_modules(FIRST), root)
    # a second module that exists in source/ but was never released
    shutil.copytree(root / "source" / FIRST, root / "source" / "99-later")
    roster = simulate.learner_roster(3)
    simulate.register_learners(root, roster)
    simulate.simulate_cohort(root, 3, [FIRST])
    grading.autograde(root, learners=["nh01", "nh02"])  # nh03 handed in but is not graded yet
    with course.gradebook(root) as gb:  # a written answer waiting for a person
        grade = gb.find_submission(FIRST, "nh02").notebooks[0].grades[0]
        grade.needs_manual_grade = True
        gb.db.commit()
    table = progress.completion(root, now=dt.datetime(2030, 1, 1)).set_index(["learner_id", "module"])
    assert table.loc[("nh01", FIRST), "status"] == "autograded"
    assert table.loc[("nh02", FIRST), "status"] == "needs manual grading"
    assert table.loc[("nh03", FIRST), "status"] == "submitted"
    assert not table.loc[("nh03", FIRST), "overdue"]
    assert table.loc[("nh01", "99-later"), "status"] == "not released"
    early = progress.completion(root, now=dt.datetime(2025, 1, 1))
    assert not early["overdue"].any()
    # the roster adds people with no work yet, who are overdue once the due date has passed
    path = write(tmp_path, "learner_id,name,team,supervisor,start_date\nnh01,A,T1,S,2026-01-05\nnh09,Z,T2,S,2026-01-05\n")
    full = progress.with_roster(table.reset_index(), progress.read_roster(path)).set_index(["learner_id", "module"])
    assert full.loc[("nh09", FIRST), "status"] == "not submitted" and full.loc[("nh09", FIRST), "overdue"]
    assert full.loc[("nh01", FIRST), "team"] == "T1"


def test_few_queries_however_many_learners(monkeypatch, tmp_path):
    """completion() reads the gradebook with a fixed number of queries (5, and one listing its
    tables), not one per learner."""
    from nbgrader.api import Gradebook

    course.prepare_nbgrader()  # nbgrader calls alembic by name
    root = course.init_course(tmp_path / "c")
    url = course.configured_db_url(root)
    with Gradebook(url) as gb:
        gb.add_assignment("00-a", duedate=dt.datetime(2026, 1, 12))
        for i in range(50):
            gb.add_student(f"s{i:03d}")
    statements = []
    real = progress._connect_sqlite

    def counting(path):
        conn = real(path)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(progress, "_connect_sqlite", counting)
    table = progress.completion(db_url=url)
    assert len(table) == 50 and (table["status"] == "not submitted").all()
    assert len(statements) == 6


def test_the_gradebook_url_is_read_without_building_the_grading_pipeline(tmp_path):
    """A report reads the course's nbgrader_config.py without importing nbgrader or nbconvert (~3 s)."""
    import subprocess
    import sys

    root = course.init_course(tmp_path / "c", db_url=f"sqlite:///{tmp_path / 'elsewhere.db'}")
    code = ("import sys; from coursekit.course import progress; print(progress.gradebook_url(sys.argv[1])); "
            "print(any(m.split('.')[0] in ('nbgrader', 'nbconvert') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True).stdout.split()
    assert out == [f"sqlite:///{tmp_path / 'elsewhere.db'}", "False"]
    assert course.configured_db_url(root) == out[0]
