"""The coursekit command: help for every subcommand, one-line errors for bad input."""

import subprocess
import sys

import pytest

SUBCOMMANDS = ["build", "autograde", "feedback", "report", "collect", "demo", "slides", "export"]


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "coursekit.cli", *args], capture_output=True, text=True, **kw)


@pytest.mark.parametrize("sub", SUBCOMMANDS)
def test_every_subcommand_has_help(sub):
    result = run(sub, "--help")
    assert result.returncode == 0 and "usage: coursekit " + sub in result.stdout


def one_line_error(result, *words):
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coursekit: error:"), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def test_missing_course_folder(tmp_path):
    for sub in ["autograde", "feedback", "report"]:
        one_line_error(run(sub, "--course", str(tmp_path / "nowhere")), "nowhere", "not found")


def test_unknown_module(tmp_path):
    one_line_error(run("build", "--course", str(tmp_path / "c"), "--modules", "42-nothing"), "42-nothing", "00-")
    assert not (tmp_path / "c").exists(), "nothing is created for a bad request"


def test_unreadable_gradebook(tmp_path):
    from coursekit.course import init_course

    root = init_course(tmp_path / "c")
    (root / "gradebook.db").write_bytes(b"this is not a database" * 100)
    one_line_error(run("report", "--course", str(root)), "gradebook", "gradebook.db")


def test_gradebook_of_the_wrong_kind(tmp_path):
    import sqlite3

    from coursekit.course import init_course

    root = init_course(tmp_path / "c")
    sqlite3.connect(root / "gradebook.db").execute("create table other (x int)").connection.commit()
    one_line_error(run("report", "--course", str(root)), "not an nbgrader gradebook")


def test_course_path_that_is_a_file(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    one_line_error(run("build", "--course", str(target)), "file.txt")


def test_demo_refuses_to_wipe_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    one_line_error(run("demo", "--out", str(tmp_path)), "not a coursekit demo folder")
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_a_workshop_deadline_or_a_course_start_sets_the_due_dates(tmp_path):
    import datetime as dt

    from coursekit.course import gradebook

    result = run("build", "--course", str(tmp_path / "day"), "--modules", "00", "--due", "2026-12-01")
    assert result.returncode == 0, result.stderr
    with gradebook(tmp_path / "day") as gb:
        assert gb.find_assignment("00-orientation").duedate == dt.datetime(2026, 12, 1, 23, 59)
    result = run("build", "--course", str(tmp_path / "weeks"), "--modules", "00", "--start", "2026-12-07")
    assert result.returncode == 0, result.stderr
    with gradebook(tmp_path / "weeks") as gb:  # module 00: one week after the start, 09:00
        assert gb.find_assignment("00-orientation").duedate == dt.datetime(2026, 12, 14, 9, 0)


def test_a_date_that_is_not_a_date(tmp_path):
    one_line_error(run("build", "--course", str(tmp_path / "c"), "--due", "next friday"), "--due", "next friday",
                   "YYYY-MM-DD")
    assert not (tmp_path / "c").exists(), "nothing is created for a bad request"
