"""``coursekit demo``: the whole pipeline on embedded defaults, in one visible place.

build → simulate a cohort → autograde → feedback → report, each step a library call.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pandas as pd

from coursekit.course import grading, progress, report, simulate
from coursekit.course.build import build
from coursekit.errors import CourseError
from coursekit.ui import progress_bar

MARKER = ".coursekit-demo"


def fresh_folder(out: Path) -> Path:
    """Empty ``out`` for a new demo; refuse to delete a folder the demo did not make."""
    out = Path(out).resolve()
    if out.exists():
        if not (out / MARKER).exists() and any(out.iterdir()):
            raise CourseError(f"{out}: exists and is not a coursekit demo folder; choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("made by coursekit demo; deleted and remade by the next demo\n")
    return out


def compare(table: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    """Rows where the report's status or score differs from what was simulated."""
    merged = expected.merge(table, on=["learner_id", "module"], how="left", suffixes=("_expected", ""))
    same_status = merged["status"] == merged["status_expected"]
    same_score = (merged["score"].fillna(-1) - merged["score_expected"].fillna(-1)).abs() < 1e-9
    return merged.loc[~(same_status & same_score),
                      ["learner_id", "module", "profile", "status_expected", "status", "score_expected", "score"]]


def run_demo(out="build/demo", learners: int = 12, db_url: str | None = None, modules=None, echo=print,
             jobs: int | None = None, fence: bool = True, lrs: str | None = None, auth: str | None = None) -> dict:
    """Run the demo and return paths and tables (``table``, ``expected``, ``mismatches``); with ``lrs``
    (an xAPI endpoint, ``auth`` its ``user:password``) also send the cohort's results there as xAPI
    statements (``xapi``: what was sent)."""
    if learners < 1:
        raise CourseError(f"--learners must be at least 1 (got {learners})")
    if lrs:
        from coursekit.course.xapi import credentials, endpoint

        endpoint(lrs), credentials(lrs, auth)  # a mistyped URL is found now, not after grading
    started = time.perf_counter()
    root = fresh_folder(out)

    echo(f"1/5 building the course in {root}")
    built = build(root, modules, db_url=db_url)
    echo(f"    {len(built)} module(s): {', '.join(built)}")

    echo(f"2/5 simulating {learners} learners handing in work")
    roster = simulate.learner_roster(learners)
    simulate.register_learners(root, roster)
    roster_csv = simulate.write_roster(roster, root / "roster.csv")
    expected = simulate.simulate_cohort(root, learners, built)

    jobs = jobs or os.cpu_count() or 1
    echo(f"3/5 autograding with nbgrader ({jobs} at a time)")
    with progress_bar(len(expected[expected["submitted"]]), "autograding") as bar:
        outcomes = grading.autograde(root, jobs=jobs, timeout=600, progress=lambda s: bar.update(),
                                     fence=fence)
    failed = [o for o in outcomes if not o.ok]
    echo(f"    {len(outcomes) - len(failed)} graded, {len(failed)} failed")
    for o in failed:
        echo(f"    failed {o.learner_id}/{o.module}: {o.reason}")

    echo("4/5 generating feedback")
    with progress_bar(len(outcomes), "feedback") as bar:
        fb = grading.feedback(root, jobs=jobs, progress=lambda s: bar.update())
    echo(f"    {sum(o.ok for o in fb)} feedback file(s) in {root / 'feedback'}")

    echo("5/5 writing the supervisor report")
    table = progress.with_roster(progress.completion(root), progress.read_roster(roster_csv))
    csv_path = report.write_csv(table, root / "report.csv")
    html_path = report.write_html(table, root / "report.html", title="coursekit demo cohort")
    expected.to_csv(root / "expected.csv", index=False)
    mismatches = compare(table, expected)

    echo("")
    echo(report.format_table(table))
    echo("")
    if mismatches.empty:
        echo(f"All {len(expected)} learner-module results match what was simulated.")
    else:
        echo(f"WARNING: {len(mismatches)} result(s) differ from what was simulated:")
        echo(mismatches.to_string(index=False))
    echo(f"Course folder (an nbgrader course root): {root}")
    follow = progress.follow_up(table)
    echo(f"{len(follow)} learner(s) need follow-up (see the HTML report for why).")
    echo(f"Report: {csv_path} and {html_path}; roster: {roster_csv}")
    sent = None
    if lrs:
        from coursekit.course.xapi import export_xapi

        sent = export_xapi(root, lrs, auth, roster=roster_csv)
        echo(f"xAPI: {sent.sent} statement(s) sent to {lrs} ({sent.built} for this cohort; outbox {sent.folder})")
    echo(f"Done in {time.perf_counter() - started:.0f} s.")
    return {"root": root, "table": table, "expected": expected, "mismatches": mismatches,
            "csv": csv_path, "html": html_path, "outcomes": outcomes, "xapi": sent}
