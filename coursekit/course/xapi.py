"""The course's results as xAPI 1.0.3 statements, kept in an outbox in the course folder and sent
to a Learning Record Store (LRS): where a contact center's learning platform looks for completion.

Per learner and graded module (statuses ``autograded``, ``late``, ``tampered``, ``needs manual
grading`` of :func:`coursekit.progress.completion`):

=========== ====================================================================================
``completed`` ``result.completion = true`` (sent as soon as the module is graded)
``scored``    ``result.score``: ``raw`` points, ``min`` 0, ``max`` the module's points,
              ``scaled = raw ÷ max`` (share 0–1)
``passed`` /  the same score and ``result.success``: passed when percent = 100 × raw ÷ max is at
``failed``    least the module's pass mark (:func:`coursekit.modules.pass_percent`, percent 0–100)
=========== ====================================================================================

``scored`` and ``passed``/``failed`` wait while a written answer waits for a person (the score is
not final).  The learner is an ``Agent`` with one identifier, as xAPI requires: the roster's
``email`` as ``mbox`` when the roster has that column, otherwise an ``account`` (``homePage`` = the
course's learner home page, ``name`` = the learner id).  The module is the activity
``{activity_base}/{course id}/{module}``, the course its parent.  Only completion and scores are
sent: never a self-assessment answer (the report's privacy rule).

**Sending twice never duplicates.**  A statement's id is a UUID (version 5) of the course id, learner,
module, verb and grading *attempt* (the gradebook's submission time and the score), so the same
result always has the same id, and a regrade that changes the score is a new attempt with new ids.
Statements go first to ``COURSE/xapi/<lrs>/outbox/`` in batch files (each written in one step); a
batch moves to ``sent/`` only once the LRS has accepted it.  A crash, a lost connection or a stopped
LRS leaves the rest in the outbox; the next run sends it (an LRS keeps one copy of a statement it
already has: xAPI's rule for a repeated id) and then what is new.  Connection errors and answers
5xx/429 are retried with back-off; an LRS that refuses a statement gets one line naming it and
the reason.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from coursekit.errors import CourseError, one_line
from coursekit.files import write_text

XAPI_VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {verb: ADL + verb for verb in ("completed", "scored", "passed", "failed")}
#: the activity types of a module and of the course (ADL's vocabulary)
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
#: default IRIs: replace with your platform's (``--home-page``, ``--activity-base``)
HOME_PAGE = "https://coursekit.invalid/learners"
ACTIVITY_BASE = "https://coursekit.invalid/xapi/activities"
ATTEMPT_EXTENSION = "https://coursekit.invalid/xapi/extensions/attempt"
#: the namespace of statement ids (uuid5): fixed forever, or re-sends would duplicate
NAMESPACE = uuid.UUID("6f1c3a52-8f0e-5d7b-9a41-0c7e2b7d9e15")
GRADED = ("autograded", "late", "tampered", "needs manual grading")
#: statements per request and per outbox file
BATCH = 200


class LRSError(CourseError):
    """The LRS could not be reached, or refused a statement (the message names it)."""


# ---------------------------------------------------------------- statements (pure)

def attempt_of(submitted_at, score: float, max_score: float) -> str:
    """The grading attempt: the submission time and the score it was given (``2026-01-10T09:00:00|4/8``)."""
    when = "" if pd.isna(submitted_at) else pd.Timestamp(submitted_at).isoformat()
    return f"{when}|{score:g}/{max_score:g}"


def statement_id(course_id: str, learner_id: str, module: str, verb: str, attempt: str) -> str:
    """uuid5 of the course, learner, module, verb and attempt: the same result, the same id."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join([course_id, learner_id, module, verb, attempt])))


def actor(learner_id: str, name: str = "", email: str = "", home_page: str = HOME_PAGE) -> dict:
    """The learner as an xAPI Agent with one identifier: ``mbox`` from an e-mail, else an ``account``."""
    agent: dict = {"objectType": "Agent"}
    if name:
        agent["name"] = name
    if email:
        agent["mbox"] = email if email.startswith("mailto:") else f"mailto:{email}"
    else:
        agent["account"] = {"homePage": home_page, "name": str(learner_id)}
    return agent


def module_activity(course_id: str, module: str, base: str = ACTIVITY_BASE) -> dict:
    """The stable activity of a module: ``{base}/{course_id}/{module}``."""
    return {"objectType": "Activity", "id": f"{base.rstrip('/')}/{course_id}/{module}",
            "definition": {"type": MODULE_TYPE, "name": {"en-US": module}}}


