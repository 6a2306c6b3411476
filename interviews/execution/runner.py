"""Grade a candidate's code against an executable question.

Trusted side (this process): the AST scan for forbidden calls, the inputs (generated from
seeds), the expected outputs (the reference, run here), the comparison and the score.
Sandboxed side (one bwrap process for all cases, restarted for the remaining cases if a case
kills it): the candidate's code, fed inputs only."""

import ast
import json
import struct
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from interviews.execution import gpu, harness, sandbox
from interviews.execution.compare import compare, preview, read_outputs
from interviews.execution.spec import Case, CodingSpec

HARNESS_SOURCE = Path(harness.__file__).read_bytes()
CASE_SECONDS = 10.0
# Starting Python (and for torch questions `import torch`, about 2 CPU-seconds, more on a busy
# machine) before the first case runs.
STARTUP_SECONDS = {"numpy": 15.0, "torch": 45.0}
MAX_ATTEMPTS = 4


@dataclass
class CaseResult:
    name: str
    visible: bool
    points: int
    earned: int = 0
    # passed | wrong | error | timeout | crashed | not_run
    status: str = "not_run"
    message: str = ""
    error_type: str = ""
    traceback: str = ""
    inputs: str = ""
    expected: str = ""
    actual: str = ""
    seconds: float | None = None

    def public(self) -> dict[str, Any]:
        """What the candidate may see: hidden cases show only pass/fail and the error type."""
        if self.visible:
            return asdict(self)
        return {
            "name": self.name,
            "visible": False,
            "points": self.points,
            "earned": self.earned,
            "status": self.status,
            "error_type": self.error_type,
        }


@dataclass
class RunResult:
    # graded | not_gradable (syntax/import error: no score) | refused (forbidden call)
    status: str
    score: int = 0
    max_points: int = 0
    message: str = ""
    traceback: str = ""
    cases: list[CaseResult] = field(default_factory=list)
    log: str = ""
    attempts: int = 0
    sandbox_seconds: float = 0.0
    # Performance questions: interviews.execution.timing.Timing as a dict.
    performance: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cases"] = [c.public() for c in self.cases]
        return data


def forbidden_uses(source: str, forbid: list[str]) -> list[str]:
    """Forbidden dotted names the code refers to, through imports and aliases or by the bare
    final name (also as a string, which catches getattr(F, "name")). Raises SyntaxError."""
    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    finals = {name.rsplit(".", 1)[-1]: name for name in forbid}
    found: set[str] = set()
    for node in ast.walk(tree):
        dotted = _dotted(node, aliases)
        if dotted:
            for name in forbid:
                if dotted == name or dotted.startswith(name + "."):
                    found.add(name)
        if isinstance(node, ast.Attribute) and node.attr in finals:
            found.add(finals[node.attr])
        elif isinstance(node, ast.Name) and node.id in finals:
            found.add(finals[node.id])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in finals:
            found.add(finals[node.value])
        elif isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] in finals:
            found.add(finals[node.name.rsplit(".", 1)[-1]])
    return sorted(found)


def precheck(source: str, forbid: list[str]) -> str:
    """Why the code cannot be run at all (a syntax error, a forbidden call), or "". Checked
    when the answer is submitted too, so such an answer is refused with the reason instead
    of using up the candidate's answer."""
    try:
        refused = forbidden_uses(source, forbid)
    except SyntaxError as exc:
        return f"Your code has a syntax error on line {exc.lineno}: {exc.msg}"
    if refused:
        return "This question asks you not to use: " + ", ".join(refused)
    return ""


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    head = aliases.get(node.id, node.id)
    return ".".join([head, *reversed(parts)])


def case_inputs(spec: CodingSpec, case: Case, inputs_module: Any) -> dict[str, Any]:
    """One case's keyword arguments, generated from its seed or taken literally."""
    if case.inputs is not None:
        dtype = np.dtype(case.dtype) if case.dtype else np.float64
        return {k: (np.asarray(v, dtype=dtype) if isinstance(v, list) else v) for k, v in case.inputs.items()}
    generator = getattr(inputs_module, case.generator)
    return dict(generator(np.random.default_rng(case.seed), **case.args))


def expected_output(spec: CodingSpec, reference: Any, inputs: dict[str, Any]) -> Any:
    """The reference's output for these inputs, normalised to NumPy like the candidate's."""
    result = harness.invoke(getattr(reference, spec.entry_point), inputs, spec.framework, spec.mode)
    tree, arrays = harness.encode(result)
    return harness.decode(tree, {k: np.array(v, copy=True) for k, v in arrays.items()})


