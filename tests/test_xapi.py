"""xAPI statements: built by hand-checked rules (pure), and sent to a real LRS (Ralph on 127.0.0.1,
see lrs_server.py) checked through the LRS's own ``GET /xAPI/statements``: right verbs, scores and
actors; a second send adds nothing; a send cut off by the LRS dying mid-run completes on the next
run with nothing lost or doubled; the LRS validates every statement (and ``ralph validate`` too)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from conftest import MODULES, REPO, require_service

from coursekit import course
from coursekit.course import xapi
from coursekit.course.modules import pass_percent

sys.path.insert(0, str(REPO / "benchmarks"))

ADL = "http://adlnet.gov/expapi/verbs/"


def row(**kw):
    base = {"learner_id": "nh01", "name": "Ana Li", "module": "00-orientation", "status": "autograded", "score": 6.0,
            "max_score": 8.0, "percent": 75.0, "submitted_at": pd.Timestamp("2026-01-10 09:30:00"), "late": False,
            "overdue": False, "tampered": False, "needs_manual_grading": False, "reason": ""}
    return {**base, **kw}


def hand_table():
    return pd.DataFrame([
        row(),                                                           # 75% >= 60%: passed
        row(learner_id="nh02", name="Ben Okafor", status="late", score=4.0, percent=50.0),  # 50%: failed
        row(learner_id="nh03", name="Chen Wu", status="needs manual grading", score=5.0, percent=62.5),
        row(learner_id="nh04", name="Dana Novak", status="not submitted", score=None, percent=None, submitted_at=None),
    ]).assign(self_rating=4, self_percentile=77)


def check_structure(statement: dict) -> None:
    """The xAPI 1.0.3 rules a statement of ours must meet (Data section 2.4), checked by hand."""
    assert uuid.UUID(statement["id"]).version == 5
    agent = statement["actor"]
    assert agent["objectType"] == "Agent"
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in agent]
    assert len(ifis) == 1, "an Agent has exactly one inverse functional identifier"
    if "account" in agent:
        assert set(agent["account"]) == {"homePage", "name"} and agent["account"]["homePage"].startswith("http")
    else:
        assert agent["mbox"].startswith("mailto:")
    assert statement["verb"]["id"].startswith(ADL) and statement["verb"]["display"]["en-US"]
    assert statement["object"]["objectType"] == "Activity" and re.match(r"^https?://", statement["object"]["id"])
    result = statement["result"]
    if "score" in result:
        score = result["score"]
        assert score["min"] <= score["raw"] <= score["max"] and -1 <= score["scaled"] <= 1
        assert abs(score["scaled"] - score["raw"] / score["max"]) < 1e-6
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", statement["timestamp"])
    assert set(statement) <= {"id", "actor", "verb", "object", "result", "context", "timestamp"}


def test_statements_follow_the_rules_worked_by_hand():
    made = xapi.statements(hand_table(), "coursekit")
    by = Counter((s["actor"]["account"]["name"], s["verb"]["display"]["en-US"]) for s in made)
    assert by == Counter({("nh01", "completed"): 1, ("nh01", "scored"): 1, ("nh01", "passed"): 1,
                          ("nh02", "completed"): 1, ("nh02", "scored"): 1, ("nh02", "failed"): 1,
                          ("nh03", "completed"): 1})  # manual grading pending: no score yet; nh04: nothing
    for s in made:
        check_structure(s)
    passed = next(s for s in made if s["verb"]["id"] == ADL + "passed")
    assert passed["result"] == {"score": {"raw": 6.0, "min": 0.0, "max": 8.0, "scaled": 0.75}, "success": True,
                                "completion": True}
    failed = next(s for s in made if s["verb"]["id"] == ADL + "failed")
    assert failed["result"]["score"]["scaled"] == 0.5 and failed["result"]["success"] is False
    assert passed["object"]["id"] == "https://coursekit.invalid/xapi/activities/coursekit/00-orientation"
    assert passed["timestamp"] == "2026-01-10T09:30:00.000Z" and passed["actor"]["name"] == "Ana Li"
    assert pass_percent("00-orientation") == 60.0
    text = json.dumps(made)
    assert "self_rating" not in text and "self_percentile" not in text and "77" not in text


def test_the_same_result_has_the_same_id_and_a_regrade_a_new_one():
    first = [s["id"] for s in xapi.statements(hand_table(), "coursekit")]
    assert first == [s["id"] for s in xapi.statements(hand_table(), "coursekit")]
    assert len(set(first)) == len(first)
    regraded = hand_table()
    regraded.loc[0, "score"] = 7.0
    again = [s["id"] for s in xapi.statements(regraded, "coursekit")]
    assert set(again[:3]).isdisjoint(first) and again[3:] == first[3:]
    resubmitted = hand_table()
    resubmitted.loc[1, "submitted_at"] = pd.Timestamp("2026-01-11")
    assert set(s["id"] for s in xapi.statements(resubmitted, "coursekit")) != set(first)
    assert set(first).isdisjoint(s["id"] for s in xapi.statements(hand_table(), "another-course"))


def test_an_email_in_the_roster_makes_the_actor_an_mbox():
    table = hand_table().assign(email=["ana@example.com", "", "", ""])
    made = xapi.statements(table, "coursekit")
    ana = [s["actor"] for s in made if s["actor"].get("name") == "Ana Li"]
    assert ana and all(a == {"objectType": "Agent", "name": "Ana Li", "mbox": "mailto:ana@example.com"} for a in ana)
    assert all("account" in s["actor"] for s in made if s["actor"].get("name") != "Ana Li")


@pytest.mark.parametrize("url, words", [("ftp://lrs", ["not an http(s) URL"]), ("127.0.0.1:8100", ["not an http(s)"])])
def test_bad_lrs_urls_are_one_line_errors(url, words):
    with pytest.raises(xapi.LRSError) as err:
        xapi.endpoint(url)
    assert "\n" not in str(err.value) and all(w in str(err.value) for w in words)
    assert xapi.endpoint("http://u:p@127.0.0.1:8100/xAPI/statements/") == "http://127.0.0.1:8100/xAPI"
    assert xapi.credentials("http://u:p@127.0.0.1:8100/xAPI", None) == "u:p"


# ---------------------------------------------------------------- with a real LRS

@pytest.fixture(scope="module")
def ralph_python():
    from lrs_server import ralph_python as find

    python, why = find()
    if python is None:
        require_service(why)
    return python


@pytest.fixture(scope="module")
def ralph_auth(ralph_python, tmp_path_factory):
    """Ralph's credentials file, made once for the module's LRSs."""
    from lrs_server import Ralph

    return Ralph(ralph_python, tmp_path_factory.mktemp("ralph-auth")).folder / "auth.json"


@pytest.fixture
def lrs(ralph_python, ralph_auth, tmp_path):
    """A fresh, empty Ralph LRS on a free port, stopped after the test."""
    from lrs_server import Ralph

    server = Ralph(ralph_python, tmp_path / "lrs", auth_file=ralph_auth)
    try:
        server.start()
    except RuntimeError as exc:
        require_service(f"Ralph LRS could not start: {exc}")
    yield server
    server.stop()


LEARNERS, N_MODULES = 12, 3


@pytest.fixture(scope="module")
def small_course(tmp_path_factory):
    """A course whose gradebook has 12 learners × 3 modules, made directly (no autograding), and a roster."""
    from bench_report import make_gradebook

    root = course.init_course(tmp_path_factory.mktemp("xapi") / "course")
    make_gradebook(root, LEARNERS, N_MODULES, seed=5)
    with open(root / "roster.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["learner_id", "name", "team", "supervisor", "start_date"])
        for i in range(LEARNERS):
            w.writerow([f"learner{i:04d}", f"Learner Number{i}", f"T{i % 2}", f"S{i % 2}", "2026-01-05"])
    return root


def expected_from_nbgrader(root: Path) -> dict[tuple[str, str], float]:
    """(learner, module) -> score, through nbgrader's own Gradebook API (not coursekit's SQL)."""
    with course.gradebook(root) as gb:
        return {(s.student.id, s.assignment.name): s.score for a in gb.assignments for s in a.submissions}


def send(root, lrs, *extra):
    return subprocess.run([sys.executable, "-m", "coursekit.cli", "export", "xapi", "--course", str(root), "--lrs",
                           lrs.url, "--auth", lrs.auth, *extra], capture_output=True, text=True, timeout=300)


@pytest.mark.services
def test_statements_arrive_once_with_the_right_verbs_scores_and_actors(small_course, lrs, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(small_course, root)
    first = send(root, lrs)
    assert first.returncode == 0, first.stderr
    stored = lrs.all_statements()
    expected = expected_from_nbgrader(root)
    assert len(stored) == 3 * len(expected)  # every graded submission: completed, scored, passed or failed
    got = {}
    for s in stored:
        check_structure({k: v for k, v in s.items() if k not in ("stored", "authority", "version")})
        learner = s["actor"]["account"]["name"]
        assert s["actor"]["account"]["homePage"] == xapi.HOME_PAGE
        assert s["actor"]["name"] == f"Learner Number{int(learner[-4:])}"
        got[(learner, s["object"]["id"].rsplit("/", 1)[1], s["verb"]["id"].rsplit("/", 1)[1])] = s["result"]
    for (learner, module), score in expected.items():
        assert got[(learner, module, "completed")] == {"completion": True}
        assert got[(learner, module, "scored")]["score"]["raw"] == score
        verb = "passed" if 100 * score / 8 >= pass_percent(module) else "failed"
        assert got[(learner, module, verb)]["success"] is (verb == "passed")
    assert {v for *_, v in got} == {"completed", "scored", "passed", "failed"}

    again = send(root, lrs)
    assert again.returncode == 0 and "0 new; 0 sent" in again.stdout, again.stdout + again.stderr
    shutil.rmtree(root / "xapi")  # even with the local record gone, the LRS keeps one copy of each
    third = send(root, lrs)
    assert third.returncode == 0, third.stderr
    after = lrs.all_statements()
    assert len(after) == len(stored) and len({s["id"] for s in after}) == len(stored)


@pytest.mark.services
def test_a_send_cut_off_by_the_lrs_dying_completes_on_the_next_run(small_course, lrs, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(small_course, root)
    seen = []

    def kill_after_two_batches(done, waiting):
        seen.append(done)
        if len(seen) == 2:
            lrs.kill()

    with pytest.raises(xapi.LRSError) as err:
        xapi.export_xapi(root, lrs.url, lrs.auth, batch=10, retries=2, backoff=0.05, progress=kill_after_two_batches)
    message = str(err.value)
    assert "\n" not in message and "cannot reach the LRS" in message and "wait in" in message
    lrs.start()  # the same LRS again (same port, same storage)
    assert len(lrs.all_statements()) == 20  # what was accepted before the crash is there
    done = xapi.export_xapi(root, lrs.url, lrs.auth, batch=10)
    assert done.new == 0 and done.sent == done.built - 20  # only what was missing went out
    stored = lrs.all_statements()
    assert len(stored) == done.built and len({s["id"] for s in stored}) == done.built


@pytest.mark.services
def test_lrs_refusals_are_one_line_errors_and_lose_nothing(small_course, lrs, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(small_course, root)
    wrong = subprocess.run([sys.executable, "-m", "coursekit.cli", "export", "xapi", "--course", str(root), "--lrs",
                            lrs.url, "--auth", "trainer:wrong"], capture_output=True, text=True, timeout=300)
    assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1, wrong.stderr
    assert "refused the credentials (401)" in wrong.stderr and "wait in" in wrong.stderr
    assert lrs.all_statements() == []
    assert send(root, lrs).returncode == 0  # the waiting statements go with the next run
    n = len(lrs.all_statements())
    assert n > 0
    # the same ids with different content (another home page, from a copy that never sent): named, kept
    other = tmp_path / "copy"
    shutil.copytree(small_course, other)
    clash = send(other, lrs, "--home-page", "https://elsewhere.example/learners")
    assert clash.returncode == 2 and len(clash.stderr.strip().splitlines()) == 1, clash.stderr
    assert re.search(r"refused statement [0-9a-f-]{36} \(learner\d{4} \d\d-module \w+\): a different statement",
                     clash.stderr), clash.stderr
    assert len(lrs.all_statements()) == n


@pytest.mark.services
def test_ralph_validates_the_statements_of_a_dry_run(small_course, ralph_python, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(small_course, root)
    out = tmp_path / "statements.json"
    dry = subprocess.run([sys.executable, "-m", "coursekit.cli", "export", "xapi", "--course", str(root), "--dry-run",
                          "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert dry.returncode == 0 and "nothing sent" in dry.stdout, dry.stderr
    assert not (root / "xapi").exists() or not list((root / "xapi").glob("*/outbox"))
    made = json.loads(out.read_text())

    def ralph_says(statements):
        return subprocess.run([str(ralph_python), str(REPO / "tests" / "ralph_validate.py")],
                              input="".join(json.dumps(s) + "\n" for s in statements), capture_output=True, text=True,
                              timeout=300, env={**os.environ, "RALPH_RUNSERVER_BACKEND": "fs"})

    checked = ralph_says(made)
    assert checked.returncode == 0 and checked.stdout.split()[0] == str(len(made)), checked.stderr[-1500:]
    two_ids = {**made[0], "actor": {**made[0]["actor"], "mbox": "mailto:a@example.com"}}  # the check can fail
    assert ralph_says([two_ids]).returncode == 1


@pytest.mark.slow
@pytest.mark.services
@pytest.mark.skipif(not MODULES, reason="no modules")
def test_demo_sends_the_cohort_it_simulated(lrs, tmp_path):
    out = tmp_path / "demo"
    result = subprocess.run([sys.executable, "-m", "coursekit.cli", "demo", "--learners", "6", "--modules", MODULES[0],
                             "--out", str(out), "--lrs", lrs.url, "--auth", lrs.auth],
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "xAPI:" in result.stdout
    expected = [e for e in csv.DictReader((out / "expected.csv").open()) if e["submitted"] == "True"]
    stored = lrs.all_statements()
    scored = {s["actor"]["account"]["name"]: s["result"]["score"]["raw"] for s in stored
              if s["verb"]["id"] == ADL + "scored"}
    assert scored == {e["learner_id"]: float(e["score"]) for e in expected}  # the simulation's own scores
    completed = {s["actor"]["account"]["name"] for s in stored if s["verb"]["id"] == ADL + "completed"}
    assert completed == {e["learner_id"] for e in expected}
