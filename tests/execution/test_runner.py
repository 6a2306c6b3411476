import numpy as np
import pytest

from interviews.execution.compare import compare
from interviews.execution.runner import forbidden_uses, grade
from interviews.execution.spec import Case, SpecError, build_spec, read_files
from tests.execution.conftest import CODING_DIR, needs_sandbox

NAIVE_SOFTMAX = """
import numpy as np

def softmax(x, axis=-1):
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)
"""


@needs_sandbox
def test_a_naive_softmax_gets_partial_credit(softmax_spec):
    result = grade(softmax_spec, NAIVE_SOFTMAX)
    by_name = {c.name: c for c in result.cases}
    assert result.status == "graded"
    assert by_name["huge-logits"].status == "wrong"
    assert by_name["small-vector"].status == "passed"
    assert 0 < result.score < result.max_points
    assert result.score == result.max_points - by_name["huge-logits"].points


@needs_sandbox
def test_visible_cases_show_values_hidden_ones_only_pass_fail(softmax_spec):
    source = NAIVE_SOFTMAX.replace(
        "return e /", "if x.ndim == 3:\n        raise KeyError('secret-detail')\n    return e /"
    )
    public = grade(softmax_spec, source).to_dict()["cases"]
    visible = next(c for c in public if c["name"] == "small-vector")
    assert "array(shape=(4,)" in visible["inputs"] and visible["expected"] and visible["actual"]
    hidden = next(c for c in public if c["name"] == "first-axis")
    assert hidden == {
        "name": "first-axis",
        "visible": False,
        "points": 1,
        "earned": 0,
        "status": "error",
        "error_type": "KeyError",
    }
    assert "secret-detail" not in repr(public)


@needs_sandbox
def test_run_visible_tests_runs_only_visible_cases(softmax_spec):
    result = grade(softmax_spec, NAIVE_SOFTMAX, visible_only=True)
    assert [c.name for c in result.cases] == ["small-vector", "matrix-rows"]
    assert result.score == result.max_points == 2


def test_a_syntax_error_is_not_gradable(softmax_spec):
    result = grade(softmax_spec, "def softmax(x:\n    pass")
    assert result.status == "not_gradable"
    assert "line 1" in result.message
    assert result.score == 0 and result.cases == []


@needs_sandbox
def test_an_import_error_is_not_gradable_with_the_candidates_traceback(softmax_spec):
    source = "import numpy as np\n\ndef helper():\n    return np.nonexistent\n\nhelper()\n"
    result = grade(softmax_spec, source)
    assert result.status == "not_gradable"
    assert "AttributeError" in result.traceback
    assert 'File "solution.py", line 6' in result.traceback
    assert "harness" not in result.traceback and "numpy/__init__" not in result.traceback


@needs_sandbox
def test_a_traceback_is_trimmed_to_the_candidates_frames(softmax_spec):
    source = "import numpy as np\n\ndef softmax(x, axis=-1):\n    return np.exp(x) / np.zeros(3, 4)\n"
    case = next(c for c in grade(softmax_spec, source).cases if c.name == "small-vector")
    assert case.status == "error" and case.error_type == "TypeError"
    assert 'File "solution.py", line 4, in softmax' in case.traceback
    assert "harness" not in case.traceback and "site-packages" not in case.traceback


def test_the_fused_attention_is_refused_before_running(attention_spec):
    source = (
        "import torch.nn.functional as F\n\n"
        "def attention(q, k, v):\n    return F.scaled_dot_product_attention(q, k, v, is_causal=True)\n"
    )
    result = grade(attention_spec, source)
    assert result.status == "refused"
    assert "scaled_dot_product_attention" in result.message
    assert result.score == 0


@pytest.mark.parametrize(
    "source",
    [
        "from torch.nn.functional import scaled_dot_product_attention as sdpa",
        "import torch\nf = torch.nn.functional.scaled_dot_product_attention",
        "import torch.nn.functional as F\nf = getattr(F, 'scaled_dot_product_attention')",
        "from torch.nn import functional\nfunctional.scaled_dot_product_attention",
    ],
)
def test_forbidden_uses_sees_through_aliases(source):
    assert forbidden_uses(source, ["torch.nn.functional.scaled_dot_product_attention"]) == [
        "torch.nn.functional.scaled_dot_product_attention"
    ]


