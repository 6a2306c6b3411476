"""Numbers stated in an answer, with their units, checked against a question's numeric key.

Every number is read with its unit (k, M, G, billion, KB/MB/GB/GiB, ns/ms/s/min/h, %,
FLOP/GFLOP, e notation, fractions such as 3/4, thousands separators) and converted to the
key's unit before comparing within the tolerance. A correct number anywhere counts;
"wrong" means numbers were stated and none of them is the key."""

import math
import re
from dataclasses import dataclass

# unit word -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "%": ("fraction", 0.01),
    "percent": ("fraction", 0.01),
    "pct": ("fraction", 0.01),
    "b": ("bytes", 1.0),
    "byte": ("bytes", 1.0),
    "bytes": ("bytes", 1.0),
    "kb": ("bytes", 1e3),
    "mb": ("bytes", 1e6),
    "gb": ("bytes", 1e9),
    "tb": ("bytes", 1e12),
    "kib": ("bytes", 2.0**10),
    "mib": ("bytes", 2.0**20),
    "gib": ("bytes", 2.0**30),
    "tib": ("bytes", 2.0**40),
    "ns": ("seconds", 1e-9),
    "us": ("seconds", 1e-6),
    "µs": ("seconds", 1e-6),
    "ms": ("seconds", 1e-3),
    "s": ("seconds", 1.0),
    "sec": ("seconds", 1.0),
    "secs": ("seconds", 1.0),
    "second": ("seconds", 1.0),
    "seconds": ("seconds", 1.0),
    "min": ("seconds", 60.0),
    "mins": ("seconds", 60.0),
    "minute": ("seconds", 60.0),
    "minutes": ("seconds", 60.0),
    "h": ("seconds", 3600.0),
    "hr": ("seconds", 3600.0),
    "hrs": ("seconds", 3600.0),
    "hour": ("seconds", 3600.0),
    "hours": ("seconds", 3600.0),
    "flop": ("flop", 1.0),
    "flops": ("flop", 1.0),
    "kflop": ("flop", 1e3),
    "mflop": ("flop", 1e6),
    "gflop": ("flop", 1e9),
    "gflops": ("flop", 1e9),
    "tflop": ("flop", 1e12),
    "tflops": ("flop", 1e12),
    "pflop": ("flop", 1e15),
}
# Plain scale words and suffixes: the dimension is whatever follows ("1.3 billion parameters").
SCALES: dict[str, float] = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "g": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "trillion": 1e12,
}

SPRAY_MIN = 30
# Numbers joined by arithmetic or "=": the working of a calculation.
_OPERAND = r"[-−]?[\d.,/()]*\d[\d.,/()]*"
WORKING = re.compile(rf"{_OPERAND}(?:\s*[-+*/^=×÷−]\s*{_OPERAND})+")
NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>[-−])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s*/\s*(?P<den>\d+(?:\.\d+)?)(?![\d.]))?"
    r"(?:\s*(?:[eE](?P<exp>[-+]?\d+)|[x×*]\s*10\s*\^\s*(?P<exp10>[-+]?\d+)))?"
    r"(?:\s*(?P<unit>%|µs|[A-Za-z]+))?"
)


@dataclass(frozen=True)
class Quantity:
    value: float  # in the stated unit, scale applied ("3.5k" -> 3500)
    dimension: str  # "" when no unit was stated
    factor: float  # to the dimension's base unit
    text: str
    unit: str = ""  # as written


def _unit(word: str | None) -> tuple[str, float, float] | None:
    """(dimension, factor, scale) for a unit word, or None when it is not one."""
    if not word:
        return None
    lower = word.lower()
    if word in ("B",):
        return ("bytes", 1.0, 1.0)
    if lower in UNITS:
        dimension, factor = UNITS[lower]
        return (dimension, factor, 1.0)
    if lower in SCALES and (word in ("k", "K", "M", "G", "T", "bn", "Mn") or len(lower) > 2):
        return ("", 1.0, SCALES[lower])
    return None


