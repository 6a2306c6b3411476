"""Numbers stated in an answer, read with their units and checked against a numeric key."""

import pytest

from interviews.grading.numbers import check, quantities


@pytest.mark.parametrize(
    ("answer", "value", "tolerance", "unit"),
    [
        ("The cache needs 4 GiB.", 4.0, 0.05, "GiB"),
        ("about 4.29 GB in total", 4.0, 0.05, "GiB"),  # GB converted to GiB
        ("4096 MiB", 4.0, 0.05, "GiB"),
        ("an availability budget of 83.3%", 83.3, 0.5, "%"),
        ("so 0.833 of the budget is used", 83.3, 0.5, "%"),  # a fraction for a percentage
        ("F1 = 72.7%", 0.727, 0.005, ""),  # a percentage for a fraction
        ("roughly 1.31B parameters", 1.31, 0.02, "billion parameters"),
        ("1,310,000,000 parameters", 1.31, 0.02, "billion parameters"),
        ("1.31 billion", 1.31, 0.02, "billion parameters"),
        ("1.85e9 FLOPs", 1.85, 0.05, "GFLOP"),
        ("35 ms", 35, 1.5, "ms"),
        ("0.035 s", 35, 1.5, "ms"),
        ("3/4 of the pairs are ordered correctly", 0.75, 0.01, ""),
        ("535,818 parameters", 535818, 0, "parameters"),
        ("2^23 = 8,388,608", 8388608, 1000, "parameters"),
        ("about 55k USD a month", 55200, 600, "USD per month"),
        ("a gradient of -0.25", -0.25, 0.01, ""),
        ("1.2 x 10^3 steps", 1200, 1, ""),
    ],
)
def test_a_stated_number_matches_the_key_in_any_unit(answer, value, tolerance, unit):
    result = check(answer, value, tolerance, unit)
    assert result is not None and result.status == "correct", result


def test_a_correct_number_anywhere_counts_not_just_in_the_last_sentence():
    answer = "The intensity is 341.3 FLOP/byte. A bigger tile of 2048 would double that."
    assert check(answer, 341.33, 1.0, "FLOP/byte").status == "correct"


def test_a_wrong_number_and_no_number_are_told_apart():
    assert check("It comes to 682.7 FLOP/byte.", 341.33, 1.0, "FLOP/byte").status == "wrong"
    assert check("Divide the FLOPs by the bytes moved.", 341.33, 1.0, "FLOP/byte").status == "none"
    assert check("anything", None, None) is None


def test_spraying_numbers_earns_nothing():
    spray = " ".join(str(n) for n in range(1, 2000, 7)) + ". So the intensity is about 12 FLOP/byte."
    assert check(spray, 1365.3, 1.0, "FLOP/byte").status == "sprayed"


def test_units_and_scales_are_read():
    [q] = quantities("3.5k requests")
    assert q.value == 3500
    [q] = quantities("12 ms")
    assert (q.dimension, q.factor) == ("seconds", 1e-3)
    assert [q.text for q in quantities("8 GB and 20%")] == ["8 GB", "20%"]


def test_the_final_statement_of_the_result_is_the_one_quoted():
    answer = "Background share drops to 0.100 / 17.43 = about 0.58%."
    result = check(answer, 0.58, 0.05, "%")
    assert result is not None and result.status == "correct" and result.stated == "0.58%"


def test_a_list_of_candidate_numbers_is_still_a_spray():
    guesses = ", ".join(f"{n / 1000:.3f}" for n in range(100, 300, 7)) + ", one of them."
    assert check(guesses, 0.163, 0.002).status == "sprayed"
