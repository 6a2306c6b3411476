"""`evaluate_grader --grader llm` reports on the rows the LLM graded, and how often it fell back."""

from dataclasses import replace

import pytest

from interviews.grading.datasets import Labelled
from interviews.grading.evaluation import evaluate
from tests.interviews.test_llm_grader import ITEM, verdict


def rows():
    answers = [
        ("Variance dominates: the tree memorises noise. Prune it, limit depth, or bag many trees.", 5.0),
        ("Variance dominates: the tree memorises noise. Prune it.", 3.0),
        ("The tree memorises noise, so I would bag many trees.", 2.0),
        ("I don't know.", 0.0),
    ]
    return [Labelled(item=replace(ITEM, answer=a), score=s, group="q") for a, s in answers]


def test_figures_are_on_the_rows_the_llm_graded_with_the_fallback_rate_beside_them(llm_stub, settings):
    settings.LLM_MAX_RETRIES = 0
    llm_stub.reply_json(verdict([2, 2, 1]))
    llm_stub.reply_json(verdict([2, 2, 0], evidence=("Variance dominates", "Prune it", "")))
    llm_stub.reply_error(503)  # the third row falls back to offline
    result = evaluate(rows(), "llm")
    assert result.grader == "llm"
    assert result.n == 2  # not 4: the fallback and the guarded non-answer are not the LLM's
    assert result.fallback_rate == pytest.approx(0.25)
    assert result.guarded == 1
    assert result.pearson == pytest.approx(1.0)
    assert result.pearson_all_rows is not None and result.pearson_all_rows != pytest.approx(result.pearson)


def test_with_the_endpoint_down_there_are_no_llm_figures(llm_stub, settings):
    settings.LLM_MAX_RETRIES = 0
    for _ in range(3):
        llm_stub.reply_error(503)
    result = evaluate(rows(), "llm")
    assert result.n == 0 and result.fallback_rate == pytest.approx(0.75)
    assert result.as_json()["pearson"] is None  # never the offline grader's figure under the LLM's name
