"""The GPU path (issue 12 item 6) without a GPU: the timing arithmetic, the worker heartbeat,
questions that `requires: gpu` kept out of plans until a GPU worker is registered, their
grades routed to the `gpu` queue, and the sandbox set up for the device. The CUDA-only
checks at the end skip where there is no CUDA device."""

import json
import os

import pytest
from celery.signals import after_task_publish
from django.core.cache import caches

from interviews import tasks
from interviews.bank.coding_loader import sync_coding
from interviews.execution import gpu, harness, sandbox
from interviews.execution.spec import load_spec, read_files
from interviews.grading.service import grade_queue, submit_answer
from interviews.models import Question
from tests.execution.conftest import CODING_DIR, needs_sandbox
from tests.factories import InterviewSessionFactory, QuestionSetFactory, SkillFactory

MB = 1 << 20


def _cuda() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


needs_cuda = pytest.mark.skipif(not _cuda(), reason="no CUDA device on this machine")


@pytest.fixture(autouse=True)
def no_gpu_worker():
    caches["shared"].delete(gpu.HEARTBEAT_KEY)
    yield
    caches["shared"].delete(gpu.HEARTBEAT_KEY)


def test_the_l2_flush_is_twice_the_cache_and_never_small():
    assert gpu.flush_bytes(50 * MB) == 100 * MB  # H100-sized L2
    assert gpu.flush_bytes(4 * MB) == 64 * MB
    assert gpu.flush_bytes(0) == gpu.flush_bytes(None) == 256 * MB  # unknown: larger than any L2


def test_the_round_time_is_the_median_of_its_runs():
    assert gpu.median_ms([3.0, 1.0, 100.0]) == 3.0  # one preempted run does not move it
    assert gpu.median_ms([1.0, 2.0, 3.0, 4.0]) == 2.5
    with pytest.raises(ValueError):
        gpu.median_ms([])


def test_requires_gpu_is_read_from_the_question_files():
    assert gpu.requires_gpu(read_files(CODING_DIR / "fused-softmax-gpu"))
    assert gpu.requires_gpu(read_files(CODING_DIR / "bandwidth-axpby-gpu"))
    assert not gpu.requires_gpu(read_files(CODING_DIR / "pairwise-distances"))
    assert not gpu.requires_gpu({"question.yaml": "prompt: |\n  requires: gpu\n"})  # not a top-level key


def test_a_worker_registers_by_heartbeat_and_only_a_gpu_worker_at_start(monkeypatch):
    assert not gpu.gpu_worker_registered()
    monkeypatch.delenv("BACKPROP_GPU_WORKER", raising=False)
    tasks.register_gpu_worker()  # a CPU worker starting: nothing
    assert not gpu.gpu_worker_registered()
    monkeypatch.setenv("BACKPROP_GPU_WORKER", "1")
    tasks.register_gpu_worker()
    assert gpu.gpu_worker_registered()
    caches["shared"].delete(gpu.HEARTBEAT_KEY)
    tasks.gpu_heartbeat()  # what beat schedules on the `gpu` queue
    assert gpu.gpu_worker_registered()


