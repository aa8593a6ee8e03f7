"""Terminal progress display for long work (autograding a cohort, building every module)."""

from __future__ import annotations

import os
import sys


def progress_bar(total: int, desc: str):
    """A tqdm bar on stderr; quiet when stderr is not a terminal unless COURSEKIT_PROGRESS is set."""
    from tqdm import tqdm

    disable = not (sys.stderr.isatty() or os.environ.get("COURSEKIT_PROGRESS"))
    return tqdm(total=total, desc=desc, unit="nb", disable=disable, leave=False, file=sys.stderr)
