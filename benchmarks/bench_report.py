"""The supervisor report for a gradebook of 1,000 (or 10,000) learners x 8 modules, against a loop
over nbgrader's NbGraderAPI (what formgrader does).  Exit status 1 when the fresh command takes 2 s
or more.

    .venv/bin/python benchmarks/bench_report.py [--learners 1000] [--modules 8] [--runs 3]

Builds a synthetic gradebook (nbgrader's own schema: assignments, notebooks and grade cells via
nbgrader's Gradebook API, submissions and grades inserted in bulk), then times
`progress.completion` + the HTML and CSV reports, and `NbGraderAPI.get_submissions` for every module.
"""

import argparse
import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from coursekit import course, progress, report


def make_gradebook(root: Path, learners: int, modules: int, cells: int = 4, seed: int = 1):
    from nbgrader.api import Gradebook

    course.prepare_nbgrader()
    rng = random.Random(seed)
    url = course.configured_db_url(root)
    names = [f"{i:02d}-module" for i in range(modules)]
    grade_cells = {}
    with Gradebook(url, course_id=course.COURSE_ID) as gb:
        for i, name in enumerate(names):
            gb.add_assignment(name, duedate=dt.datetime(2026, 1, 12) + dt.timedelta(days=7 * i))
            nb = gb.add_notebook(name, name)
            grade_cells[name] = (nb.id, [gb.add_grade_cell(f"t{k}", name, name, max_score=2, cell_type="code").id
                                         for k in range(cells)])
        assignment_ids = {a.name: a.id for a in gb.assignments}
    engine = create_engine(url)
    students, subs, sub_nbs, grades = [], [], [], []
    for s in range(learners):
        sid = f"learner{s:04d}"
        students.append({"id": sid, "first_name": "L", "last_name": str(s)})
        for name in names:
            if rng.random() < 0.15:
                continue  # not submitted
            sa, sn = uuid.uuid4().hex, uuid.uuid4().hex
            late = rng.random() < 0.1
            subs.append({"id": sa, "assignment_id": assignment_ids[name], "student_id": sid,
                         "timestamp": dt.datetime(2026, 1, 10) + dt.timedelta(days=7 * names.index(name) + (3 if late else 0))})
            sub_nbs.append({"id": sn, "assignment_id": sa, "notebook_id": grade_cells[name][0], "flagged": rng.random() < 0.01,
                            "late_submission_penalty": None})
            for cell in grade_cells[name][1]:
                grades.append({"id": uuid.uuid4().hex, "notebook_id": sn, "cell_id": cell,
                               "auto_score": float(rng.choice([0, 2])), "manual_score": None, "extra_credit": None,
                               "needs_manual_grade": False})
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO student (id, first_name, last_name) VALUES (:id, :first_name, :last_name)"), students)
        conn.execute(text("INSERT INTO submitted_assignment (id, assignment_id, student_id, timestamp) "
                          "VALUES (:id, :assignment_id, :student_id, :timestamp)"), subs)
        conn.execute(text("INSERT INTO submitted_notebook (id, assignment_id, notebook_id, flagged, late_submission_penalty) "
                          "VALUES (:id, :assignment_id, :notebook_id, :flagged, :late_submission_penalty)"), sub_nbs)
        conn.execute(text("INSERT INTO grade (id, notebook_id, cell_id, auto_score, manual_score, extra_credit, needs_manual_grade) "
                          "VALUES (:id, :notebook_id, :cell_id, :auto_score, :manual_score, :extra_credit, :needs_manual_grade)"), grades)
    engine.dispose()
    return names, len(subs)


def fresh_command(root: Path, runs: int = 3) -> list[float]:
    """Seconds of ``coursekit report --format html`` as a new process (Python start-up and imports
    included), ``runs`` times."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "coursekit"), "report", "--course", str(root), "--format",
                        "html", "--out", str(root / "cli.html")], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--modules", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3, help="times the fresh command is run (the best is the figure)")
    args = parser.parse_args()
    root = course.init_course(Path(tempfile.mkdtemp(prefix="bench-report-")) / "course")
    t = time.perf_counter()
    names, n = make_gradebook(root, args.learners, args.modules)
    print(f"gradebook: {args.learners} learners x {args.modules} modules, {n} submissions (made in {time.perf_counter() - t:.1f} s)")

    t = time.perf_counter()
    table = progress.with_roster(progress.completion(root), None)
    report.write_csv(table, root / "report.csv")
    report.write_html(table, root / "report.html")
    ours = time.perf_counter() - t
    print(f"coursekit report in process (completion + CSV + HTML): {ours:.2f} s  ({len(table)} rows)")

    times = fresh_command(root, args.runs)
    fresh = min(times)
    print(f"coursekit report --format html as a fresh command (with Python start-up and imports): {fresh:.2f} s "
          f"(best of {len(times)}: {', '.join(f'{x:.2f}' for x in times)})")

    api = course.nbgrader_api(root)
    t = time.perf_counter()
    rows = 0
    for name in names:
        rows += len(api.get_submissions(name))
    theirs = time.perf_counter() - t
    print(f"NbGraderAPI.get_submissions for each module: {theirs:.2f} s  ({rows} rows)")
    print(f"ratio: the fresh command is {theirs / fresh:.1f}x faster than NbGraderAPI "
          f"({theirs / ours:.1f}x in process)")
    return 0 if fresh < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
