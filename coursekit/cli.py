"""The ``coursekit`` command: parses arguments and calls the library; nothing else.

Expected mistakes (a missing course folder, an unknown module, an unreadable gradebook or export)
print one line, ``coursekit: error: ...``, and exit with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from coursekit.errors import CourseError, CoursekitError
from coursekit.course.modules import DEFAULT_START
from coursekit.ui import progress_bar


def parse_when(text: str, what: str, end_of_day: bool = False) -> dt.datetime:
    """A date or date-time given on the command line (``2026-12-01`` or ``2026-12-01T17:30``) for
    the option ``what``; a date alone means 09:00, or 23:59 with ``end_of_day`` (a deadline)."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CourseError(f"{what} {text!r} is not a date; write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    if len(text.strip()) == 10:
        when = when.replace(hour=23, minute=59) if end_of_day else when.replace(hour=9)
    return when


def _summarise(outcomes, what: str) -> int:
    failed = [o for o in outcomes if not o.ok]
    tampered = [o for o in outcomes if o.ok and o.tampered_cells]
    print(f"{what}: {len(outcomes) - len(failed)} done, {len(failed)} failed")
    for o in tampered:
        print(f"  flagged {o.learner_id}/{o.module}: locked cells edited ({', '.join(o.tampered_cells)}); graded with the originals")
    for o in failed:
        print(f"  failed {o.learner_id}/{o.module}: {o.reason}")
    return 1 if failed else 0


def cmd_build(args) -> int:
    from coursekit.course.build import build
    from coursekit.course.modules import list_modules, resolve_modules

    chosen = resolve_modules(args.modules, list_modules())
    start = parse_when(args.start, "--start") if args.start else None
    due = parse_when(args.due, "--due", end_of_day=True) if args.due else None
    with progress_bar(len(chosen), "building") as bar:
        built = build(args.course, chosen, db_url=args.db_url, progress=lambda m: bar.update(), start=start, due=due)
    print(f"built {len(built)} module(s) in {Path(args.course).resolve()}: {', '.join(built)}")
    print(f"learner versions are in {Path(args.course).resolve() / 'release'}")
    return 0


def cmd_autograde(args) -> int:
    from coursekit.course.grading import autograde, find_submissions

    subs = find_submissions(args.course, modules=args.modules)
    with progress_bar(len(subs), "autograding") as bar:
        outcomes = autograde(args.course, modules=args.modules, force=args.force, jobs=args.jobs,
                             timeout=args.timeout, progress=lambda s: bar.update(), warm=not args.cold_kernels,
                             fence=not args.no_fence)
    return _summarise(outcomes, "autograded")


def cmd_feedback(args) -> int:
    from coursekit.course.grading import feedback

    outcomes = feedback(args.course, modules=args.modules, jobs=args.jobs)
    return _summarise(outcomes, "feedback")


def cmd_report(args) -> int:
    from coursekit.course.report import make_report

    text, path = make_report(args.course, args.format, args.out, args.roster, args.db_url)
    if text:
        print(text, end="" if args.format == "csv" else "\n")
    if path:
        print(f"wrote {path}")
    return 0


def cmd_collect(args) -> int:
    from coursekit.course.collect import collect_zip
    from coursekit.course.modules import list_modules, resolve_modules

    module = resolve_modules([args.module], list_modules())[0]
    learners = collect_zip(args.course, args.zip, module)
    print(f"collected {len(learners)} learner(s) for {module}: {', '.join(learners)}")
    print(f"next: coursekit autograde --course {args.course}")
    return 0


def cmd_slides(args) -> int:
    from coursekit.course.slides import render_deck

    decks = render_deck(args.module, args.out, answers=args.answers, assets=args.assets)
    for deck in decks:
        print(f"wrote {deck.path} ({deck.slides} slides, {deck.subslides} sub-slides: exercises and short topics)")
    return 0


def cmd_lab(args) -> int:
    import subprocess

    from coursekit.course.lab import lab_command

    command, env = lab_command(args.course, port=args.port, open_browser=not args.no_browser)
    return subprocess.call(command, env=env)


def cmd_demo(args) -> int:
    from coursekit.course.demo import run_demo

    run_demo(args.out, learners=args.learners, db_url=args.db_url, modules=args.modules, echo=print,
             fence=not args.no_fence, lrs=args.lrs, auth=args.auth)
    return 0


