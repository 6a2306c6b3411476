"""Runs INSIDE the sandbox: imports the candidate's module, calls its entry point once per
case and streams each case's output back. It also serves the trusted side (the same
`invoke` and `encode` run the reference), so candidate and reference are called alike.

Standard library, NumPy and (for torch questions) PyTorch only: this file is copied into the
sandbox on its own. It never receives expected values, the reference or the checker, and it
decides nothing about the score: it only reports what the candidate's code returned.

Wire format, on the file descriptor that was stdout at start (the candidate's own prints go
to stderr): frames of an 8-byte big-endian length and a payload. A JSON frame per event
({"event": "boot" | "start" | "done" | "import_error", ...}); a "done" frame with "arrays": true is
followed by one frame holding an .npz of the output's arrays."""

import io
import json
import os
import signal
import struct
import sys
import time
import traceback
from typing import Any

import numpy as np

SOLUTION = "/task/solution.py"


class CaseTimeout(Exception):
    pass


# --- values <-> (tree, arrays): the only shapes of data crossing the sandbox boundary ---


def encode(value: Any, arrays: dict[str, np.ndarray] | None = None) -> tuple[Any, dict[str, np.ndarray]]:
    """A JSON tree describing value, with its arrays (NumPy or torch) split out by key."""
    arrays = {} if arrays is None else arrays
    if value is None:
        return {"t": "none"}, arrays
    if isinstance(value, bool | int | float | str):
        return {"t": "scalar", "v": value}, arrays
    if isinstance(value, np.generic):
        return {"t": "scalar", "v": value.item(), "dtype": str(value.dtype)}, arrays
    if isinstance(value, list | tuple):
        items = [encode(v, arrays)[0] for v in value]
        return {"t": "list" if isinstance(value, list) else "tuple", "items": items}, arrays
    if isinstance(value, dict):
        return {"t": "dict", "items": {str(k): encode(v, arrays)[0] for k, v in value.items()}}, arrays
    if type(value).__module__.startswith("torch"):
        value = _tensor_to_numpy(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc":
            raise TypeError(f"cannot return an array of dtype {value.dtype}")
        key = f"a{len(arrays)}"
        arrays[key] = value
        return {"t": "array", "k": key}, arrays
    raise TypeError(f"cannot return a value of type {type(value).__name__}")


def _tensor_to_numpy(value: Any) -> np.ndarray:
    import torch

    if not isinstance(value, torch.Tensor):
        raise TypeError(f"cannot return a value of type {type(value).__name__}")
    value = value.detach().cpu()
    if value.dtype in (torch.bfloat16, torch.float16):
        value = value.float()
    return value.numpy().copy()


def decode(tree: Any, arrays: Any) -> Any:
    kind = tree["t"]
    if kind == "none":
        return None
    if kind == "scalar":
        return tree["v"]
    if kind == "array":
        return np.asarray(arrays[tree["k"]])
    if kind in ("list", "tuple"):
        items = [decode(t, arrays) for t in tree["items"]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {k: decode(t, arrays) for k, t in tree["items"].items()}
    raise ValueError(f"unknown value kind {kind!r}")


def to_npz(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]  # numpy stubs mistype **kwds
    return buffer.getvalue()


def from_npz(data: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


# --- calling the entry point ---


def prepare(inputs: dict[str, Any], framework: str) -> dict[str, Any]:
    """Fresh, writable copies of the inputs, as tensors for torch questions."""
    out: dict[str, Any] = {}
    for name, value in inputs.items():
        out[name] = _prepare_value(value, framework)
    return out


def _prepare_value(value: Any, framework: str) -> Any:
    if isinstance(value, np.ndarray):
        copy = np.array(value, copy=True)
        if framework == "torch":
            import torch

            return torch.from_numpy(copy)
        return copy
    if isinstance(value, list | tuple):
        items = [_prepare_value(v, framework) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {k: _prepare_value(v, framework) for k, v in value.items()}
    return value


def invoke(entry: Any, inputs: dict[str, Any], framework: str, mode: str, device: str = "cpu") -> Any:
    """Call the entry point on one case's inputs the way the question's mode says."""
    return call(entry, to_device(prepare(inputs, framework), device), framework, mode)


def to_device(value: Any, device: str) -> Any:
    """Tensors moved to the GPU for a `requires: gpu` question (a no-op on the CPU)."""
    if device == "cpu":
        return value
    if isinstance(value, dict):
        return {k: to_device(v, device) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(to_device(v, device) for v in value)
    if type(value).__module__.startswith("torch") and hasattr(value, "to"):
        return value.to(device)
    return value


def call(entry: Any, args: dict[str, Any], framework: str, mode: str) -> Any:
    """invoke() on inputs already prepared (timing keeps the copying out of the measurement)."""
    if framework == "torch":
        import torch

        torch.manual_seed(0)
    np.random.seed(0)
    if mode == "function":
        return entry(**args)
    # autograd: entry is a torch.autograd.Function subclass; positional inputs in order,
    # `grad_output` (if given) is what is backpropagated.
    import torch

    grad_output = args.pop("grad_output", None)
    positional = list(args.values())
    for value in positional:
        if isinstance(value, torch.Tensor) and value.is_floating_point():
            value.requires_grad_(True)
    output = entry.apply(*positional)
    if grad_output is None:
        grad_output = torch.ones_like(output)
    output.backward(grad_output)
    grads = [v.grad for v in positional if isinstance(v, torch.Tensor) and v.requires_grad]
    return {"output": output.detach(), "grads": grads}


# --- inside the sandbox ---


def _candidate_traceback(exc: BaseException) -> str:
    """The traceback limited to the candidate's own frames (no harness, no libraries)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == SOLUTION]
    lines = traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    text = "".join(lines).replace(SOLUTION, "solution.py")
    return text[:4000]


class _Channel:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, payload: bytes) -> None:
        data = struct.pack(">Q", len(payload)) + payload
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]

    def event(self, **fields: Any) -> None:
        self.send(json.dumps(fields).encode())


def _forbid(names: list[str]) -> None:
    """Replace forbidden library functions with ones that raise (the trusted side's AST scan
    refuses code naming them; this catches a name built at run time)."""
    import importlib

    for dotted in names:
        module_name, _, attr = dotted.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, attr):

            def refuse(*args: Any, _name: str = dotted, **kwargs: Any) -> Any:
                raise PermissionError(f"{_name} is not allowed in this question")

            setattr(module, attr, refuse)


def _on_alarm(signum: int, frame: Any) -> None:
    raise CaseTimeout("the case ran out of time")


def main() -> None:
    with open("/task/config.json", encoding="utf-8") as f:
        config = json.load(f)
    # The results channel is the original stdout; anything the candidate prints goes to stderr.
    channel = _Channel(os.dup(1))
    os.dup2(2, 1)
    framework, mode = config["framework"], config["mode"]
    if framework == "torch":
        import torch

        torch.set_num_threads(1)
    _forbid(config.get("forbid", []))
    with np.load("/task/inputs.npz", allow_pickle=False) as npz:
        stored = {k: npz[k] for k in npz.files}

    sys.path.insert(0, "/task")
    device = config.get("device", "cpu")
    timer = None
    if device == "cuda" and config.get("timing"):
        # Bound before the candidate's module is imported (see cuda_timer).
        from cuda_timer import CudaTimer  # type: ignore[import-not-found]

        timer = CudaTimer()
    # The sandbox and Python work: from here on, what goes wrong is the candidate's code.
    channel.event(event="boot")
    try:
        import solution  # type: ignore[import-not-found]

        entry = getattr(solution, config["entry_point"])
    except BaseException as exc:
        channel.event(event="import_error", error_type=type(exc).__name__, traceback=_candidate_traceback(exc))
        return

    signal.signal(signal.SIGALRM, _on_alarm)
    if config.get("timing"):
        _timed(channel, entry, config, stored, timer)
        return
    for case in config["cases"]:
        channel.event(event="start", case=case["name"])
        inputs = decode(case["inputs"], stored)
        started = time.perf_counter()
        try:
            signal.setitimer(signal.ITIMER_REAL, config["case_seconds"])
            try:
                result = invoke(entry, inputs, framework, mode, device)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            tree, arrays = encode(result)
        except BaseException as exc:
            channel.event(
                event="done",
                case=case["name"],
                status="error",
                error_type=type(exc).__name__,
                traceback=_candidate_traceback(exc),
                seconds=time.perf_counter() - started,
            )
            continue
        channel.event(
            event="done", case=case["name"], status="ok", tree=tree, arrays=True, seconds=time.perf_counter() - started
        )
        channel.send(to_npz(arrays))


def _timed(
    channel: _Channel, entry: Any, config: dict[str, Any], stored: dict[str, np.ndarray], timer: Any = None
) -> None:
    """Timing rounds, paced by the trusted side through stdin: "ready" says the inputs are
    prepared and the harness is waiting, "g" runs the next round, the
    "timed" event says the call returned (the worker reads this process's CPU time between
    the two, from outside), "n" lets the output be sent. Nothing here measures anything."""
    framework, mode = config["framework"], config["mode"]
    gate = os.fdopen(0, "rb", buffering=0)
    for case in config["cases"]:
        args = to_device(prepare(decode(case["inputs"], stored), framework), config.get("device", "cpu"))
        channel.event(event="ready", case=case["name"])
        if gate.read(1) != b"g":
            return
        error: BaseException | None = None
        gpu_ms = None
        signal.setitimer(signal.ITIMER_REAL, config["case_seconds"])
        try:
            if timer is not None:
                # On the GPU: the median of CUDA-event timed runs (call() may consume its
                # arguments, so each run gets its own dict).
                gpu_ms, result = timer.round(lambda args=args: call(entry, dict(args), framework, mode))
            else:
                result = call(entry, args, framework, mode)
        except BaseException as exc:
            error = exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if gpu_ms is None:
            channel.event(event="timed", case=case["name"])
        else:
            channel.event(event="timed", case=case["name"], gpu_ms=gpu_ms)
        if gate.read(1) != b"n":
            return
        try:
            if error is not None:
                raise error
            tree, arrays = encode(result)
        except BaseException as exc:
            channel.event(event="done", case=case["name"], status="error", error_type=type(exc).__name__, traceback="")
            return
        channel.event(event="done", case=case["name"], status="ok", tree=tree, arrays=True)
        channel.send(to_npz(arrays))


if __name__ == "__main__":
    main()
