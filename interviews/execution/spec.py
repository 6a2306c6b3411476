"""An executable question as content files: `interviews/bank/coding/<slug>/` with
question.yaml, starter.py, reference.py, inputs.py and (for a custom checker) checker.py.

The format is fixed by a shared spec (several authors write questions against it), so the
validation here is strict and every message names the directory and the field."""

import ast
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from interviews import safe_yaml

FRAMEWORKS = {"numpy", "torch"}
MODES = {"function", "autograd"}
REQUIRES = {"cpu", "gpu"}
CHECKERS = {"default", "custom"}
DEFAULT_RTOL = 1e-5
DEFAULT_ATOL = 1e-8
REQUIRED_KEYS = {"slug", "kind", "difficulty", "skills", "title", "prompt", "entry_point", "framework", "cases"}
CASE_KEYS = {
    "name",
    "visible",
    "points",
    "generator",
    "args",
    "seed",
    "inputs",
    "dtype",
    "rtol",
    "atol",
    "dtype_strict",
}


class SpecError(ValueError):
    pass


@dataclass(frozen=True)
class Case:
    name: str
    visible: bool
    points: int
    generator: str = ""
    args: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    inputs: dict[str, Any] | None = None
    dtype: str = ""
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    dtype_strict: bool | None = None


@dataclass(frozen=True)
class Performance:
    budget_ratio: float
    rounds: int = 5
    # Points for speed, on top of the cases' points; 0 means "a third of the cases' points,
    # rounded up" (CodingSpec.performance_points), so speed is about a quarter of the score.
    points: int = 0


@dataclass(frozen=True)
class CodingSpec:
    directory: Path
    slug: str
    difficulty: int
    skills: list[str]
    title: str
    prompt: str
    entry_point: str
    framework: str
    mode: str
    requires: str
    checker: str
    forbid: list[str]
    performance: Performance | None
    cases: list[Case]
    starter: str
    reference: str
    inputs_source: str
    checker_source: str
    raw: dict[str, Any]

    @property
    def max_points(self) -> int:
        return sum(c.points for c in self.cases)

    @property
    def performance_points(self) -> int:
        if self.performance is None:
            return 0
        return self.performance.points or -(-self.max_points // 3)

    def case(self, name: str) -> Case:
        return next(c for c in self.cases if c.name == name)

    def module(self, which: str) -> ModuleType:
        """reference, inputs or checker, imported from its source under a private name
        (trusted side only: these never reach the candidate's sandbox)."""
        source = {"reference": self.reference, "inputs": self.inputs_source, "checker": self.checker_source}[which]
        return load_source(f"_coding_{self.slug.replace('-', '_')}_{which}", source, self.directory / f"{which}.py")


def load_source(name: str, source: str, filename: Path | str) -> ModuleType:
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module.__file__ = str(filename)
    exec(compile(source, str(filename), "exec"), module.__dict__)
    return module


def _defines(source: str, name: str) -> bool:
    tree = ast.parse(source)
    return any(
        isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef) and node.name == name
        for node in tree.body
    )


FILES = ("question.yaml", "starter.py", "reference.py", "inputs.py", "checker.py")


def read_files(directory: Path) -> dict[str, str]:
    """The question's files as text (what the loader stores, so a version can be rebuilt)."""
    return {name: (directory / name).read_text(encoding="utf-8") for name in FILES if (directory / name).is_file()}


def load_spec(directory: Path) -> CodingSpec:
    return build_spec(directory.name, read_files(directory), directory)