def parse_unit(text: str) -> tuple[str, float, float]:
    """The key's unit ("GiB", "%", "billion parameters", "ms") as (dimension, factor, scale)."""
    first = (text or "").strip().split()
    return _unit(first[0]) if first and _unit(first[0]) else ("", 1.0, 1.0)  # type: ignore[return-value]


def quantities(text: str, limit: int = 500) -> list[Quantity]:
    found = []
    for match in NUMBER.finditer(text):
        try:
            value = float(match["num"].replace(",", ""))
            if match["den"]:
                denominator = float(match["den"])
                if denominator == 0:
                    continue
                value /= denominator
            exponent = match["exp"] or match["exp10"]
            if exponent:
                value *= 10.0 ** int(exponent)
        except (ValueError, OverflowError):
            continue
        if match["sign"]:
            value = -value
        unit = _unit(match["unit"])
        dimension, factor, scale = unit if unit else ("", 1.0, 1.0)
        if not math.isfinite(value):
            continue
        found.append(
            Quantity(
                value=value * scale,
                dimension=dimension,
                factor=factor,
                text=(match.group(0) if unit else text[match.start() : match.start("unit")]).strip()
                if match["unit"]
                else match.group(0).strip(),
                unit=match["unit"] or "",
            )
        )
        if len(found) >= limit:
            break
    return found


@dataclass(frozen=True)
class NumericCheck:
    status: str  # "correct", "wrong", "none" (no number stated) or "sprayed"
    stated: str  # the matching number as written, or the last one stated

    @property
    def correct(self) -> bool:
        return self.status == "correct"


def matches(quantity: Quantity, value: float, tolerance: float, unit: str) -> bool:
    key_dimension, key_factor, key_scale = parse_unit(unit)
    key = value * key_scale
    tol = max(abs(tolerance) * key_scale, 1e-9 * max(1.0, abs(key)))
    candidates = [quantity.value]
    if quantity.dimension and quantity.dimension == key_dimension:
        candidates = [quantity.value * quantity.factor / key_factor]
    elif quantity.dimension == "fraction" and not key_dimension:
        candidates.append(quantity.value / 100)  # "72.7%" for a key of 0.727
    elif key_dimension == "fraction" and not quantity.dimension:
        candidates.append(quantity.value * 100)  # "0.833" for a key of 83.3 %
    if quantity.unit == "B" and key_dimension != "bytes":
        candidates.append(quantity.value * 1e9)  # "1.3B parameters"
    if not quantity.dimension and key_scale != 1.0:
        candidates.append(quantity.value * key_scale)  # "28.9" for 28.9 billion
    return any(abs(c - key) <= tol for c in candidates)


def check(
    answer: str, value: float | None, tolerance: float | None, unit: str = "", reference: str = ""
) -> NumericCheck | None:
    """Whether the answer states the key anywhere. None for questions without a key. An
    answer that sprays numbers (far more than the worked reference answer, or mostly
    numbers) earns nothing for one of them happening to be the key."""
    if value is None:
        return None
    stated = quantities(answer)
    if not stated:
        return NumericCheck("none", "")
    words = len(re.findall(r"[A-Za-z]{2,}", answer))
    # "Mostly numbers" counts the numbers stated on their own, not the operands of the
    # working: a worked answer ("1 - (0.75^2 + 0.25^2) = 0.375. ...") has more numbers than
    # words and was refused as a spray.
    standalone = quantities(WORKING.sub(" ", answer))
    if len(stated) > max(SPRAY_MIN, 2 * len(quantities(reference))) or (
        len(standalone) > SPRAY_MIN / 2 and len(standalone) > words
    ):
        return NumericCheck("sprayed", "")
    # The last match is quoted: a final result comes after the working ("0.100 / 17.43 =
    # about 0.58%" quotes "0.58%", not the fraction that also evaluates to it).
    for quantity in reversed(stated):
        if matches(quantity, value, tolerance or 0.0, unit):
            return NumericCheck("correct", quantity.text)
    return NumericCheck("wrong", stated[-1].text)