def _timestamp(when) -> str | None:
    if pd.isna(when):
        return None
    return pd.Timestamp(when).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"  # the gradebook keeps UTC


def statements(table: pd.DataFrame, course_id: str, home_page: str = HOME_PAGE,
               activity_base: str = ACTIVITY_BASE, pass_marks: dict[str, float] | None = None) -> list[dict]:
    """xAPI statements for the graded rows of a completion table (see the module docstring).

    ``table`` is :func:`coursekit.progress.completion` (with the roster: ``name``, and ``email``
    when the roster has it); ``pass_marks`` maps module -> pass mark in percent (default: each
    module's :func:`coursekit.modules.pass_percent`).  Only the learner, the module, the time and
    the score are read; any other column (a self-assessment) is never sent.
    """
    from coursekit.course.modules import pass_percent

    graded = table[table["status"].isin(GRADED) & table["score"].notna()]
    course = {"objectType": "Activity", "id": f"{activity_base.rstrip('/')}/{course_id}",
              "definition": {"type": COURSE_TYPE, "name": {"en-US": course_id}}}
    emails = graded["email"].fillna("").astype(str) if "email" in graded else pd.Series("", index=graded.index)
    names = graded["name"].fillna("").astype(str) if "name" in graded else pd.Series("", index=graded.index)
    out = []
    for row, email, name in zip(graded.itertuples(index=False), emails.tolist(), names.tolist()):
        learner, module = str(row.learner_id), str(row.module)
        score, top = float(row.score), float(row.max_score)
        attempt = attempt_of(row.submitted_at, score, top)
        base = {"actor": actor(learner, name.strip(), email.strip(), home_page),
                "object": module_activity(course_id, module, activity_base),
                "context": {"contextActivities": {"parent": [course]}, "platform": "coursekit", "language": "en-US",
                            "registration": str(uuid.uuid5(NAMESPACE, f"{course_id}\x1f{learner}")),
                            "extensions": {ATTEMPT_EXTENSION: attempt}}}
        when = _timestamp(row.submitted_at)
        if when:
            base["timestamp"] = when

        def make(verb: str, result: dict) -> dict:
            return {"id": statement_id(course_id, learner, module, verb, attempt),
                    "verb": {"id": VERBS[verb], "display": {"en-US": verb}}, **base, "result": result}

        out.append(make("completed", {"completion": True}))
        if row.status == "needs manual grading" or top <= 0:
            continue  # the score is not final yet, or the module has no points
        points = {"raw": round(score, 6), "min": 0.0, "max": round(max(top, score), 6),
                  "scaled": round(min(score / top, 1.0), 6)}
        mark = (pass_marks or {}).get(module, pass_percent(module))
        passed = 100 * score / top >= mark
        out.append(make("scored", {"score": points, "completion": True}))
        out.append(make("passed" if passed else "failed", {"score": points, "success": passed, "completion": True}))
    return out


def describe(statement: dict) -> str:
    """``<id> (nh01 00-orientation passed)``: a statement named in one line."""
    who = statement["actor"].get("account", {}).get("name") or statement["actor"].get("mbox", "?")
    module = statement["object"]["id"].rsplit("/", 1)[-1]
    return f"{statement['id']} ({who} {module} {statement['verb']['display']['en-US']})"


# ---------------------------------------------------------------- the LRS

