"""A shared-server gradebook: the whole pipeline against a real PostgreSQL server."""

import pytest
from conftest import MODULES

from coursekit import course, grading, progress, simulate
from coursekit.demo import compare

FIRST = MODULES[0] if MODULES else None
pytestmark = [pytest.mark.services, pytest.mark.skipif(not MODULES, reason="no modules")]


def test_parallel_autograde_into_postgresql_matches_the_simulation(postgres_server, tmp_path):
    url = postgres_server()
    root = tmp_path / "course"
    course.build(root, [FIRST], db_url=url)
    assert course.configured_db_url(root) == url
    roster = simulate.learner_roster(6)
    simulate.register_learners(root, roster)
    expected = simulate.simulate_cohort(root, 6, [FIRST])
    outcomes = grading.autograde(root, jobs=2, timeout=300)
    assert all(o.ok for o in outcomes), [o.reason for o in outcomes if not o.ok]
    table = progress.completion(root)
    assert compare(table, expected).empty, compare(table, expected)
    # the same table straight from the database URL, without the course folder
    by_url = progress.completion(db_url=url)
    graded = table[table["score"].notna()][["learner_id", "module", "score"]].reset_index(drop=True)
    assert by_url[by_url["score"].notna()][["learner_id", "module", "score"]].reset_index(drop=True).equals(graded)


def test_unreachable_postgresql_gives_a_one_line_error(tmp_path):
    from coursekit.errors import CourseError

    with pytest.raises(CourseError) as err:
        progress.completion(db_url="postgresql+psycopg2://nobody:secret@127.0.0.1:1/none")
    message = str(err.value)
    assert "\n" not in message and "secret" not in message and "cannot be read" in message
