"""Performance questions: the candidate's code against the reference, by CPU time.

Wall-clock ratios varied 10-43% between runs on this shared machine; the CPU time of a
single-threaded process varied about 2.5%, so that is what is measured: each side in its own
fresh sandboxed process (single-threaded: OMP/MKL/torch threads set to 1), read by the worker
from outside through /proc/<pid>/task/*/schedstat (the code under test shares its process
with the harness and could fake anything measured inside). After one warm-up round the
sides alternate round by round, each round on fresh seeded inputs, and the outputs of the
timed calls are checked against the reference's. The result is the median ratio and its
spread; a candidate more than 3x faster than the reference is flagged for a human to look at.

Noise: the reference's own timed rounds say how noisy this machine is right now (its
`reference_noise`, the spread (max - min) / median of its CPU times: the reference against
itself). When that is wider than NOISY_SPREAD the job runs up to as many rounds again before
taking the median, so a busy machine costs time rather than a wrong verdict.

Scoring (`performance_credit`): the share of the performance points awarded from the median
ratio r against the budget b: 1 when r <= b, falling linearly to 0 at r = 2b, 0 beyond; no
credit when the timing failed (and the grader gives none when any correctness case failed).

Known gap: CPU time of threads that start and exit within a round is not counted."""

import contextlib
import json
import os
import select
import signal
import statistics
import struct
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from interviews.execution import gpu, harness, sandbox
from interviews.execution.compare import compare, read_outputs
from interviews.execution.spec import Case, CodingSpec

FLAG_FASTER_THAN = 3.0
# Untimed rounds first: the first calls pay for lazy imports, caches and first-touch page
# faults (one warm-up round still left a 7x outlier in the next on a 30 MB temporary).
WARMUP_ROUNDS = 2
STARTUP_SECONDS = {"numpy": 20.0, "torch": 60.0}
# The reference's CPU time varied about 2.5% round to round here when the machine was calm;
# beyond 10% something else is competing for the core and more rounds are worth their cost.
NOISY_SPREAD = 0.10
EXTRA_ROUNDS_FACTOR = 2  # at most rounds * this many timed rounds in all


def performance_credit(median_ratio: float | None, budget_ratio: float) -> float:
    """The share (0-1) of the performance points for a median CPU-time ratio (see the module doc)."""
    if median_ratio is None or budget_ratio <= 0:
        return 0.0
    if median_ratio <= budget_ratio:
        return 1.0
    return round(max(0.0, (2 * budget_ratio - median_ratio) / budget_ratio), 3)


def performance_text(budget_ratio: float) -> str:
    """The performance criterion's words, in the rubric (loader) and the grade (grader) alike."""
    return f"Performance: median CPU time within {budget_ratio:g}x the reference's"


def relative_spread(values: list[float]) -> float:
    """(max - min) / median: how far apart repeated measurements of the same thing are."""
    if not values:
        return 0.0
    middle = statistics.median(values)
    return (max(values) - min(values)) / middle if middle > 0 else 0.0


class TimingFailed(Exception):
    pass


@dataclass
class Timing:
    budget_ratio: float
    rounds: int
    case: str = ""
    ratios: list[float] = field(default_factory=list)
    reference_cpu_ms: list[float] = field(default_factory=list)
    candidate_cpu_ms: list[float] = field(default_factory=list)
    median_ratio: float | None = None
    spread: tuple[float, float] | None = None
    reference_noise: float | None = None  # the reference against itself (relative_spread)
    extra_rounds: int = 0  # rounds added because the machine was noisy
    within_budget: bool = False
    flagged: bool = False
    message: str = ""


def timing_case(spec: CodingSpec) -> Case:
    """The generator case with the largest inputs: the one the budget is about."""
    inputs_module = spec.module("inputs")
    candidates = [c for c in spec.cases if c.generator]
    if not candidates:
        raise TimingFailed("a performance question needs a generator case to time")

    def size(case: Case) -> int:
        values = harness.encode(case_inputs(case, inputs_module, 0))[1].values()
        return sum(int(v.nbytes) for v in values)

    return max(candidates, key=size)


def case_inputs(case: Case, inputs_module: Any, round_number: int) -> dict[str, Any]:
    rng = np.random.default_rng(case.seed + 1000 * (round_number + 1))
    return dict(getattr(inputs_module, case.generator)(rng, **case.args))


