"""The escape suite: each attack runs as a candidate's submission to the NumPy softmax
question. An attack that worked would return the right answer (so the case would pass); a
contained one raises or is killed. Each must come back as a failed case, never a crashed
worker, and the other cases of the same submission must still run and pass."""

import os
import socket
import threading

import pytest

from interviews.execution.runner import grade
from tests.execution.conftest import CODING_DIR, needs_sandbox

pytestmark = needs_sandbox

# The attack runs in the first visible case only (a 4-vector); every other case gets a
# correct softmax, so a contained attack scores max_points - 1.
TEMPLATE = """
import numpy as np


def attack():
{attack}


def softmax(x, axis=-1):
    if x.shape == (4,):
        attack()
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
"""


def submit(spec, attack: str, **kwargs):
    body = "\n".join("    " + line for line in attack.strip().splitlines())
    kwargs.setdefault("case_seconds", 3.0)
    kwargs.setdefault("startup_seconds", 10.0)
    return grade(spec, TEMPLATE.format(attack=body), **kwargs)


def assert_contained(result, statuses=("error",)):
    """The attacked case failed; every other case passed."""
    by_name = {c.name: c for c in result.cases}
    attacked = by_name["small-vector"]
    assert result.status == "graded"
    assert attacked.status in statuses, attacked
    assert attacked.earned == 0
    assert result.score == result.max_points - attacked.points
    return attacked


def test_writing_outside_the_work_dir_fails(softmax_spec, tmp_path):
    targets = [tmp_path / "pwned", "/usr/pwned", f"{os.path.realpath(os.sys.prefix)}/pwned", "/task/solution.py"]
    attack = "\n".join(
        f"try:\n    open({str(t)!r}, 'w').write('x')\n    return\nexcept OSError:\n    pass" for t in targets
    )
    attack += "\nraise PermissionError('no writable place outside /tmp')"
    attacked = assert_contained(submit(softmax_spec, attack))
    assert attacked.error_type == "PermissionError"
    assert not (tmp_path / "pwned").exists()
    assert not os.path.exists("/usr/pwned")


def test_filling_the_disk_is_stopped(softmax_spec):
    attack = """
import errno
for i in range(100):
    with open(f'/tmp/fill{i}', 'wb') as f:
        for _ in range(30):
            f.write(b'x' * (1 << 20))
"""
    # Each file stays under the file-size limit; the tmpfs size (64 MB) stops the third.
    attacked = assert_contained(submit(softmax_spec, attack))
    assert "No space left on device" in attacked.traceback


def test_no_network(softmax_spec):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    attack = f"""
import socket
socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'hello')
"""
    try:
        attacked = assert_contained(submit(softmax_spec, attack))
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()
    assert attacked.error_type in {"PermissionError", "ConnectionRefusedError", "OSError"}


def test_fork_bomb_and_subprocesses_are_refused(softmax_spec):
    attack = """
import os, subprocess
try:
    subprocess.run(['/usr/bin/true'])
except OSError:
    pass
else:
    return
while True:
    os.fork()
"""
    attacked = assert_contained(submit(softmax_spec, attack))
    assert attacked.error_type == "PermissionError"


def test_eight_gigabytes_are_refused(softmax_spec):
    attacked = assert_contained(submit(softmax_spec, "np.ones(1 << 30).sum()"))
    assert attacked.error_type == "MemoryError"


def test_infinite_loop_times_out_and_the_rest_still_run(softmax_spec):
    attacked = assert_contained(submit(softmax_spec, "while True:\n    pass"), statuses=("timeout",))
    assert attacked.error_type == "CaseTimeout"


def test_a_loop_that_ignores_its_alarm_is_killed_by_the_wall_clock(softmax_spec):
    attack = """
import signal
signal.signal(signal.SIGALRM, signal.SIG_IGN)
signal.setitimer = lambda *args: None
while True:
    pass
"""
    result = submit(softmax_spec, attack, case_seconds=1.0, startup_seconds=4.0)
    attacked = assert_contained(result, statuses=("timeout",))
    assert attacked.error_type == "Timeout"
    assert result.attempts == 2  # killed, then restarted for the remaining cases


