from pathlib import Path

import pytest

from interviews.execution import sandbox
from interviews.execution.spec import load_spec

CODING_DIR = Path(__file__).resolve().parents[2] / "interviews" / "bank" / "coding"

# Skipped, with the reason, where bubblewrap or user namespaces are missing; `.ci/run`
# installs bubblewrap so CI always runs them.
needs_sandbox = pytest.mark.skipif(bool(sandbox.availability()), reason=sandbox.availability() or "sandbox available")


@pytest.fixture(scope="session")
def softmax_spec():
    return load_spec(CODING_DIR / "stable-softmax")


@pytest.fixture(scope="session")
def attention_spec():
    return load_spec(CODING_DIR / "causal-attention")
