"""Every executable question in the bank loads, and its reference, submitted through the
sandbox as if a candidate wrote it, scores full points."""

import ast

import pytest

from interviews.execution.runner import grade
from interviews.execution.spec import load_spec
from tests.execution.conftest import CODING_DIR, needs_sandbox

DIRECTORIES = sorted(p for p in CODING_DIR.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def test_there_are_coding_questions():
    assert DIRECTORIES


@pytest.mark.parametrize("directory", DIRECTORIES, ids=lambda p: p.name)
def test_question_loads(directory):
    spec = load_spec(directory)
    assert spec.slug == directory.name
    assert any(c.visible for c in spec.cases) and any(not c.visible for c in spec.cases)


def _cuda() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


@needs_sandbox
@pytest.mark.parametrize("directory", DIRECTORIES, ids=lambda p: p.name)
def test_reference_scores_full_points_in_the_sandbox(directory):
    spec = load_spec(directory)
    if spec.requires == "gpu" and not _cuda():
        pytest.skip("requires: gpu, and there is no CUDA device here")
    result = grade(spec, spec.reference)
    failed = [(c.name, c.status, c.message, c.error_type, c.traceback) for c in result.cases if c.status != "passed"]
    assert result.status == "graded" and not failed, (result.message, failed)
    assert result.score == result.max_points == spec.max_points
    if spec.performance is not None:
        assert result.performance is not None and result.performance["median_ratio"] is not None
        # A budget below 1 asks the candidate to beat the reference, which cannot beat itself.
        if spec.performance.budget_ratio >= 1:
            assert result.performance["within_budget"], result.performance


def _signature(source: str, name: str) -> list[str]:
    """The entry point's parameter names (for a class, its forward's)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return [a.arg for a in node.args.args]
        if isinstance(node, ast.ClassDef) and node.name == name:
            forward = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "forward"), None)
            return [a.arg for a in forward.args.args] if forward else []
    return []


@pytest.mark.parametrize("directory", DIRECTORIES, ids=lambda p: p.name)
def test_starter_and_reference_share_the_signature(directory):
    """The candidate starts from the signature the harness will call."""
    spec = load_spec(directory)
    assert _signature(spec.starter, spec.entry_point) == _signature(spec.reference, spec.entry_point)
