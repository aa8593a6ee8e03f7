"""Answers as plain data: what leaves a learner's kernel to be checked, and how it is read back.

A learner's answer may be any Python object, and objects lie: an ``int`` subclass can say it equals
everything, a ``float`` subclass can make every difference 0, a table can override ``==``.  So no
verdict looks at the learner's object.  :func:`to_plain` reduces an answer to plain data (numbers,
strings, booleans, ``None``, lists, dicts with text keys, and tables as records) by *exact* type: a
subclass of ``int`` is not an ``int`` here, it is an unsupported answer.  :func:`from_plain` turns
that plain data back into ordinary Python and pandas objects, built fresh by this code.

- In the learner's notebook the self-check reduces and rebuilds the answer before checking it
  (:meth:`coursekit.check.SelfCheck.__call__`).
- When the notebook is graded, each test cell's hidden part calls :func:`record_answers`, which
  writes the plain answers into the cell's output as JSON text.  The verdict is then reached
  *outside* the learner's kernel, in the grading process, by the same check functions
  (:class:`coursekit.verdict.VerifyAnswers`).  Learner code can replace :func:`record_answers` or
  anything else in its kernel, but all it can change is the record; the only record that passes
  is the right answer.

    >>> to_plain(3)
    3
    >>> class Liar(int):
    ...     def __eq__(self, other): return True
    >>> to_plain(Liar(3))["__unsupported__"]
    'Liar'
"""

from __future__ import annotations

import json
import math

#: MIME type of an answer record in a test cell's output (a JSON text)
RECORD_MIME = "text/x-coursekit-answers"
#: A record larger than this (characters of JSON) is refused as an answer
MAX_RECORD_CHARS = 2_000_000
_MAX_DEPTH = 12

_SCALARS = (bool, int, float, str)


def _numpy_scalar(value):
    """A NumPy scalar of a built-in NumPy type as a plain number or bool, else ``None``."""
    module = type(value).__module__
    if module != "numpy":
        return None
    import numpy as np

    if type(value) in (np.bool_,):
        return bool(value.item())
    if type(value) in {np.dtype(c).type for c in "bBhHiIlLqQ"}:
        return int(value.item())
    if type(value) in {np.dtype(c).type for c in "efdg"}:
        return float(value.item())
    if type(value) is np.str_:
        return str.__str__(value)
    return None


def _float(value: float):
    if math.isnan(value):
        return {"__float__": "nan"}
    if math.isinf(value):
        return {"__float__": "inf" if value > 0 else "-inf"}
    return value


def to_plain(value, _depth: int = 0):
    """``value`` as plain, JSON-ready data, decided by exact type (see the module docstring).

    Tables (``pandas.DataFrame``) become ``{"__table__": {"columns", "index", "rows"}}``, series
    ``{"__series__": {"name", "index", "values"}}``, NumPy arrays and tuples lists; anything else
    ``{"__unsupported__": type name}``, which no check accepts."""
    if _depth > _MAX_DEPTH:
        return {"__unsupported__": "nested too deeply"}
    kind = type(value)
    if value is None:
        return None
    if kind in _SCALARS:
        if kind is str:
            return str.__str__(value)
        if kind is float:
            return _float(float.__float__(value))
        if kind is bool:
            return bool(value)
        return int.__int__(value)
    scalar = _numpy_scalar(value)
    if scalar is not None:
        return _float(scalar) if isinstance(scalar, float) else scalar
    if kind in (list, tuple):
        return [to_plain(v, _depth + 1) for v in value]  # exact list or tuple: iteration is its own
    if kind is dict:
        out = {}
        for key in dict.keys(value):
            if type(key) not in (str, int, float, bool):
                return {"__unsupported__": f"dict with a {type(key).__name__} key"}
            out[str(key) if type(key) is not str else key] = to_plain(dict.__getitem__(value, key), _depth + 1)
        return out
    module = kind.__module__ or ""
    if module.startswith("pandas") and kind.__name__ == "DataFrame":
        return _table(value, _depth)
    if module.startswith("pandas") and kind.__name__ == "Series":
        return {"__series__": {"name": to_plain(value.name, _depth + 1) if _simple(value.name) else None,
                               "index": [to_plain(_item(i), _depth + 1) for i in list(value.index)],
                               "values": [to_plain(_item(v), _depth + 1) for v in list(value)]}}
    if module == "numpy" and kind.__name__ == "ndarray":
        return to_plain(value.tolist(), _depth + 1)
    return {"__unsupported__": kind.__name__}


def _simple(value) -> bool:
    return value is None or type(value) in _SCALARS


