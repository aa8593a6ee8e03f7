"""Self-checks: plain-language verdicts with hints, never a crash."""

import math

import numpy as np

from coursekit.check import (CheckResult, SelfCheck, exercise, expect_choice, expect_items, expect_number,
                             run_check)


def test_expect_number_right_wrong_and_wrong_kind():
    assert expect_number(42, 42, whole=True).ok
    assert expect_number(np.int64(42), 42, whole=True).ok
    low = expect_number(40, 42, hint="count rows")
    assert not low.ok and "too low" in low.message and low.hint == "count rows"
    assert "too high" in expect_number(50, 42).message
    text = expect_number("42", 42)
    assert not text.ok and "single number" in text.message
    assert not expect_number(float("nan"), 42).ok
    assert not expect_number(True, 1).ok  # a True/False is not a count
    assert not expect_number(41.5, 42, tol=1, whole=True).ok


def test_expect_choice_is_case_and_space_insensitive():
    assert expect_choice(" b ", "B", ["A", "B", "C"]).ok
    assert "not one of the choices" in expect_choice("D", "B", ["A", "B", "C"]).message
    assert not expect_choice("A", "B", ["A", "B", "C"]).ok


def test_result_renders_as_text_and_html():
    bad = CheckResult("x", False, "3 is too low.", "count again")
    assert repr(bad) == "Not yet (x): 3 is too low. Hint: count again"
    assert "Hint:" in bad._repr_html_() and "&#9888;" in bad._repr_html_()
    good = CheckResult("x", True, "3 is right.", "unused")
    assert repr(good) == "Correct (x): 3 is right." and bool(good)


def test_selfcheck_finds_the_answer_in_the_notebook_namespace():
    exercise("99-test", "answer")(lambda v: expect_number(v, 7))
    check = SelfCheck.__new__(SelfCheck)
    check.module, check.checks = "99-test", {"answer": lambda v: expect_number(v, 7)}
    answer = 7  # noqa: F841  (looked up by name from this frame)
    assert check("answer").ok
    missing = check("not_defined")
    assert not missing.ok and "no self-check" in missing.message


def test_selfcheck_says_when_the_answer_was_not_run_yet():
    check = SelfCheck.__new__(SelfCheck)
    check.module, check.checks = "99-test", {"total": lambda v: expect_number(v, 1)}
    result = check("total")
    assert not result.ok and "(total) is not answered yet" in result.message and "Shift+Enter" in result.hint


def test_selfcheck_never_raises_on_odd_values():
    check = SelfCheck.__new__(SelfCheck)
    check.module, check.checks = "99-test", {"x": lambda v: 1 / 0}
    result = check("x", value=math.pi)
    assert not result.ok and "could not be checked" in result.message


def test_orientation_checks_use_the_bundled_day():
    from coursekit.data import load

    check = SelfCheck("00-orientation")
    calls = load("calls")
    day = calls[calls["arrival_time"].dt.normalize() == "2026-03-02"]
    assert len(day) > 100
    assert check("calls_today", len(day)).ok
    assert not check("calls_today", len(day) + 1).ok
    abandoned = int(day["abandoned"].sum())
    assert check("abandoned_today", abandoned).ok
    assert check("abandon_percent", round(100 * abandoned / len(day), 1)).ok
    share = check("abandon_percent", round(abandoned / len(day), 3))
    assert not share.ok and "multiply by 100" in share.hint
    seconds = check("average_talk_minutes", float(day["talk_s"].mean()))
    assert not seconds.ok and "seconds" in seconds.hint


def test_the_answer_name_comes_from_the_exercise_and_mistakes_get_their_hint():
    exercise("98-test", "minutes")(lambda v: expect_number(v, 6.0, tol=0.05, hint="divide by 60",
                                                           mistakes={360: "that is seconds"}, mistake_tol=1))
    right, seconds, other = (run_check("98-test", "minutes", v) for v in (6.0, 360.4, 12))
    assert right.ok and right.name == "minutes"
    assert not seconds.ok and seconds.hint == "that is seconds"
    assert not other.ok and other.hint == "divide by 60"


def test_expect_items_in_any_order_or_in_order():
    exercise("98-test", "spots")(lambda v: expect_items(v, ["a", "b"], "look again", mistakes={("c", "d"): "those are the others"}))
    exercise("98-test", "ranked")(lambda v: expect_items(v, ["a", "b"], "by rank", ordered=True))
    assert run_check("98-test", "spots", ["b", "a"]).ok
    assert run_check("98-test", "spots", ["a"]).message.startswith("1 of the 2")
    assert run_check("98-test", "spots", ["d", "c"]).hint == "those are the others"
    assert not run_check("98-test", "spots", "a, b").ok
    assert run_check("98-test", "ranked", ["a", "b"]).ok
    assert run_check("98-test", "ranked", ["b", "a"]).message == "the right items, in the wrong order."


def test_a_check_sees_plain_data_never_the_learners_object():
    class Liar(int):
        def __eq__(self, other):
            return True

        __hash__ = int.__hash__

    seen = []
    exercise("98-test", "count")(lambda v: (seen.append(type(v)), expect_number(v, 7))[1])
    check = SelfCheck.__new__(SelfCheck)
    check.module, check.checks = "98-test", {"count": lambda v: (seen.append(type(v)), expect_number(v, 7))[1]}
    count = Liar(3)  # noqa: F841  (looked up by name from this frame)
    result = check("count")
    assert not result.ok and "not the kind of thing" in result.message
    assert run_check("98-test", "count", 7).ok and seen == [int]
