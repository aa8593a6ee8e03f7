"""A course folder opened once: its root, configuration, gradebook URL; private parts kept private."""

import stat

import pytest

from coursekit import course
from coursekit.errors import CourseError


def test_a_course_is_resolved_once_and_knows_its_gradebook(tmp_path):
    root = course.init_course(tmp_path / "c")
    opened = course.Course.open(root)
    assert opened.root == root and course.Course.open(opened) is opened  # passing it on costs nothing
    assert opened.db_url == f"sqlite:///{root / 'gradebook.db'}" == course.configured_db_url(root)
    assert opened.api() is opened.api()  # one NbGraderAPI per course (and per adjustment)
    assert opened / "release" == root / "release"


def test_the_gradebook_url_comes_from_the_loaded_configuration(tmp_path):
    root = course.init_course(tmp_path / "c", db_url="postgresql://trainer:secret@db/gradebook")
    assert course.Course.open(root).db_url == "postgresql://trainer:secret@db/gradebook"
    assert "secret" not in course.redact(course.Course.open(root).db_url)


def test_an_old_course_configuration_gets_todays_pipeline(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / course.CONFIG_NAME).write_text("c = get_config()\nc.CourseDirectory.db_url = 'sqlite:////tmp/x.db'\n")
    course.init_course(root)
    text = (root / course.CONFIG_NAME).read_text()
    assert "coursekit.pipeline" in text and "sqlite:////tmp/x.db" in text


def test_a_folder_that_is_not_a_course_gets_one_line(tmp_path):
    with pytest.raises(CourseError, match="not a course folder"):
        course.Course.open(tmp_path)
    with pytest.raises(CourseError, match="course folder not found"):
        course.Course.open(tmp_path / "nowhere")


def test_private_parts_are_readable_by_the_owner_only(tmp_path):
    root = course.init_course(tmp_path / "c")
    for name in ("source", "submitted", "autograded", "feedback", course.CONFIG_NAME):
        mode = stat.S_IMODE((root / name).stat().st_mode)
        assert mode & 0o077 == 0, (name, oct(mode))
    assert stat.S_IMODE((root / "release").stat().st_mode) & 0o005  # the learner version stays readable