def time_submission(spec: CodingSpec, source: str, case_seconds: float = 30.0) -> Timing:
    assert spec.performance is not None
    timing = Timing(budget_ratio=spec.performance.budget_ratio, rounds=spec.performance.rounds)
    case = timing_case(spec)
    timing.case = case.name
    inputs_module = spec.module("inputs")
    planned = WARMUP_ROUNDS + timing.rounds
    # Inputs for the extra rounds travel too, used only if the machine turns out noisy.
    rounds = [case_inputs(case, inputs_module, r) for r in range(WARMUP_ROUNDS + timing.rounds * EXTRA_ROUNDS_FACTOR)]
    arrays: dict[str, np.ndarray] = {}
    config_cases = [
        {"name": f"round-{r}", "inputs": harness.encode(inputs, arrays)[0]} for r, inputs in enumerate(rounds)
    ]
    config = {
        "entry_point": spec.entry_point,
        "framework": spec.framework,
        "mode": spec.mode,
        "forbid": spec.forbid,
        "case_seconds": case_seconds,
        "timing": True,
        "cases": config_cases,
    }
    gpu_config, gpu_files, gpu_limits = gpu.sandbox_setup(spec.requires)
    config.update(gpu_config)
    shared = {
        "harness.py": harness_source(),
        "config.json": json.dumps(config).encode(),
        "inputs.npz": harness.to_npz(arrays),
        **gpu_files,
    }
    budget = STARTUP_SECONDS[spec.framework] + 2 * case_seconds * len(rounds)
    deadline = time.monotonic() + budget
    reference = _Live({**shared, "solution.py": spec.reference.encode()}, budget, gpu_limits)
    candidate = None
    try:
        candidate = _Live({**shared, "solution.py": source.encode("utf-8")}, budget, gpu_limits)
        outputs: dict[str, list[Any]] = {"reference": [], "candidate": []}
        cpu: dict[str, list[float]] = {"reference": [], "candidate": []}
        r = 0
        while r < len(rounds):
            if r == planned and relative_spread(cpu["reference"][WARMUP_ROUNDS:]) <= NOISY_SPREAD:
                break
            order = [("reference", reference), ("candidate", candidate)]
            if r % 2:
                order.reverse()
            for side, live in order:
                try:
                    seconds, output = live.round(f"round-{r}", deadline)
                except TimingFailed as exc:
                    if side == "reference":
                        raise TimingFailed(f"the reference failed while timed: {exc}") from exc
                    timing.message = f"Your code failed while timed: {exc}"
                    return timing
                cpu[side].append(seconds)
                outputs[side].append(output)
            r += 1
        timing.extra_rounds = r - planned
        for r in range(len(outputs["candidate"])):
            ok, why = compare(outputs["reference"][r], outputs["candidate"][r], case)
            if not ok:
                timing.message = f"Your code's output was wrong on the timed inputs (round {r}): {why}"
                return timing
        ref, cand = cpu["reference"][WARMUP_ROUNDS:], cpu["candidate"][WARMUP_ROUNDS:]
        timing.reference_cpu_ms = [round(s * 1000, 3) for s in ref]
        timing.candidate_cpu_ms = [round(s * 1000, 3) for s in cand]
        timing.ratios = [round(c / max(rf, 1e-6), 3) for c, rf in zip(cand, ref, strict=True)]
        timing.median_ratio = round(statistics.median(timing.ratios), 3)
        timing.spread = (min(timing.ratios), max(timing.ratios))
        timing.reference_noise = round(relative_spread(ref), 3)
        clock = "GPU" if spec.requires == "gpu" else "CPU"
        timing.within_budget = timing.median_ratio <= timing.budget_ratio
        timing.flagged = timing.median_ratio < 1 / FLAG_FASTER_THAN
        timing.message = (
            f"{clock} time {timing.median_ratio:.2f}x the reference's (median of {len(timing.ratios)} rounds, "
            f"{timing.spread[0]:.2f}-{timing.spread[1]:.2f}); the budget is {timing.budget_ratio:g}x. "
            f"The reference against itself varied {timing.reference_noise:.0%}"
            + (f", so {timing.extra_rounds} extra rounds were run." if timing.extra_rounds else ".")
        )
        return timing
    finally:
        reference.close()
        if candidate is not None:
            candidate.close()


def harness_source() -> bytes:
    with open(harness.__file__, "rb") as f:
        return f.read()