def build_spec(where: str, files: dict[str, str], directory: Path | None = None) -> CodingSpec:
    """Validate a question from its files' text; SpecError lists every problem found."""
    directory = directory or Path(where)
    errors: list[str] = []

    def read(name: str, required: bool = True) -> str:
        if name not in files:
            if required:
                errors.append(f"{where}: missing {name}")
            return ""
        return files[name]

    try:
        raw = safe_yaml.load(read("question.yaml")) or {}
    except yaml.YAMLError as exc:
        raise SpecError(f"{where}: question.yaml is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: question.yaml must be a mapping")
    starter, reference, inputs_source = read("starter.py"), read("reference.py"), read("inputs.py")
    checker_source = read("checker.py", required=raw.get("checker") == "custom")

    missing = REQUIRED_KEYS - raw.keys()
    if missing:
        errors.append(f"{where}: question.yaml misses {sorted(missing)}")
        raise SpecError("\n".join(errors))
    if raw["slug"] != where:
        errors.append(f"{where}: slug {raw['slug']!r} differs from the directory name")
    if raw["kind"] != "coding":
        errors.append(f"{where}: kind must be 'coding'")
    if not isinstance(raw["difficulty"], int) or not 1 <= raw["difficulty"] <= 5:
        errors.append(f"{where}: difficulty must be an integer 1-5")
    framework, mode = raw["framework"], raw.get("mode", "function")
    requires, checker = raw.get("requires", "cpu"), raw.get("checker", "default")
    for value, allowed, label in (
        (framework, FRAMEWORKS, "framework"),
        (mode, MODES, "mode"),
        (requires, REQUIRES, "requires"),
        (checker, CHECKERS, "checker"),
    ):
        if value not in allowed:
            errors.append(f"{where}: {label} {value!r} is not one of {sorted(allowed)}")
    if mode == "autograd" and framework != "torch":
        errors.append(f"{where}: mode autograd needs framework torch")
    if not str(raw["prompt"]).strip():
        errors.append(f"{where}: empty prompt")
    entry = raw["entry_point"]
    for label, source in (("starter.py", starter), ("reference.py", reference)):
        if not source:
            continue
        try:
            if not _defines(source, entry):
                errors.append(f"{where}: {label} does not define {entry}")
        except SyntaxError as exc:
            errors.append(f"{where}: {label} has a syntax error: {exc}")
    if checker == "custom" and checker_source and not _defines(checker_source, "check"):
        errors.append(f"{where}: checker.py does not define check")

    performance = None
    if raw.get("performance"):
        perf = raw["performance"]
        ratio = perf.get("budget_ratio") if isinstance(perf, dict) else None
        if not isinstance(ratio, int | float) or ratio <= 0:
            errors.append(f"{where}: performance.budget_ratio must be a positive number")
        else:
            points = perf.get("points", 0)
            if not isinstance(points, int) or points < 0:
                errors.append(f"{where}: performance.points must be a whole number >= 0")
            else:
                performance = Performance(budget_ratio=float(ratio), rounds=int(perf.get("rounds", 5)), points=points)

    cases: list[Case] = []
    generators = _top_level_functions(inputs_source) if inputs_source else set()
    for i, entry_case in enumerate(raw["cases"] or []):
        label = f"{where}: case {entry_case.get('name', i) if isinstance(entry_case, dict) else i}"
        if not isinstance(entry_case, dict):
            errors.append(f"{label}: must be a mapping")
            continue
        unknown = entry_case.keys() - CASE_KEYS
        if unknown:
            errors.append(f"{label}: unknown keys {sorted(unknown)}")
        name = entry_case.get("name")
        points = entry_case.get("points")
        if not name or not isinstance(points, int) or points < 0 or not isinstance(entry_case.get("visible"), bool):
            errors.append(f"{label}: needs name, visible (true/false) and integer points")
            continue
        if any(c.name == name for c in cases):
            errors.append(f"{label}: duplicate case name")
        has_generator, has_inputs = "generator" in entry_case, "inputs" in entry_case
        if has_generator == has_inputs:
            errors.append(f"{label}: give exactly one of generator or inputs")
        elif has_generator and entry_case["generator"] not in generators:
            errors.append(f"{label}: inputs.py has no generator {entry_case['generator']!r}")
        if has_inputs and not isinstance(entry_case["inputs"], dict):
            errors.append(f"{label}: inputs must be a mapping of argument names to values")
        cases.append(
            Case(
                name=name,
                visible=entry_case["visible"],
                points=points,
                generator=entry_case.get("generator", ""),
                args=dict(entry_case.get("args") or {}),
                seed=int(entry_case.get("seed", 0)),
                inputs=entry_case.get("inputs"),
                dtype=entry_case.get("dtype", ""),
                rtol=float(entry_case.get("rtol", DEFAULT_RTOL)),
                atol=float(entry_case.get("atol", DEFAULT_ATOL)),
                dtype_strict=entry_case.get("dtype_strict"),
            )
        )
    if not any(c.visible for c in cases) or all(c.visible for c in cases):
        errors.append(f"{where}: needs at least one visible and one hidden case")
    if errors:
        raise SpecError("\n".join(errors))
    return CodingSpec(
        directory=directory,
        slug=raw["slug"],
        difficulty=raw["difficulty"],
        skills=list(raw["skills"]),
        title=str(raw["title"]).strip(),
        prompt=str(raw["prompt"]).strip(),
        entry_point=entry,
        framework=framework,
        mode=mode,
        requires=requires,
        checker=checker,
        forbid=list(raw.get("forbid") or []),
        performance=performance,
        cases=cases,
        starter=starter,
        reference=reference,
        inputs_source=inputs_source,
        checker_source=checker_source,
        raw=raw,
    )


def _top_level_functions(source: str) -> set[str]:
    try:
        return {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
    except SyntaxError:
        return set()
