"""CUDA-event timing, run by the harness inside a GPU sandbox (so: no Django, no app
imports; interviews.execution.gpu explains the method)."""

import statistics
from typing import Any

MB = 1 << 20
# Flush with twice the L2 (write-allocate caches keep part of what was written), never less
# than 64 MB; when the size is unknown, 256 MB is more than any current L2 (H100: 50 MB).
MIN_FLUSH_BYTES = 64 * MB
UNKNOWN_L2_FLUSH_BYTES = 256 * MB
REPETITIONS = 10  # runs per round; the round's time is their median


def flush_bytes(l2_cache_bytes: int | None) -> int:
    """How large a buffer to write between repetitions to evict the L2 cache."""
    if not l2_cache_bytes or l2_cache_bytes <= 0:
        return UNKNOWN_L2_FLUSH_BYTES
    return max(2 * l2_cache_bytes, MIN_FLUSH_BYTES)


def median_ms(samples: list[float]) -> float:
    if not samples:
        raise ValueError("no timed runs")
    return float(statistics.median(samples))


class CudaTimer:
    """Bound to torch's CUDA event and synchronise functions when created (before the
    candidate's code is imported), so later patches of torch.cuda do not reach it."""

    def __init__(self) -> None:
        import torch

        self._event = torch.cuda.Event
        self._elapsed = torch.cuda.Event.elapsed_time
        self._record = torch.cuda.Event.record
        self._synchronize = torch.cuda.synchronize
        properties = torch.cuda.get_device_properties(0)
        l2 = int(getattr(properties, "L2_cache_size", 0) or 0)
        self._flush = torch.empty(flush_bytes(l2) // 4, dtype=torch.float32, device="cuda")

    def round(self, run: Any, repetitions: int = REPETITIONS) -> tuple[float, Any]:
        """(median milliseconds of `repetitions` runs of run(), the last run's output)."""
        samples: list[float] = []
        output = None
        for _ in range(repetitions):
            self._flush.fill_(1.0)  # evict the L2: the next run reads its inputs from memory
            start, end = self._event(enable_timing=True), self._event(enable_timing=True)
            self._synchronize()
            self._record(start)
            output = run()
            self._record(end)
            self._synchronize()  # device-wide: work on any stream is finished
            samples.append(self._elapsed(start, end))
        return median_ms(samples), output
