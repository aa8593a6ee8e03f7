"""`coursekit collect --zip`: submissions downloaded from an LMS, imported with nbgrader's zip collect."""

import shutil
import zipfile

import pytest
from conftest import MODULES

from coursekit import grading, progress
from coursekit.collect import collect_zip
from coursekit.errors import CourseError

FIRST = MODULES[0] if MODULES else None
pytestmark = [pytest.mark.skipif(not MODULES, reason="no modules"), pytest.mark.xdist_group(FIRST or "none")]


@pytest.fixture
def course_root(built_modules, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(built_modules(FIRST), root)
    return root


def test_zip_of_learner_folders_and_prefixes_is_collected_and_graded(course_root, tmp_path):
    release = next((course_root / "release" / FIRST).glob("*.ipynb"))
    zpath = tmp_path / "lms.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.write(release, f"selfpaced01/{release.name}")
        z.write(release, f"selfpaced02_{release.name}")
        z.write(release, f"selfpaced03_2026-01-09T14:03:00_{release.name}")
    learners = collect_zip(course_root, zpath, FIRST)
    assert learners == ["selfpaced01", "selfpaced02", "selfpaced03"]
    for learner in learners:
        assert (course_root / "submitted" / learner / FIRST / release.name).exists()
    assert "2026-01-09 14:03:00" in (course_root / "submitted" / "selfpaced03" / FIRST / "timestamp.txt").read_text()
    outcomes = grading.autograde(course_root)
    assert all(o.ok for o in outcomes)
    table = progress.completion(course_root)
    assert set(table["learner_id"]) == set(learners)
    assert (table["score"] == 0).all()  # untouched learner versions


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_text("not a zip"), ["not a zip file"]),
    (lambda p: zipfile.ZipFile(p, "w").writestr("readme.txt", "hi"), ["no notebooks"]),
    (lambda p: zipfile.ZipFile(p, "w").writestr("../evil/x.ipynb", "{}"), ["outside the archive"]),
    (lambda p: zipfile.ZipFile(p, "w").writestr("_.ipynb", "{}"), ["no notebook name matched"]),
])
def test_bad_zip_files_give_clear_errors(course_root, tmp_path, make, words):
    zpath = tmp_path / "bad.zip"
    make(zpath)
    with pytest.raises(CourseError) as err:
        collect_zip(course_root, zpath, FIRST)
    assert "\n" not in str(err.value) and all(w in str(err.value) for w in words)
    assert not any((course_root / "submitted").iterdir()), "nothing half-imported"


def test_missing_zip(course_root, tmp_path):
    with pytest.raises(CourseError, match="zip file not found"):
        collect_zip(course_root, tmp_path / "none.zip", FIRST)
