"""Writing files so that nothing is ever half-written: a reader (or a crash) sees the old file or
the new one, never a mix.

    >>> with replacing(path) as tmp:        # doctest: +SKIP
    ...     frame.to_csv(tmp, index=False)
    >>> write_text(path, "hello\\n")         # doctest: +SKIP
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path):
    """Yield a temporary path in the same folder as ``path``; when the block ends without an error
    the temporary file replaces ``path`` in one step (``os.replace``), otherwise it is removed and
    ``path`` is left as it was."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # the permissions an ordinary new file gets, not mkstemp's 0600
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` in one step (see :func:`replacing`)."""
    path = Path(path)
    with replacing(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    return path
