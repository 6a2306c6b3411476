"""Which messages are still waiting in the broker, read from the broker itself: the sweep
re-enqueues a queued grade only when its message is not among them, so a grade merely
waiting behind a backlog is not published twice.

Messages a worker already holds (reserved, or a retry waiting for its countdown) are not
in the queue any more; a grade whose message is held that way for longer than
GRADE_LOST_AFTER_SECONDS gets one spare message, which its claim then makes a no-op."""

import json
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from config.celery import app


def waiting_task_ids(queues: Iterable[str]) -> set[str]:
    """Task ids of the messages waiting in these queues.

    Redis keeps a queue as one list per priority step (kombu names them); the filesystem
    transport of development keeps one file per message, named `<time>_<uuid>.<queue>.msg`.
    Both hold kombu's JSON envelope, whose headers carry the task id. One LRANGE per list:
    about 1 kB a message, read only when some grade has waited GRADE_LOST_AFTER_SECONDS."""
    with app.connection_for_read() as conn:
        channel: Any = conn.default_channel  # the transport's own Channel, not kombu's abstract one
        driver = conn.transport.driver_type
        if driver == "redis":
            lists = [channel._q_for_pri(queue, step) for queue in queues for step in channel.priority_steps]
            payloads = [message for name in lists for message in channel.client.lrange(name, 0, -1)]
        elif driver == "filesystem":
            payloads = []
            for queue in queues:
                for path in Path(channel.data_folder_in).glob(f"*.{queue}.msg"):
                    with suppress(FileNotFoundError):  # consumed meanwhile
                        payloads.append(path.read_bytes())
        else:
            raise NotImplementedError(f"Cannot list the messages of a {driver} broker")
    return {json.loads(payload)["headers"]["id"] for payload in payloads}
