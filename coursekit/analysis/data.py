"""Contact-center data: the bundled datasets and loaders for a center's own CSV exports.

    >>> from coursekit.data import load
    >>> calls = load("calls")          # one row per contact, four weeks, 40 agents

``load(name)`` reads a bundled dataset (``datasets/``; see ``datasets/README.md`` for every column,
unit and range); ``generate()`` makes them all again from a seed (:mod:`coursekit.datagen`);
``read_calls``, ``read_qa``, ``read_agents``, ``read_frontline_poll`` and ``read_volume`` load your
own export into the same columns, accepting common column-name variants ("Talk Time",
"talk_time_s", "TalkTime (sec)").

Bad input raises :class:`DataError` with one line naming the file, the column and the first bad
row (its line number in the CSV), and nothing half-loaded is returned.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pandas as pd

from coursekit.analysis.datagen import START as FIRST_DAY  # noqa: F401  the first day of the bundled data (a Monday)
from coursekit.analysis.datagen import generate  # noqa: F401  (part of this module's API)
from coursekit.errors import DataError

#: dataset name -> file in datasets/
FILES = {
    "agents": "agents.csv",
    "calls": "calls.csv.gz",
    "qa_evaluations": "qa_evaluations.csv",
    "self_assessments": "self_assessments.csv",
    "surveys": "surveys.csv",
    "benchmarks": "benchmarks.csv",
    "responses": "responses.csv",
    "frontline_poll": "frontline_poll.csv",
}


def datasets_dir() -> Path:
    """Where the bundled files are (``COURSEKIT_DATASETS`` overrides)."""
    return Path(os.environ.get("COURSEKIT_DATASETS") or Path(__file__).resolve().parents[2] / "datasets")


# --------------------------------------------------------------------------- schemas

# column -> (kind, required); kinds: str, int, float, duration (seconds >= 0), bool, time, date
SCHEMAS: dict[str, dict[str, tuple[str, bool]]] = {
    "agents": {"agent_id": ("str", True), "name": ("str", True), "team": ("str", True),
               "supervisor": ("str", False), "tenure_months": ("int", False), "shift": ("str", False)},
    "calls": {"contact_id": ("str", True), "arrival_time": ("time", True), "channel": ("str", False),
              "queue": ("str", False), "agent_id": ("str", False), "wait_s": ("duration", True),
              "abandoned": ("bool", True), "time_to_abandon_s": ("duration", False), "talk_s": ("duration", True),
              "hold_s": ("duration", False), "acw_s": ("duration", False), "transferred": ("bool", False),
              "resolved_first_contact": ("bool", False), "repeat_of": ("str", False), "csat": ("int", False),
              "reason": ("str", False)},
    "qa_evaluations": {"eval_id": ("str", True), "agent_id": ("str", True), "contact_id": ("str", False),
                       "evaluator": ("str", False), "date": ("date", True),
                       **{item: ("int", False) for item in
                          ["verification", "accuracy", "resolution", "compliance", "documentation", "greeting",
                           "acknowledgement", "empathy", "ownership", "personalization", "expectation_setting",
                           "closing"]},
                       "transaction_score": ("float", False), "interaction_score": ("float", False),
                       "qa_score": ("float", True)},
    "self_assessments": {"agent_id": ("str", True), "phase": ("str", True), "competency": ("str", True),
                         "self_rating": ("int", True), "self_percentile": ("int", True),
                         "measured_score": ("int", True)},
    "surveys": {"respondent_id": ("str", True), "respondent_type": ("str", True), "attribute": ("str", True),
                "importance": ("int", True), "satisfaction": ("int", False)},
    "benchmarks": {"metric": ("str", True), "target": ("float", True), "direction": ("str", True),
                   "unit": ("str", False), "source": ("str", False)},
    "responses": {"response_id": ("str", True), "pair_id": ("str", True), "customer_message": ("str", True),
                  "reply": ("str", True), "style": ("str", True), "facts": ("str", False)},
    "frontline_poll": {"agent_id": ("str", True), "rank": ("int", True), "reason": ("str", True)},
    "volume": {"interval_start": ("time", True), "calls": ("int", True)},
}
IDS = {"agents": "agent_id", "calls": "contact_id", "qa_evaluations": "eval_id", "responses": "response_id"}
RANGES = {"csat": (1, 5), "self_rating": (1, 5), "self_percentile": (0, 100), "measured_score": (0, 100),
          "importance": (1, 7), "satisfaction": (1, 7), "qa_score": (0, 100), "transaction_score": (0, 100),
          "interaction_score": (0, 100)}

#: other names seen in exports (compared after lower-casing and removing spaces, _ - ( ) and units)
ALIASES = {
    "contact_id": ["callid", "contactid", "id", "interactionid", "call"],
    "arrival_time": ["arrival", "arrivaltime", "timestamp", "datetime", "calltime", "starttime", "offeredtime",
                     "start", "date"],
    "agent_id": ["agent", "agentid", "employeeid", "rep", "repid", "userid"],
    "wait_s": ["wait", "waittime", "queuetime", "queuewait", "delay", "timeinqueue", "speedofanswer"],
    "abandoned": ["abandon", "isabandoned", "abandonedflag", "abn"],
    "time_to_abandon_s": ["timetoabandon", "abandontime"],
    "talk_s": ["talk", "talktime", "talkduration", "conversationtime"],
    "hold_s": ["hold", "holdtime", "holdduration"],
    "acw_s": ["acw", "aftercallwork", "wrap", "wraptime", "wrapup", "wrapuptime", "acwtime"],
    "transferred": ["transfer", "istransfer", "transferflag"],
    "resolved_first_contact": ["fcr", "firstcontactresolution", "resolved", "resolvedfirstcall"],
    "repeat_of": ["repeatof", "repeatcontactof"],
    "csat": ["csatscore", "satisfaction", "surveyscore"],
    "reason": ["reasoncode", "contactreason", "callreason", "disposition"],
    "interval_start": ["interval", "intervalstart", "datetime", "timestamp", "period", "time", "start"],
    "calls": ["calls", "offered", "volume", "callsoffered", "contacts", "count"],
    "name": ["agentname", "fullname"],
    "tenure_months": ["tenure", "tenuremonths"],
    "qa_score": ["score", "qascore", "qualityscore", "totalscore"],
    "eval_id": ["evaluationid", "evalid", "id"],
    "date": ["evaluationdate", "evaldate"],
}


def _canon(name: str) -> str:
    text = str(name).strip().lower()
    text = re.sub(r"\((sec|secs|seconds|s|min|mins)\)|_s$|\bsec(onds)?\b|\bsecs\b", "", text)
    return re.sub(r"[\s_\-()./]+", "", text)


def _rename(frame: pd.DataFrame, schema: dict, where: str) -> pd.DataFrame:
    """Map export column names onto the schema's names."""
    found = {}
    for col in frame.columns:
        key = _canon(col)
        for target in schema:
            if target in found.values():
                continue
            if key == _canon(target) or key in ALIASES.get(target, []):
                found[col] = target
                break
    renamed = frame.rename(columns=found)
    missing = [c for c, (_, required) in schema.items() if required and c not in renamed.columns]
    if missing:
        raise DataError(f"{where}: required column '{missing[0]}' is missing (found: {', '.join(map(str, frame.columns))})")
    return renamed