def cmd_export_xapi(args) -> int:
    from coursekit.course.xapi import export_xapi

    with progress_bar(0, "sending xAPI") as bar:
        def shown(done, waiting):
            bar.total = waiting
            bar.n = done
            bar.refresh()

        done = export_xapi(args.course, args.lrs, args.auth, dry_run=args.dry_run, roster=args.roster,
                           home_page=args.home_page, activity_base=args.activity_base, progress=shown, out=args.out)
    if args.dry_run:
        print(f"wrote {done.built} xAPI statement(s) to {done.written} (dry run: nothing sent)")
    else:
        print(f"xAPI: {done.built} statement(s) from the gradebook, {done.new} new; {done.sent} sent to the LRS "
              f"(outbox: {done.folder})")
    return 0


def cmd_export_gradebook(args) -> int:
    from coursekit.course.gradebook_export import export_gradebook

    ids = {}
    for pair in args.canvas_assignment or []:
        module, _, number = pair.partition("=")
        if not module or not number.strip():
            raise CourseError(f"--canvas-assignment {pair!r}: write MODULE=ID, e.g. 00-orientation=4711")
        ids[module.strip()] = number.strip()
    text, path = export_gradebook(args.course, args.format, roster=args.roster, out=args.out,
                                  id_field=args.id_field, assignment_ids=ids)
    if text:
        print(text, end="")
    if path:
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coursekit", description="Build, grade and track the coursekit curriculum.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = add("build", cmd_build, "create a course folder and generate the learner version of each module")
    p.add_argument("--course", required=True, help="course folder (an nbgrader course root; created if needed)")
    p.add_argument("--modules", nargs="*", help="module ids or prefixes, e.g. 00 01 (default: all)")
    p.add_argument("--db-url", help="gradebook SQLAlchemy URL (default: SQLite gradebook.db in the course folder)")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--start", help="course start date, YYYY-MM-DD: module NN is due (NN + 1) weeks later "
                      f"(default: {DEFAULT_START.date().isoformat()})")
    when.add_argument("--due", help="one deadline for every module, e.g. the end of a workshop day: "
                      "YYYY-MM-DDTHH:MM (a date alone means 23:59)")

    p = add("autograde", cmd_autograde, "autograde every submission in COURSE/submitted with nbgrader")
    p.add_argument("--course", required=True, help="course folder")
    p.add_argument("--modules", nargs="*", help="only these module ids")
    p.add_argument("--force", action="store_true", help="grade again submissions already autograded")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="learners graded at once, in parallel worker processes (default: number of cores)")
    p.add_argument("--timeout", type=float, default=600,
                   help="seconds one learner's module may take before it is stopped (default: 600)")
    p.add_argument("--cold-kernels", action="store_true",
                   help="start every notebook's kernel from scratch, as nbgrader does, instead of as a fork of a "
                        "process with the course's libraries already loaded (slower; for comparison)")
    p.add_argument("--no-fence", action="store_true",
                   help="run learners' notebooks without the grading fence (only where this machine cannot fence; "
                        "the report marks those grades as made without it)")

    p = add("feedback", cmd_feedback, "generate nbgrader feedback for every autograded submission")
    p.add_argument("--course", required=True, help="course folder")
    p.add_argument("--modules", nargs="*", help="only these module ids")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="feedback files made at once")

    p = add("report", cmd_report, "learner x module status and scores from the gradebook")
    p.add_argument("--course", required=True, help="course folder")
    p.add_argument("--format", choices=["table", "csv", "html"], default="table", help="output format (default: table)")
    p.add_argument("--out", help="file to write (default: the terminal; COURSE/report.html for html)")
    p.add_argument("--db-url", help="read this gradebook instead of the course's own")
    p.add_argument("--roster", help="roster CSV: learner_id, name, team, supervisor, start_date "
                   "(default: COURSE/roster.csv when present)")

    p = add("collect", cmd_collect, "import submissions downloaded from an LMS as a zip file (nbgrader zip collect)")
    p.add_argument("--course", required=True, help="course folder")
    p.add_argument("--zip", required=True, help="zip file with learner/notebook.ipynb or learner_notebook.ipynb inside")
    p.add_argument("--module", required=True, help="the module these submissions belong to (id or prefix)")

    p = add("slides", cmd_slides, "render a module's notebook as a reveal.js slide deck (learner version by default)")
    p.add_argument("module", help="module id or prefix, e.g. 00")
    p.add_argument("--answers", action="store_true",
                   help="the trainer's deck: solutions shown (hidden tests never are)")
    p.add_argument("--out", default="build/slides", help="folder for the deck(s) (default: build/slides)")
    p.add_argument("--assets", help="offline decks: a node_modules folder (path relative to the deck, or URL) from "
                   "'npm install reveal.js@4.0.2 requirejs@2 jquery@3' (default: load them from CDNs)")

    p = add("lab", cmd_lab, "JupyterLab on the course's learner versions, as a learner sees them (no trainer tools)")
    p.add_argument("--course", required=True, help="course folder made by 'coursekit build'")
    p.add_argument("--port", type=int, help="port to serve on (default: JupyterLab's)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")

    p = add("demo", cmd_demo, "build the course, simulate a cohort, autograde, give feedback and report")
    p.add_argument("--learners", type=int, default=12, help="number of simulated learners (default: 12)")
    p.add_argument("--out", default="build/demo", help="course folder to create (default: build/demo)")
    p.add_argument("--db-url", help="gradebook SQLAlchemy URL (default: SQLite in the course folder)")
    p.add_argument("--modules", nargs="*", help="only these modules (default: all)")
    p.add_argument("--no-fence", action="store_true", help="grade without the grading fence (see autograde)")
    p.add_argument("--lrs", help="also send the cohort's results as xAPI statements to this LRS endpoint "
                   "(e.g. http://127.0.0.1:8100/xAPI)")
    p.add_argument("--auth", help="the LRS's basic-auth user:password (default: COURSEKIT_LRS_AUTH)")

    about = ("the course's results for a learning platform: xAPI statements to an LRS, "
             "or a gradebook file to import into Moodle or Canvas")
    p = sub.add_parser("export", help=about, description=about)
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND")
    x = kinds.add_parser("xapi", help="send xAPI 1.0.3 statements (completed, scored, passed/failed) to an LRS",
                         description="Send every graded learner x module as xAPI 1.0.3 statements to a Learning "
                         "Record Store. Statement ids are fixed by course, learner, module and grading attempt, so "
                         "sending again adds nothing; unsent statements wait in COURSE/xapi/ for the next run.")
    x.set_defaults(func=cmd_export_xapi)
    x.add_argument("--course", required=True, help="course folder")
    x.add_argument("--lrs", help="the LRS's xAPI endpoint, e.g. http://127.0.0.1:8100/xAPI")
    x.add_argument("--auth", help="basic-auth user:password (default: COURSEKIT_LRS_AUTH)")
    x.add_argument("--dry-run", action="store_true", help="write the statements to a file and send nothing")
    x.add_argument("--out", help="the dry run's file (default: COURSE/xapi/statements.json)")
    x.add_argument("--roster", help="roster CSV (default: COURSE/roster.csv); an 'email' column makes actors mbox")
    x.add_argument("--home-page", help="homePage of the learners' accounts: the system whose ids the roster's "
                   "learner_id are (default: https://coursekit.invalid/learners)")
    x.add_argument("--activity-base", help="IRI under which each module is an activity "
                   "(default: https://coursekit.invalid/xapi/activities)")
    g = kinds.add_parser("gradebook", help="a grade-import file for Moodle or Canvas, or a plain CSV",
                         description="Write the grades in the import format an LMS documents: Moodle's grade import "
                         "CSV, Canvas's gradebook CSV, or a plain learner x module CSV.")
    g.set_defaults(func=cmd_export_gradebook)
    g.add_argument("--course", required=True, help="course folder")
    g.add_argument("--format", required=True, choices=["moodle", "canvas", "csv"], help="the LMS's import format")
    g.add_argument("--roster", help="roster CSV (default: COURSE/roster.csv); every graded learner must be in it")
    g.add_argument("--out", help="file to write (default: the terminal)")
    g.add_argument("--id-field", choices=["username", "idnumber", "email"], default=None,
                   help="moodle: the user field the identifier column maps to (default: idnumber, or email "
                        "when the roster has e-mail)")
    g.add_argument("--canvas-assignment", action="append", metavar="MODULE=ID",
                   help="canvas: the Canvas id of a module's assignment, so its column is 'MODULE (ID)' and updates "
                        "it (repeat for each module; a module without one becomes a new assignment)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CoursekitError as exc:
        print(f"coursekit: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("coursekit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