def test_the_heartbeat_is_scheduled_on_the_gpu_queue_and_expires(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["gpu-heartbeat"]
    assert entry["task"] == "interviews.tasks.gpu_heartbeat"
    assert entry["options"]["queue"] == "gpu" and entry["options"]["expires"] <= gpu.HEARTBEAT_SECONDS


@pytest.fixture
def coding_questions(db):
    specs = {slug: load_spec(CODING_DIR / slug) for slug in ("fused-softmax-gpu", "pairwise-distances")}
    skills = {s: SkillFactory(slug=s) for spec in specs.values() for s in spec.skills}
    sync_coding([(spec, read_files(spec.directory)) for spec in specs.values()], skills)
    return {slug: Question.objects.get(slug=slug) for slug in specs}


def test_gpu_questions_are_offered_only_while_a_gpu_worker_is_registered(coding_questions):
    on_gpu, on_cpu = coding_questions["fused-softmax-gpu"], coding_questions["pairwise-distances"]
    offered = set(Question.objects.exclude_unrunnable().values_list("pk", flat=True))
    assert on_cpu.pk in offered and on_gpu.pk not in offered
    gpu.register_gpu_worker()
    offered = set(Question.objects.exclude_unrunnable().values_list("pk", flat=True))
    assert {on_cpu.pk, on_gpu.pk} <= offered


def test_the_performance_criterion_is_in_the_rubric(coding_questions):
    question = coding_questions["fused-softmax-gpu"]
    last = question.criteria.order_by("order").last()
    spec = load_spec(CODING_DIR / "fused-softmax-gpu")
    assert last.text.startswith("Performance:") and last.points == spec.performance_points


@pytest.mark.django_db(transaction=True)
def test_a_gpu_answer_is_routed_to_the_gpu_queue(coding_questions):
    routed = []

    def record(sender=None, routing_key=None, **kwargs):
        routed.append((sender, routing_key))

    after_task_publish.connect(record, weak=False)
    try:
        question_set = QuestionSetFactory(questions=list(coding_questions.values()))
        session = InterviewSessionFactory(question_set=question_set)
        source = load_spec(CODING_DIR / "fused-softmax-gpu").reference
        on_gpu = submit_answer(session, coding_questions["fused-softmax-gpu"], source, 60)
        cpu_source = load_spec(CODING_DIR / "pairwise-distances").reference
        on_cpu = submit_answer(session, coding_questions["pairwise-distances"], cpu_source, 60)
    finally:
        after_task_publish.disconnect(record)
    assert grade_queue(on_gpu.grade.pk) == "gpu" and grade_queue(on_cpu.grade.pk) == "code"
    assert routed == [("interviews.tasks.grade_gpu_answer", "gpu"), ("interviews.tasks.grade_code_answer", "code")]


def test_a_gpu_sandbox_gets_the_device_the_timer_and_no_address_space_limit(monkeypatch):
    assert gpu.sandbox_setup("cpu") == ({}, {}, {})
    monkeypatch.setattr(gpu, "device_nodes", lambda: ["/dev/nvidia0", "/dev/nvidiactl"])
    config, files, limits = gpu.sandbox_setup("gpu")
    assert config == {"device": "cuda"}
    assert b"class CudaTimer" in files["cuda_timer.py"] and b"django" not in files["cuda_timer.py"]
    assert limits == {"devices": ("/dev/nvidia0", "/dev/nvidiactl"), "address_space": 0}


@needs_sandbox
def test_the_sandbox_binds_the_devices_it_is_given():
    limits = sandbox.Limits(devices=("/dev/null",), address_space=0)
    command, fds = sandbox.build_command({"a.txt": b"x"}, ["/bin/true"], limits)
    for fd in fds:
        os.close(fd)
    i = command.index("--dev-bind")
    assert command[i + 1 : i + 3] == ["/dev/null", "/dev/null"]
    assert "--as=unlimited" in command


def test_inputs_stay_put_on_the_cpu():
    import numpy as np

    value = {"x": np.ones(3), "pair": (1, 2)}
    assert harness.to_device(value, "cpu") is value


@needs_cuda
def test_the_cuda_timer_times_a_kernel():
    import torch

    from interviews.execution.cuda_timer import CudaTimer

    x = torch.randn(1 << 20, device="cuda")
    ms, out = CudaTimer().round(lambda: x * 2.0, repetitions=5)
    assert ms > 0 and out.device.type == "cuda"


@needs_cuda
@needs_sandbox
def test_the_reference_of_a_gpu_question_is_timed_on_the_gpu():
    from interviews.execution.timing import time_submission

    spec = load_spec(CODING_DIR / "bandwidth-axpby-gpu")
    timing = time_submission(spec, spec.reference)
    assert timing.median_ratio is not None and "GPU time" in timing.message, json.dumps(timing.message)