def test_secrets_are_unreadable(softmax_spec, monkeypatch):
    secret = "s3cr3t-worker-token-8f2a"
    monkeypatch.setenv("BACKPROP_TEST_SECRET", secret)
    attack = f"""
import glob, os
seen = []
for path in ['/etc/shadow', '/etc/passwd', {os.path.abspath("config/settings.py")!r}, '/proc/1/environ',
             '/proc/self/environ'] + glob.glob('/proc/*/environ'):
    try:
        seen.append(open(path, 'rb').read().decode('latin-1'))
    except OSError:
        pass
seen.append(repr(dict(os.environ)))
if any({secret!r} in s or 'root:' in s or 'SECRET_KEY' in s for s in seen):
    return
raise LookupError('nothing found')
"""
    result = submit(softmax_spec, attack)
    attacked = assert_contained(result)
    assert attacked.error_type == "LookupError"
    assert secret not in repr(result.to_dict())


def test_killing_the_parent_does_not_reach_the_worker(softmax_spec):
    attack = """
import os, signal
for pid in (os.getppid(), 1, -1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
raise RuntimeError('still here')
"""
    result = submit(softmax_spec, attack)
    # Killing its own namespace's pid 1 takes the sandbox down: the case is blamed, the
    # other cases rerun; this worker is untouched.
    assert_contained(result, statuses=("error", "crashed"))
    assert os.getpid() > 0


def test_monkeypatching_the_comparison_or_importing_the_reference_does_not_help(softmax_spec):
    attack = f"""
import sys
import numpy
numpy.allclose = numpy.isclose = lambda *args, **kwargs: True
for name in ('reference', 'interviews.execution.compare', 'interviews.bank.coding'):
    try:
        __import__(name)
        return
    except ImportError:
        pass
try:
    return open({str(CODING_DIR / "stable-softmax" / "reference.py")!r}).read()
except OSError:
    pass
raise ImportError('no reference to be found')
"""
    attacked = assert_contained(submit(softmax_spec, attack))
    assert attacked.error_type == "ImportError"


def test_wrong_output_with_a_patched_numpy_is_still_wrong(softmax_spec):
    source = """
import numpy as np
np.allclose = np.isclose = np.array_equal = lambda *args, **kwargs: True

def softmax(x, axis=-1):
    return np.zeros_like(x)
"""
    result = grade(softmax_spec, source, startup_seconds=10.0)
    assert result.score == 0
    assert {c.status for c in result.cases} == {"wrong"}


def test_printing_100_mb_is_cut_off(softmax_spec):
    result = submit(softmax_spec, "import sys\nsys.stdout.write('x' * (100 << 20))")
    attacked = assert_contained(result, statuses=("crashed",))
    assert attacked.error_type == "OutputLimit"
    assert len(result.log) <= 64 * 1024


def test_a_crash_loses_only_its_own_case(softmax_spec):
    attacked = assert_contained(submit(softmax_spec, "import os\nos._exit(3)"), statuses=("crashed",))
    assert "status 3" in attacked.message


def test_the_worker_survives_threads_and_concurrent_runs(softmax_spec):
    results = []

    def run():
        results.append(submit(softmax_spec, "raise ValueError('nope')"))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for result in results:
        assert_contained(result)


def test_the_seccomp_filter_denies_namespaces_mounts_and_ptrace(softmax_spec):
    attack = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
calls = {
    'unshare': lambda: libc.unshare(0x10000000),
    'mount': lambda: libc.mount(b'none', b'/tmp', b'tmpfs', 0, None),
    'ptrace': lambda: libc.ptrace(0, 0, None, None),
    'personality': lambda: libc.personality(0x0040000),
    'keyctl': lambda: libc.syscall(250, 0, 0, 0, 0),
}
denied = []
for name, call in calls.items():
    if call() == -1 and ctypes.get_errno() == 1:
        denied.append(name)
if len(denied) < len(calls):
    return
raise PermissionError(','.join(sorted(denied)))
"""
    attacked = assert_contained(submit(softmax_spec, attack))
    assert attacked.error_type == "PermissionError"