def endpoint(url: str) -> str:
    """The LRS's xAPI endpoint from what a user typed (``http://host:8100/xAPI`` or
    ``.../xAPI/statements``), without credentials; a URL that is not http(s) is a one-line error."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LRSError(f"--lrs {url!r} is not an http(s) URL of an xAPI endpoint (e.g. http://127.0.0.1:8100/xAPI)")
    path = re.sub(r"/statements/?$", "", parts.path.rstrip("/"))
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, path, "", ""))


def credentials(url: str, auth: str | None) -> str | None:
    """``user:password`` from ``auth``, else from the URL, else from ``COURSEKIT_LRS_AUTH``."""
    parts = urllib.parse.urlsplit(url.strip())
    if not auth and parts.username:
        auth = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
    auth = auth or os.environ.get("COURSEKIT_LRS_AUTH") or None
    if auth is not None and ":" not in auth:
        raise LRSError("--auth must be user:password (or set COURSEKIT_LRS_AUTH)")
    return auth


class LRS:
    """An xAPI endpoint spoken to over one kept-alive HTTP connection.

    ``retries`` attempts after the first for connection errors and answers 5xx/429, waiting
    ``backoff`` × 2^k seconds before attempt k + 1."""

    def __init__(self, url: str, auth: str | None = None, retries: int = 4, backoff: float = 0.5,
                 timeout: float = 30.0):
        self.url = endpoint(url)
        auth = credentials(url, auth)
        self.headers = {"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json"}
        if auth:
            self.headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self._parts = urllib.parse.urlsplit(self.url)
        self._conn = None

    def _connection(self):
        if self._conn is None:
            kind = http.client.HTTPSConnection if self._parts.scheme == "https" else http.client.HTTPConnection
            self._conn = kind(self._parts.hostname, self._parts.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, query: str = "", body=None) -> tuple[int, bytes]:
        """One request to ``{endpoint}/statements?query``, retried (see the class); the last
        connection error is an :class:`LRSError`."""
        path = self._parts.path + "/statements" + (f"?{query}" if query else "")
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                conn = self._connection()
                conn.request(method, path, body=data, headers=self.headers)
                reply = conn.getresponse()
                content = reply.read()
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                problem = f"cannot reach the LRS at {self.url}: {one_line(exc) or type(exc).__name__}"
                continue
            if reply.status == 429 or reply.status >= 500:
                problem = f"the LRS at {self.url} answered {reply.status} {_detail(content)}"
                continue
            return reply.status, content
        raise LRSError(problem + f" (after {self.retries + 1} tries)")

    def store(self, batch: list[dict]) -> None:
        """Store a batch: POST it; when an LRS refuses a batch (409 for an id it holds, or 400 for one
        invalid statement), PUT the statements one by one, so that repeats it holds unchanged pass
        and the error names the statement at fault."""
        status, content = self.request("POST", body=batch)
        if status in (200, 204):
            return
        if status in (401, 403):
            raise LRSError(f"the LRS at {self.url} refused the credentials ({status}); give --auth user:password")
        if status != 409 and not (status == 400 and len(batch) > 1):
            what = f"statement {describe(batch[0])}" if len(batch) == 1 else f"a batch of {len(batch)} statements"
            raise LRSError(f"the LRS at {self.url} refused {what}: {status} {_detail(content)}")
        for statement in batch:
            query = urllib.parse.urlencode({"statementId": statement["id"]})
            status, content = self.request("PUT", query, statement)
            if status in (200, 204):
                continue
            if status == 409 and self.holds_same(statement):
                continue  # an LRS that answers 409 to a repeated, equal statement
            why = ("a different statement with this id is already stored" if status == 409
                   else f"{status} {_detail(content)}")
            raise LRSError(f"the LRS at {self.url} refused statement {describe(statement)}: {why}")

    def holds_same(self, statement: dict) -> bool:
        """Whether the LRS's statement of this id says the same (actor, verb, object, result)."""
        status, content = self.request("GET", urllib.parse.urlencode({"statementId": statement["id"]}))
        if status != 200:
            return False
        stored = json.loads(content)
        return (stored.get("actor") == statement["actor"] and stored.get("verb", {}).get("id") == statement["verb"]["id"]
                and stored.get("object", {}).get("id") == statement["object"]["id"]
                and stored.get("result") == statement.get("result"))


def _detail(content: bytes) -> str:
    """The reason in an LRS's answer, on one line (Ralph's ``detail``, or the text), at most 300 characters."""
    text = content.decode("utf-8", errors="replace")
    try:
        body = json.loads(text)
        if isinstance(body, dict) and "detail" in body:
            text = json.dumps(body["detail"]) if not isinstance(body["detail"], str) else body["detail"]
    except ValueError:
        pass
    text = " ".join(text.split())
    return text[:300] + ("..." if len(text) > 300 else "")


# ---------------------------------------------------------------- the outbox

