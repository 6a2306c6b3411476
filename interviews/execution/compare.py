"""Trusted side: does a candidate's output match the reference's? Values are compared as
arrays with tolerances, shapes and dtypes, never as printed text."""

import io
import zipfile
from typing import Any

import numpy as np

from interviews.execution import harness
from interviews.execution.spec import Case

NUMERIC = (bool, int, float, complex, np.generic, np.ndarray)


def compare(expected: Any, actual: Any, case: Case, where: str = "output") -> tuple[bool, str]:
    """(passed, why not). Sequences compare item by item, dicts key by key, numbers and
    arrays by shape, dtype kind and numpy.allclose(rtol, atol, equal_nan=False)."""
    if expected is None:
        return (actual is None, "" if actual is None else f"{where}: expected None, got {_kind(actual)}")
    if isinstance(expected, list | tuple):
        if not isinstance(actual, list | tuple):
            return False, f"{where}: expected a sequence of {len(expected)}, got {_kind(actual)}"
        if len(actual) != len(expected):
            return False, f"{where}: expected {len(expected)} items, got {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            ok, why = compare(e, a, case, f"{where}[{i}]")
            if not ok:
                return ok, why
        return True, ""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return False, f"{where}: expected a dict, got {_kind(actual)}"
        if set(actual) != set(expected):
            return False, f"{where}: expected keys {sorted(expected)}, got {sorted(actual)}"
        for key in expected:
            ok, why = compare(expected[key], actual[key], case, f"{where}[{key!r}]")
            if not ok:
                return ok, why
        return True, ""
    if isinstance(expected, str):
        return (actual == expected, "" if actual == expected else f"{where}: expected {expected!r}")
    if not isinstance(actual, NUMERIC) or isinstance(actual, str):
        return False, f"{where}: expected a number or array, got {_kind(actual)}"
    return _compare_arrays(np.asarray(expected), np.asarray(actual), case, where)


def _compare_arrays(expected: np.ndarray, actual: np.ndarray, case: Case, where: str) -> tuple[bool, str]:
    if expected.shape != actual.shape:
        return False, f"{where}: expected shape {expected.shape}, got {actual.shape}"
    e_kind, a_kind = _kind_of(expected), _kind_of(actual)
    if e_kind != a_kind:
        return False, f"{where}: expected dtype {expected.dtype}, got {actual.dtype}"
    if expected.dtype != actual.dtype:
        # Float width is lenient unless the case says strict; integer width strict unless not.
        strict = case.dtype_strict if case.dtype_strict is not None else e_kind != "f"
        if strict:
            return False, f"{where}: expected dtype {expected.dtype}, got {actual.dtype}"
    if e_kind in "bi":
        if np.array_equal(expected, actual):
            return True, ""
        wrong = int(np.sum(expected != actual))
        return False, f"{where}: {wrong} of {expected.size} values differ"
    e = expected.astype(np.complex128 if e_kind == "c" else np.float64)
    a = actual.astype(np.complex128 if e_kind == "c" else np.float64)
    close = np.isclose(a, e, rtol=case.rtol, atol=case.atol, equal_nan=False)
    if close.all():
        return True, ""
    with np.errstate(invalid="ignore"):
        diff = np.abs(a - e)
    worst = float(np.nanmax(diff)) if np.isfinite(diff).any() else float("nan")
    return False, (
        f"{where}: {int((~close).sum())} of {close.size} values outside rtol={case.rtol:g}, atol={case.atol:g}"
        f" (largest difference {worst:.3g})"
    )


def read_outputs(data: bytes, max_bytes: int = 256 << 20) -> dict[str, np.ndarray]:
    """Arrays from an .npz written by the sandboxed side, refusing what np.load would expand
    in this process: compressed members (a zip bomb) or more than max_bytes in all."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    if any(m.compress_type != zipfile.ZIP_STORED for m in members):
        raise ValueError("compressed output")
    if sum(m.file_size for m in members) > max_bytes:
        raise ValueError("output too large")
    return harness.from_npz(data)


def _kind_of(array: np.ndarray) -> str:
    kind = array.dtype.kind
    return "i" if kind in "iu" else kind


def _kind(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array {value.shape} {value.dtype}"
    return type(value).__name__


def preview(value: Any, limit: int = 2000) -> str:
    """A short, readable rendering of a value for visible cases."""
    if isinstance(value, np.ndarray):
        body = np.array2string(value, threshold=60, edgeitems=3, precision=6)
        text = f"array(shape={value.shape}, dtype={value.dtype})\n{body}"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(preview(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k!r}: {preview(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