BOOL_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
BOOL_FALSE = {"false", "f", "no", "n", "0", "0.0"}


def _first_bad(mask: pd.Series) -> int:
    return int(mask.to_numpy().nonzero()[0][0])


def _coerce(frame: pd.DataFrame, schema: dict, where: str, name: str) -> pd.DataFrame:
    """Convert each schema column to its type; the first value that does not fit is an error."""
    out = pd.DataFrame(index=frame.index)
    for col, (kind, _required) in schema.items():
        if col not in frame.columns:
            continue
        raw = frame[col]
        blank = raw.isna() | (raw.astype(str).str.strip() == "")

        def fail(bad, what):
            i = _first_bad(bad)
            raise DataError(f"{where}: column '{col}' has {raw.iloc[i]!r} at line {i + 2}; {what}")

        if kind == "str":
            out[col] = pd.Series([None if b else str(v).strip() for v, b in zip(raw, blank)], index=raw.index, dtype=object)
        elif kind in ("int", "float", "duration"):
            num = pd.to_numeric(raw.where(~blank), errors="coerce")
            if (num.isna() & ~blank).any():
                fail(num.isna() & ~blank, "expected a number" + (" of seconds" if kind == "duration" else ""))
            if kind == "duration" and (num < 0).any():
                fail(num < 0, "durations must be seconds >= 0")
            if kind == "int":
                fraction = num.notna() & ((num % 1) != 0)
                if fraction.any():
                    fail(fraction, "expected a whole number")
                num = num.astype("Int64")
            if col in RANGES:
                lo, hi = RANGES[col]
                if ((num < lo) | (num > hi)).any():
                    fail((num < lo) | (num > hi), f"valid values are {lo} to {hi}")
            out[col] = num
        elif kind == "bool":
            text = raw.astype(str).str.strip().str.lower()
            ok = text.isin(BOOL_TRUE | BOOL_FALSE) | blank
            if not ok.all():
                fail(~ok, "expected True/False (or yes/no, 1/0)")
            values = pd.array([pd.NA if b else (t in BOOL_TRUE) for t, b in zip(text, blank)], dtype="boolean")
            out[col] = values if blank.any() else values.astype(bool)
        elif kind in ("time", "date"):
            parsed = pd.to_datetime(raw.where(~blank), errors="coerce", format="mixed", utc=False)
            if parsed.isna().any():
                fail(parsed.isna(), "expected a date and time such as 2026-03-02 08:15:00")
            if getattr(parsed.dt, "tz", None) is not None:
                parsed = parsed.dt.tz_localize(None)
            out[col] = parsed.dt.normalize() if kind == "date" else parsed
    extra = [c for c in frame.columns if c not in schema]
    for col in extra:  # keep a center's extra columns as they are
        out[col] = frame[col]
    if name in IDS and IDS[name] in out:
        dup = out[IDS[name]].duplicated()
        if dup.any():
            i = _first_bad(dup)
            raise DataError(f"{where}: column '{IDS[name]}' repeats {out[IDS[name]].iloc[i]!r} at line {i + 2}; ids must be unique")
    return out


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise DataError(f"{path}: file not found")
    if path.is_dir():
        raise DataError(f"{path}: is a folder, not a CSV file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: file is empty; export it again with a header row") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable CSV file ({str(exc).splitlines()[0]})") from None
    if frame.empty:
        raise DataError(f"{path}: has a header but no rows")
    return frame


