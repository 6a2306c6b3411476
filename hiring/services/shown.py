"""Numbers as the results and review pages print them, worked out once per value in Python
rather than by template filters in their row loops: on a page of hundreds of figures,
`floatformat` and the localisation of every printed number (format lookups per value)
cost several milliseconds. Under this project's settings (en-us, no thousands separator)
these give the same text as the filters (tests/hiring/test_shown.py compares them)."""

from decimal import ROUND_HALF_UP, Decimal


def fixed(value: float | int | None, places: int) -> str:
    """What `{{ value|floatformat:places }}` prints (places >= 0): rounded half up from the
    value's shortest repr, never "-0"; "" for None."""
    if value is None:
        return ""
    rounded = Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(
        Decimal(1).scaleb(-places), ROUND_HALF_UP
    )
    if not rounded:
        rounded = abs(rounded)  # floatformat drops the sign of a value that rounds to zero
    return f"{rounded:f}"
