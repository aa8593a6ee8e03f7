"""Files are replaced in one step: the old file or the new one, never half of either."""

import os

import pytest

from coursekit.files import replacing, write_text


def test_write_text_replaces_the_file_with_ordinary_permissions(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("old")
    write_text(path, "new ✓")
    assert path.read_text(encoding="utf-8") == "new ✓"
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


def test_an_error_half_way_leaves_the_old_file_and_no_litter(tmp_path):
    path = tmp_path / "progress.csv"
    path.write_text("learner_id,score\nnh01,5\n")
    with pytest.raises(RuntimeError):
        with replacing(path) as tmp:
            tmp.write_text("learner_id,sco")
            raise RuntimeError("disk full")
    assert path.read_text() == "learner_id,score\nnh01,5\n"
    assert [p.name for p in tmp_path.iterdir()] == ["progress.csv"]