def _item(value):
    """A cell of a pandas object as a Python value (NumPy scalars and timestamps as plain data)."""
    if type(value).__name__ in ("Timestamp", "Timedelta") or type(value).__module__.startswith("datetime"):
        return str(value)
    return value


def _table(frame, depth: int):
    import pandas as pd

    if type(frame) is not pd.DataFrame:
        return {"__unsupported__": type(frame).__name__}
    columns = [to_plain(_item(c), depth + 1) for c in list(frame.columns)]
    rows = [[to_plain(_item(v), depth + 1) for v in row] for row in frame.itertuples(index=False, name=None)]
    index = [to_plain(_item(i), depth + 1) for i in list(frame.index)]
    return {"__table__": {"columns": columns, "index": index, "rows": rows}}


def from_plain(plain):
    """Plain data back as Python and pandas objects made here (tables and series rebuilt)."""
    if isinstance(plain, list):
        return [from_plain(v) for v in plain]
    if not isinstance(plain, dict):
        return plain
    if set(plain) == {"__float__"}:
        return float(plain["__float__"])
    if set(plain) == {"__table__"}:
        import pandas as pd

        t = plain["__table__"]
        frame = pd.DataFrame([[from_plain(v) for v in row] for row in t["rows"]],
                             columns=[from_plain(c) for c in t["columns"]] or None)
        if t["index"] != list(range(len(t["index"]))):
            frame.index = [from_plain(i) for i in t["index"]]
        return frame
    if set(plain) == {"__series__"}:
        import pandas as pd

        s = plain["__series__"]
        return pd.Series([from_plain(v) for v in s["values"]], index=[from_plain(i) for i in s["index"]] or None,
                         name=s["name"], dtype=None if s["values"] else object)
    if set(plain) == {"__unsupported__"}:
        return Unsupported(str(plain["__unsupported__"]))
    if set(plain) == {"__missing__"}:
        return MISSING
    return {k: from_plain(v) for k, v in plain.items()}


class Unsupported:
    """An answer of a kind no exercise asks for (a subclass of a number, a function, an object)."""

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self) -> str:
        return f"<a {self.kind}>"


class _Missing:
    """No answer of that name in the notebook (its cell was not run, or raised)."""

    def __repr__(self) -> str:
        return "<no answer>"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()


def rebuilt(value):
    """``value`` reduced to plain data and built again: what any check may look at."""
    return from_plain(json.loads(json.dumps(to_plain(value))))


# --------------------------------------------------------------------------- the record of a test cell


def record_answers(*names: str, needs: tuple[str, ...] = ()) -> None:
    """Write the notebook's answers ``names`` (and the other answers their checks need, ``needs``)
    into this cell's output as plain data, for the grader to check (the hidden part of every test
    cell calls this; see the module docstring).  An answer the notebook does not define is recorded
    as missing."""
    namespace = _notebook_namespace()
    answers = {}
    for name in (*names, *needs):
        answers[name] = to_plain(namespace[name]) if name in namespace else {"__missing__": True}
    text = json.dumps({"answers": answers}, allow_nan=False)
    if len(text) > MAX_RECORD_CHARS:
        text = json.dumps({"answers": {n: {"__unsupported__": "answer too large"} for n in answers}})
    from IPython.display import display

    display({RECORD_MIME: text, "text/plain": "answer recorded for grading: " + ", ".join(names)}, raw=True)


def _notebook_namespace() -> dict:
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            return shell.user_ns
    except ImportError:
        pass
    import inspect

    frame = inspect.currentframe().f_back.f_back
    try:
        return dict(frame.f_globals)
    finally:
        del frame


def read_records(outputs) -> tuple[dict, str]:
    """The answers recorded in a cell's outputs, and a problem ("" when none): a record that is not
    valid JSON, or two records of one answer (something other than the test wrote one)."""
    found: dict = {}
    for output in outputs or []:
        text = (output.get("data") or {}).get(RECORD_MIME) if output.get("output_type") in (
            "display_data", "execute_result") else None
        if text is None:
            continue
        if isinstance(text, list):
            text = "".join(text)
        if not isinstance(text, str) or len(text) > MAX_RECORD_CHARS + 1000:
            return {}, "an answer record is not text"
        try:
            answers = json.loads(text)["answers"]
            assert isinstance(answers, dict)
        except (ValueError, KeyError, TypeError, AssertionError):
            return {}, "an answer record could not be read"
        for name, value in answers.items():
            if name in found:
                return {}, f"more than one answer was recorded for {name}"
            found[name] = value
    return found, ""
