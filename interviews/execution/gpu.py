"""The GPU path (issue 12 item 6): questions marked `requires: gpu` run on a `gpu` queue that
only a worker with CUDA consumes, and are offered only while such a worker is registered.

Registration is a heartbeat in the "shared" Django cache (Redis when REDIS_URL is set, else a file
cache under VAR_DIR, so the web process sees what a worker wrote): a worker started with
BACKPROP_GPU_WORKER=1 writes it when it starts, and `gpu_heartbeat`, scheduled by beat on
the `gpu` queue with a short expiry, renews it; only a GPU worker consumes that queue, so
without one the key lapses after HEARTBEAT_SECONDS and the questions leave the plans.

Timing on the GPU (`cuda_timer.CudaTimer`, shipped into the sandbox next to the harness): the inputs are on
the device before the clock starts; between repetitions a buffer larger than the L2 cache is
written so each run reads its inputs from memory, not from the previous run's cache; each
run is bracketed by CUDA events with a device-wide synchronise after it (a kernel launched on
another stream is still counted); the round's time is the median of its runs. The worker then
takes the median ratio over alternating rounds exactly as for CPU time (timing.py).

Known gap: CUDA events are read inside the sandboxed process, which the candidate's code
shares; the harness binds the event functions before importing that code, and a result
more than 3x faster than the reference goes to review, but a determined candidate could
still tamper with them. Not exercised on a GPU here: this machine has none."""

import os
import re
from typing import Any

from django.core.cache import caches

from interviews.execution.cuda_timer import MIN_FLUSH_BYTES, UNKNOWN_L2_FLUSH_BYTES, flush_bytes, median_ms

__all__ = ["MIN_FLUSH_BYTES", "UNKNOWN_L2_FLUSH_BYTES", "flush_bytes", "median_ms"]

HEARTBEAT_KEY = "backprop:gpu-worker"
HEARTBEAT_SECONDS = 180  # three missed beats (HEARTBEAT_EVERY) and the worker counts as gone
HEARTBEAT_EVERY = 60.0
GPU_QUEUE = "gpu"


def register_gpu_worker() -> None:
    caches["shared"].set(HEARTBEAT_KEY, os.uname().nodename, HEARTBEAT_SECONDS)


def gpu_worker_registered() -> bool:
    return bool(caches["shared"].get(HEARTBEAT_KEY))


_REQUIRES = re.compile(r"^requires:\s*['\"]?gpu['\"]?\s*$", re.MULTILINE)


def requires_gpu(coding_files: dict[str, str]) -> bool:
    """Whether a coding question's files say `requires: gpu` (a top-level key of its
    question.yaml, validated by spec.py; a line scan, so planning needs no YAML parse)."""
    return bool(_REQUIRES.search(coding_files.get("question.yaml", "")))


def device_nodes() -> list[str]:
    """The NVIDIA device files a GPU sandbox binds in (none on a machine without a GPU)."""
    try:
        names = os.listdir("/dev")
    except OSError:
        return []
    return sorted(f"/dev/{n}" for n in names if n.startswith("nvidia"))


def sandbox_setup(requires: str) -> tuple[dict[str, Any], dict[str, bytes], dict[str, Any]]:
    """What a sandboxed run adds for a question that requires a GPU: the harness's config
    (`device`), the timer's source next to the harness, and the Limits fields (the device
    files, no address-space limit). Nothing for a CPU question."""
    if requires != "gpu":
        return {}, {}, {}
    from interviews.execution import cuda_timer

    with open(cuda_timer.__file__, "rb") as f:
        timer_source = f.read()
    return {"device": "cuda"}, {"cuda_timer.py": timer_source}, {"devices": tuple(device_nodes()), "address_space": 0}