def _read(path, name: str) -> pd.DataFrame:
    path = Path(path)
    schema = SCHEMAS[name]
    frame = _rename(_read_csv(path), schema, path.name)
    return _coerce(frame, schema, path.name, name)


# --------------------------------------------------------------------------- public API


def load(name: str) -> pd.DataFrame:
    """A bundled dataset as a DataFrame: ``agents``, ``calls``, ``qa_evaluations``,
    ``self_assessments``, ``surveys``, ``benchmarks``, ``responses`` or ``frontline_poll``.

    Each file is read once per Python session; every call returns a fresh copy, so changing the
    table in one notebook cell never changes what the next ``load`` gives.
    """
    if name not in FILES:
        raise DataError(f"no dataset called {name!r}; choose from {', '.join(FILES)}")
    path = datasets_dir() / FILES[name]
    if not path.exists():
        raise DataError(f"{path}: bundled dataset missing; regenerate with 'python -m coursekit.data'")
    return _load_file(path, name, path.stat().st_mtime_ns).copy()


@functools.lru_cache(maxsize=16)
def _load_file(path: Path, name: str, mtime_ns: int) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return _coerce(frame, SCHEMAS[name], path.name, name)


def read_calls(path) -> pd.DataFrame:
    """A contact-log export (one row per contact) in the ``calls`` columns; times in seconds."""
    calls = _read(path, "calls")
    if "time_to_abandon_s" not in calls:
        calls["time_to_abandon_s"] = calls["wait_s"].where(calls["abandoned"].astype(bool))
    return calls


def read_agents(path) -> pd.DataFrame:
    """An agent roster export in the ``agents`` columns."""
    return _read(path, "agents")


def read_qa(path) -> pd.DataFrame:
    """A quality-evaluation export in the ``qa_evaluations`` columns (scores percent 0–100)."""
    return _read(path, "qa_evaluations")


def read_frontline_poll(path) -> pd.DataFrame:
    """A frontline poll export in the ``frontline_poll`` columns: one row per answer (agent_id, rank
    1 = the reason they hear most, reason)."""
    return _read(path, "frontline_poll")


def read_volume(path) -> pd.DataFrame:
    """Interval call volumes (``interval_start``, ``calls``), e.g. a workforce-management export.

    Timestamps with a time-zone marker ("2003-03-03T07:00:00Z") are kept as the local clock time
    they show.  Intervals must be in time order without repeats.
    """
    path = Path(path)
    raw = _read_csv(path)
    if "rownames" in raw.columns:  # R's write.csv row names
        raw = raw.drop(columns="rownames")
    raw = raw.assign(**{c: raw[c].str.replace(r"(Z|[+-]\d\d:?\d\d)$", "", regex=True)
                        for c in raw.columns if _canon(c) in ALIASES["interval_start"] + ["intervalstart"]})
    frame = _coerce(_rename(raw, SCHEMAS["volume"], path.name), SCHEMAS["volume"], path.name, "volume")
    if (frame["calls"] < 0).any():
        i = _first_bad(frame["calls"] < 0)
        raise DataError(f"{path.name}: column 'calls' has {frame['calls'].iloc[i]} at line {i + 2}; volumes must be >= 0")
    steps = frame["interval_start"].diff()
    if (steps <= pd.Timedelta(0)).any():
        i = _first_bad(steps <= pd.Timedelta(0))
        what = "repeats the interval before it" if steps.iloc[i] == pd.Timedelta(0) else "is earlier than the line before"
        raise DataError(f"{path.name}: column 'interval_start' at line {i + 2} ({frame['interval_start'].iloc[i]}) {what}; "
                        "sort the export by time")
    frame["calls"] = frame["calls"].astype(int)
    return frame[["interval_start", "calls"]]


def write_bundled(out_dir=None, **kwargs) -> dict[str, Path]:
    """Write every dataset of :func:`generate` (default arguments) to ``datasets/``."""
    out = Path(out_dir) if out_dir else datasets_dir()
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, frame in generate(**kwargs).items():
        path = out / FILES[name]
        # a fixed temporary name, not coursekit.files.replacing's random one: gzip records the name it
        # wrote to, and the bundled files must come out byte-identical on every run
        tmp = path.with_name(path.name + ".tmp")
        if path.suffix == ".gz":
            frame.to_csv(tmp, index=False, compression={"method": "gzip", "mtime": 0})
        else:
            frame.to_csv(tmp, index=False)
        tmp.replace(path)
        written[name] = path
    return written


if __name__ == "__main__":
    for dataset, file in write_bundled().items():
        print(f"{dataset:18s} {file} ({file.stat().st_size / 1024:.0f} KiB)")