def test_forbidden_uses_leaves_other_code_alone():
    source = "import torch\nimport torch.nn.functional as F\ny = F.softmax(torch.ones(2), dim=-1)"
    assert forbidden_uses(source, ["torch.nn.functional.scaled_dot_product_attention"]) == []


@needs_sandbox
def test_a_forbidden_call_built_at_run_time_fails_inside_the_sandbox(attention_spec):
    source = (
        "import torch.nn.functional as F\n\n"
        "def attention(q, k, v):\n"
        "    fused = getattr(F, 'scaled_dot_' + 'product_attention')\n"
        "    return fused(q, k, v, is_causal=True)\n"
    )
    result = grade(attention_spec, source)
    assert result.status == "graded" and result.score == 0
    assert {c.error_type for c in result.cases} == {"PermissionError"}


CASE = Case(name="c", visible=True, points=1, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize(
    ("expected", "actual", "ok", "why"),
    [
        (np.ones(3), np.ones(3) + 1e-9, True, ""),
        (np.ones(3), np.ones(3, dtype=np.float32), True, ""),
        (np.ones(3), np.ones((3, 1)), False, "shape"),
        (np.ones(3), np.ones(3, dtype=np.int64), False, "dtype"),
        (np.arange(3), np.arange(3, dtype=np.int32), False, "dtype"),
        (np.array([1.0, np.nan]), np.array([1.0, np.nan]), False, "outside"),
        (np.ones(3), np.ones(3) * 1.01, False, "largest difference"),
        ((np.ones(2), 3), [np.ones(2), 3], True, ""),
        (3, 3.0, False, "dtype"),
        ({"output": np.ones(2)}, {"out": np.ones(2)}, False, "keys"),
        (np.ones(2), "1 1", False, "str"),
    ],
)
def test_compare(expected, actual, ok, why):
    passed, message = compare(expected, actual, CASE)
    assert passed is ok
    assert why in message


def test_the_format_is_validated(tmp_path):
    files = read_files(CODING_DIR / "stable-softmax")
    files["question.yaml"] = (
        files["question.yaml"]
        .replace("framework: numpy", "framework: jax")
        .replace("generator: random_logits\n    args: {shape: [4]", "generator: missing_gen\n    args: {shape: [4]")
    )
    del files["starter.py"]
    with pytest.raises(SpecError) as error:
        build_spec("stable-softmax", files)
    message = str(error.value)
    assert "framework 'jax'" in message
    assert "missing starter.py" in message
    assert "no generator 'missing_gen'" in message


def test_compressed_or_oversized_outputs_are_not_expanded():
    import io
    import zipfile

    from interviews.execution.compare import read_outputs

    buffer = io.BytesIO()
    np.savez_compressed(buffer, a=np.zeros(1 << 20))
    with pytest.raises(ValueError, match="compressed"):
        read_outputs(buffer.getvalue())
    plain = io.BytesIO()
    np.savez(plain, a=np.zeros(1000))
    with pytest.raises(ValueError, match="too large"):
        read_outputs(plain.getvalue(), max_bytes=1000)
    assert read_outputs(plain.getvalue())["a"].shape == (1000,)
    assert zipfile.is_zipfile(io.BytesIO(plain.getvalue()))


@needs_sandbox
def test_restarts_are_bounded(softmax_spec):
    """Code that kills its process in every case gets a bounded number of fresh sandboxes."""
    from interviews.execution.runner import MAX_ATTEMPTS

    result = grade(softmax_spec, "import os\n\ndef softmax(x, axis=-1):\n    os._exit(1)\n")
    statuses = [c.status for c in result.cases]
    assert result.attempts == MAX_ATTEMPTS < len(result.cases)
    assert statuses.count("crashed") == MAX_ATTEMPTS
    assert statuses.count("not_run") == len(result.cases) - MAX_ATTEMPTS
    assert result.cases[-1].message.startswith("Not run")
    assert result.score == 0