def grade(
    spec: CodingSpec,
    source: str,
    *,
    visible_only: bool = False,
    case_seconds: float = CASE_SECONDS,
    startup_seconds: float | None = None,
    total_seconds: float | None = None,
) -> RunResult:
    """Run the candidate's source against the question's cases (only the visible ones for a
    "Run visible tests" request) and score it. Never raises for anything the code does."""
    cases = [c for c in spec.cases if c.visible or not visible_only]
    max_points = sum(c.points for c in cases)
    try:
        refused = forbidden_uses(source, spec.forbid)
    except SyntaxError as exc:
        return RunResult(
            status="not_gradable",
            max_points=max_points,
            message=f"Your code has a syntax error on line {exc.lineno}: {exc.msg}",
            traceback="".join(traceback.format_exception_only(type(exc), exc)),
        )
    if refused:
        return RunResult(
            status="refused",
            max_points=max_points,
            message="This question asks you not to use: " + ", ".join(refused),
            cases=[CaseResult(name=c.name, visible=c.visible, points=c.points) for c in cases],
        )

    inputs_module, reference = spec.module("inputs"), spec.module("reference")
    checker = spec.module("checker") if spec.checker == "custom" else None
    all_inputs = {c.name: case_inputs(spec, c, inputs_module) for c in cases}
    expected = {c.name: expected_output(spec, reference, all_inputs[c.name]) for c in cases}

    results = {c.name: CaseResult(name=c.name, visible=c.visible, points=c.points) for c in cases}
    outputs: dict[str, Any] = {}
    remaining = list(cases)
    run = RunResult(status="graded", max_points=max_points)
    logs: list[str] = []
    total = total_seconds if total_seconds is not None else _default_total()
    while remaining and run.attempts < MAX_ATTEMPTS and run.sandbox_seconds < total:
        run.attempts += 1
        events, arrays_by_case, outcome = _run_sandbox(
            spec, source, remaining, all_inputs, case_seconds, startup_seconds or STARTUP_SECONDS[spec.framework]
        )
        events = _well_formed(events, {c.name for c in remaining})
        run.sandbox_seconds += outcome.wall_seconds
        if not any(e["event"] == "boot" for e in events):
            # Python never reached the candidate's code (no interpreter, a missing library,
            # a machine too busy to start it in time): not the answer's fault, so no score;
            # the grade is retried, then shown as failed to staff.
            raise sandbox.SandboxUnavailable(
                "The sandbox did not start Python" + (f": {outcome.log.strip()[-300:]}" if outcome.log.strip() else ".")
            )
        if outcome.log:
            logs.append(outcome.log)
        import_error = next((e for e in events if e["event"] == "import_error"), None)
        if import_error:
            run.status = "not_gradable"
            run.message = f"Your code could not be imported: {import_error['error_type']}"
            run.traceback = import_error["traceback"]
            break
        started = [e["case"] for e in events if e["event"] == "start"]
        for event in events:
            if event["event"] != "done":
                continue
            result = results[event["case"]]
            result.seconds = round(float(event.get("seconds", 0.0)), 4)
            if event["status"] == "ok":
                try:
                    outputs[event["case"]] = harness.decode(event["tree"], arrays_by_case.get(event["case"], {}))
                    result.status = "done"
                except Exception:
                    result.status = "error"
                    result.error_type = "MalformedOutput"
                    result.message = "The output could not be read back."
            else:
                result.status = "timeout" if event["error_type"] == "CaseTimeout" else "error"
                result.error_type = event["error_type"]
                result.traceback = event["traceback"]
        finished = {e["case"] for e in events if e["event"] == "done"}
        unfinished = [name for name in started if name not in finished]
        if unfinished:
            # The process died (or was killed) inside this case: blame it, go on with the rest.
            culprit = results[unfinished[-1]]
            culprit.status = "timeout" if outcome.timed_out else "crashed"
            culprit.error_type = "Timeout" if outcome.timed_out else "OutputLimit" if outcome.log_overflow else "Crash"
            culprit.message = _death_message(outcome)
        elif not started:
            # Nothing ran at all (startup failed or was killed): do not retry forever.
            for c in remaining:
                results[c.name].status = "crashed"
                results[c.name].message = _death_message(outcome) or "The sandbox did not start your code."
            break
        done = finished | set(unfinished)
        remaining = [c for c in remaining if c.name not in done]
    if run.status == "graded":
        for c in remaining:
            results[c.name].message = "Not run: earlier cases used up the submission's time or restarts."

    for case in cases:
        result = results[case.name]
        if result.status == "done":
            actual = outputs[case.name]
            try:
                if checker is not None:
                    ok, why = checker.check(all_inputs[case.name], expected[case.name], actual)
                else:
                    ok, why = compare(expected[case.name], actual, case)
            except Exception as exc:  # a checker error is ours: fail the case, say so
                ok, why = False, f"the checker failed on this output: {type(exc).__name__}"
            result.status = "passed" if ok else "wrong"
            result.earned = case.points if ok else 0
            result.message = why
            if case.visible:
                result.actual = preview(actual)
        if case.visible:
            result.inputs = preview(all_inputs[case.name])
            result.expected = preview(expected[case.name])
    run.cases = [results[c.name] for c in cases]
    run.score = sum(r.earned for r in run.cases)
    run.log = "\n".join(logs)[: 64 * 1024]
    if spec.performance is not None and not visible_only and run.status == "graded":
        run.performance = _time(spec, source)
    return run