class _Live:
    """One sandboxed harness in timing mode, paced round by round."""

    def __init__(self, files: dict[str, bytes], wall_seconds: float, extra_limits: dict[str, Any]) -> None:
        _, venv = sandbox.python_paths()
        # Every timed round's inputs travel in one file, which bwrap writes under the
        # file-size limit: a large timed case times seven rounds can outgrow the default.
        largest = max(len(content) for content in files.values())
        limits = sandbox.Limits(
            wall_seconds=wall_seconds,
            cpu_seconds=int(wall_seconds) + 1,
            file_size=max(sandbox.Limits.file_size, largest + sandbox.MB),
            **extra_limits,
        )
        # On the GPU the harness's CUDA-event time (cuda_timer) replaces CPU time.
        self.on_gpu = bool(extra_limits)
        command, fds = sandbox.build_command(
            files, [f"{venv}/bin/python", "-I", "-B", "/task/harness.py"], limits, as_pid_1=True
        )
        try:
            self.proc = subprocess.Popen(
                command,
                env={},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                pass_fds=fds,
                start_new_session=True,
            )
        finally:
            for fd in fds:
                os.close(fd)
        self.buffer = b""
        self.pid = 0

    def _code_pid(self, deadline: float) -> int:
        """The sandboxed Python: bwrap's child (it runs as the sandbox's pid 1)."""
        while not self.pid:
            try:
                with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                    children = f.read().split()
            except OSError:
                children = []
            if children:
                self.pid = int(children[0])
            elif self.proc.poll() is not None or time.monotonic() > deadline:
                raise TimingFailed("the sandbox did not start")
            else:
                time.sleep(0.01)
        return self.pid

    def cpu_seconds(self) -> float:
        total = 0
        try:
            for tid in os.listdir(f"/proc/{self.pid}/task"):
                with open(f"/proc/{self.pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError) as exc:
            raise TimingFailed("the process ended") from exc
        return total / 1e9

    def send(self, byte: bytes) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(byte)
            self.proc.stdin.flush()
        except OSError as exc:
            raise TimingFailed("the process ended") from exc

    def _read(self, n: int, deadline: float) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while len(self.buffer) < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimingFailed("out of time")
            ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
            if ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    raise TimingFailed("the process ended")
                self.buffer += chunk
                if len(self.buffer) > 256 << 20:
                    raise TimingFailed("too much output")
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def frame(self, deadline: float) -> bytes:
        (length,) = struct.unpack(">Q", self._read(8, deadline))
        if length > 256 << 20:
            raise TimingFailed("too much output")
        return self._read(length, deadline)

    def event(self, deadline: float) -> dict[str, Any]:
        while True:
            try:
                event = json.loads(self.frame(deadline))
            except ValueError as exc:
                raise TimingFailed("unreadable output") from exc
            if not isinstance(event, dict):
                raise TimingFailed("unreadable output")
            if event.get("event") != "boot":  # the harness saying it started (runner.py reads it)
                return event

    def round(self, name: str, deadline: float) -> tuple[float, Any]:
        """Run one round: (CPU seconds of the call, its output)."""
        self._code_pid(deadline)
        ready = self.event(deadline)
        if ready.get("event") == "import_error":
            raise TimingFailed(f"could not import the code ({ready.get('error_type')})")
        if ready.get("event") != "ready" or ready.get("case") != name:
            raise TimingFailed("unexpected output")
        before = self.cpu_seconds()
        self.send(b"g")
        event = self.event(deadline)
        after = self.cpu_seconds()
        if event.get("event") != "timed" or event.get("case") != name:
            raise TimingFailed("unexpected output")
        seconds = after - before
        if self.on_gpu:
            gpu_ms = event.get("gpu_ms")
            if not isinstance(gpu_ms, int | float) or gpu_ms <= 0:
                raise TimingFailed("no GPU time reported")
            seconds = gpu_ms / 1000
        self.send(b"n")
        done = self.event(deadline)
        if done.get("event") != "done" or done.get("case") != name:
            raise TimingFailed("unexpected output")
        if done.get("status") != "ok":
            raise TimingFailed(str(done.get("error_type", "error"))[:200])
        try:
            output = harness.decode(done["tree"], read_outputs(self.frame(deadline)))
        except TimingFailed:
            raise
        except Exception as exc:
            raise TimingFailed("unreadable output") from exc
        return seconds, output

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.proc.wait()