class Outbox:
    """``COURSE/xapi/<lrs>/``: ``outbox/`` holds batches not yet accepted, ``sent/`` those the LRS
    accepted (one JSON file per batch, each written in one step; a batch moves from one to the
    other with one rename).  The folder is the owner's only: statements carry names and scores."""

    def __init__(self, root: Path, url: str):
        key = re.sub(r"[^A-Za-z0-9.-]+", "_", urllib.parse.urlsplit(url).netloc + urllib.parse.urlsplit(url).path)
        self.folder = Path(root) / "xapi" / f"{key.strip('_')[:60]}-{hashlib.sha1(url.encode()).hexdigest()[:8]}"
        self.outbox, self.sent = self.folder / "outbox", self.folder / "sent"
        for path in (self.folder.parent, self.folder, self.outbox, self.sent):
            path.mkdir(mode=0o700, exist_ok=True)
        write_text(self.folder / "lrs.txt", url + "\n")

    @staticmethod
    def _read(path: Path) -> list[dict]:
        try:
            return json.loads(path.read_text(encoding="utf-8"))["statements"]
        except (OSError, ValueError, KeyError) as exc:
            raise LRSError(f"{path}: unreadable outbox file ({one_line(exc)}); move it away and run again") from None

    def pending(self) -> list[Path]:
        return sorted(self.outbox.glob("*.json"))

    def known_ids(self) -> set[str]:
        """Ids already sent or waiting."""
        return {s["id"] for folder in (self.outbox, self.sent) for p in folder.glob("*.json") for s in self._read(p)}

    def add(self, new: list[dict], batch: int = BATCH) -> int:
        """Put statements in the outbox, ``batch`` per file; returns how many."""
        names = [p.stem for folder in (self.outbox, self.sent) for p in folder.glob("*.json")]
        number = max((int(n) for n in names if n.isdigit()), default=0)
        for start in range(0, len(new), batch):
            number += 1
            write_text(self.outbox / f"{number:08d}.json",
                       json.dumps({"statements": new[start:start + batch]}, separators=(",", ":")))
        return len(new)

    def flush(self, lrs: LRS, progress=None) -> int:
        """Send every waiting batch, oldest first; returns how many statements were accepted.
        ``progress(sent, waiting)`` is called after each batch."""
        files = self.pending()
        waiting = sum(len(self._read(p)) for p in files)
        done = 0
        for path in files:
            batch = self._read(path)
            try:
                lrs.store(batch)
            except LRSError as exc:
                raise LRSError(f"{exc}; {waiting - done} statement(s) wait in {self.outbox} "
                               "and go with the next 'coursekit export xapi'") from None
            os.replace(path, self.sent / path.name)
            done += len(batch)
            if progress:
                progress(done, waiting)
        return done


@dataclass
class Export:
    """What one ``coursekit export xapi`` did."""

    built: int  # statements made from the gradebook
    new: int  # of them, not sent or waiting before
    sent: int  # accepted by the LRS in this run (new and earlier ones waiting)
    folder: Path | None  # the outbox folder (None in a dry run)
    written: Path | None = None  # the dry run's file


def export_xapi(course_dir, lrs: str | None = None, auth: str | None = None, dry_run: bool = False,
                roster=None, home_page: str | None = None, activity_base: str | None = None,
                batch: int = BATCH, retries: int = 4, backoff: float = 0.5, progress=None, out=None) -> Export:
    """Build the course's statements and send what the LRS does not have yet (see the module
    docstring).  ``dry_run`` writes them to ``out`` (default ``COURSE/xapi/statements.json``)
    and sends nothing."""
    from coursekit.course.nbgrader_env import COURSE_ID, require_course
    from coursekit.course.progress import completion, find_roster, read_roster, with_roster

    root = require_course(course_dir)
    table = completion(root)
    roster_path = find_roster(root, roster)
    people = read_roster(roster_path, sorted(table["module"].unique())) if roster_path else None
    table = with_roster(table, people)
    if people is not None and "email" in people.columns:
        table = table.join(people.set_index("learner_id")["email"], on="learner_id")
    made = statements(table, COURSE_ID, home_page=home_page or HOME_PAGE, activity_base=activity_base or ACTIVITY_BASE)
    if dry_run:
        path = Path(out) if out else root / "xapi" / "statements.json"
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_text(path, json.dumps(made, indent=1) + "\n")
        return Export(len(made), len(made), 0, None, path)
    if not lrs:
        raise LRSError("give the LRS's xAPI endpoint with --lrs URL (or --dry-run to only write the statements)")
    server = LRS(lrs, auth, retries=retries, backoff=backoff)
    box = Outbox(root, server.url)
    known = box.known_ids()
    new = [s for s in made if s["id"] not in known]
    box.add(new, batch)
    try:
        sent = box.flush(server, progress)
    finally:
        server.close()
    return Export(len(made), len(new), sent, box.folder)