def _time(spec: CodingSpec, source: str) -> dict[str, Any]:
    from interviews.execution.timing import Timing, TimingFailed, time_submission

    assert spec.performance is not None
    try:
        return asdict(time_submission(spec, source))
    except TimingFailed as exc:
        # The reference itself failed: ours to fix, reported rather than blamed on the code.
        failed = Timing(budget_ratio=spec.performance.budget_ratio, rounds=spec.performance.rounds)
        failed.message = f"Timing could not be done: {exc}"
        return asdict(failed)


def _default_total() -> float:
    from django.conf import settings

    return float(getattr(settings, "CODE_RUN_SECONDS", 240))


def _death_message(outcome: sandbox.Outcome) -> str:
    if outcome.timed_out:
        return "Your code ran out of time."
    if outcome.results_truncated:
        return "Your code returned too much data."
    if outcome.log_overflow:
        return "Your code printed too much output."
    if outcome.returncode is not None and outcome.returncode < 0:
        return f"Your code was killed (signal {-outcome.returncode})."
    if outcome.returncode:
        return f"Your code's process exited with status {outcome.returncode}."
    return ""


def _run_sandbox(
    spec: CodingSpec,
    source: str,
    cases: list[Case],
    all_inputs: dict[str, dict[str, Any]],
    case_seconds: float,
    startup_seconds: float,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, np.ndarray]], sandbox.Outcome]:
    arrays: dict[str, np.ndarray] = {}
    config_cases = []
    for case in cases:
        tree, _ = harness.encode(all_inputs[case.name], arrays)
        config_cases.append({"name": case.name, "inputs": tree})
    gpu_config, gpu_files, gpu_limits = gpu.sandbox_setup(spec.requires)
    config = {
        "entry_point": spec.entry_point,
        "framework": spec.framework,
        "mode": spec.mode,
        "forbid": spec.forbid,
        "case_seconds": case_seconds,
        "cases": config_cases,
        **gpu_config,
    }
    files = {
        "harness.py": HARNESS_SOURCE,
        "solution.py": source.encode("utf-8"),
        "config.json": json.dumps(config).encode(),
        "inputs.npz": harness.to_npz(arrays),
        **gpu_files,
    }
    budget = startup_seconds + case_seconds * len(cases)
    limits = sandbox.Limits(wall_seconds=budget, cpu_seconds=int(budget) + 1, **gpu_limits)
    _, venv = sandbox.python_paths()
    outcome = sandbox.run(files, [f"{venv}/bin/python", "-I", "-B", "/task/harness.py"], limits)
    events, arrays_by_case = _parse(outcome.results)
    return events, arrays_by_case, outcome


def _well_formed(events: list[dict[str, Any]], names: set[str]) -> list[dict[str, Any]]:
    """Events as the harness writes them; the candidate's code shares the harness's process
    and could write on its channel, so anything else is dropped rather than trusted."""
    kept: list[dict[str, Any]] = []
    for e in events:
        kind = e.get("event")
        if kind == "boot":
            kept.append({"event": kind})
        elif kind == "import_error":
            kept.append(
                {
                    "event": kind,
                    "error_type": str(e.get("error_type", "")),
                    "traceback": str(e.get("traceback", ""))[:4000],
                }
            )
        elif kind in ("start", "done") and e.get("case") in names:
            if kind == "done":
                if e.get("status") == "ok" and not isinstance(e.get("tree"), dict):
                    continue
                if e.get("status") not in ("ok", "error"):
                    continue
                e = {
                    **e,
                    "error_type": str(e.get("error_type", ""))[:200],
                    "traceback": str(e.get("traceback", ""))[:4000],
                    "seconds": e.get("seconds") if isinstance(e.get("seconds"), int | float) else 0.0,
                }
            kept.append(e)
    return kept


def _parse(data: bytes) -> tuple[list[dict[str, Any]], dict[str, dict[str, np.ndarray]]]:
    """Frames from the harness; a torn or malformed tail (the process died mid-write, or the
    code scribbled on the channel) ends the stream there."""
    events: list[dict[str, Any]] = []
    arrays: dict[str, dict[str, np.ndarray]] = {}
    offset = 0
    pending: str | None = None
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">Q", data[offset : offset + 8])
        payload = data[offset + 8 : offset + 8 + length]
        if len(payload) < length:
            break
        offset += 8 + length
        try:
            if pending is not None:
                arrays[pending] = read_outputs(payload)
                pending = None
                continue
            event = json.loads(payload)
            if not isinstance(event, dict) or "event" not in event:
                break
        except Exception:
            break
        if event["event"] == "done" and event.get("arrays"):
            pending = event["case"]
        events.append(event)
    if pending is not None:
        # A "done" whose arrays never arrived: treat the case as unfinished.
        events = [e for e in events if not (e["event"] == "done" and e["case"] == pending)]
    return events, arrays
