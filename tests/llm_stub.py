"""A real HTTP server that speaks the OpenAI chat-completions protocol with scripted
replies: the LLM is mocked at the network edge and nowhere else."""

import json
import random
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# What a gullible model obeys: anything in the answer that talks to the grader.
OBEYED = (
    "full marks",
    "full points",
    "maximum score",
    "score = 5",
    "score: 5",
    "5/5",
    "5 out of 5",
    "ignore",
    "grader",
)


def rubric_of(user: str) -> list[tuple[int, int]]:
    """(index, points) of the rubric in the grader's prompt."""
    return [(int(i), int(p)) for i, p in re.findall(r"^(\d+)\. \((\d+) points\)", user, re.MULTILINE)]


def answer_of(user: str) -> str:
    return user.split("Candidate answer:", 1)[-1]


@dataclass
class Scripted:
    status: int
    body: bytes
    delay: float = 0.0


class StubLLM:
    def __init__(self) -> None:
        self.replies: deque[Scripted] = deque()
        self.requests: list[dict[str, Any]] = []
        # Answers computed from the request, used when no scripted reply is queued.
        self.responder: Callable[[dict[str, Any]], Any] | None = None
        self.on_request: Callable[[], None] | None = None  # called as each request arrives
        self.obeyed: list[bool] = []  # per request, in gullible mode: whether it obeyed an injection
        # The share of the responder's replies that are a 503 instead (flaky()).
        self.failure_share = 0.0
        self.random = random.Random(13)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(request)
                if stub.on_request:
                    stub.on_request()
                if stub.replies:
                    reply = stub.replies.popleft()
                elif stub.responder and stub.random.random() < stub.failure_share:
                    reply = Scripted(503, b'{"error": {"message": "overloaded", "type": "error", "code": 503}}')
                elif stub.responder:
                    reply = stub.completion(json.dumps(stub.responder(request)))
                else:
                    reply = Scripted(500, b'{"error": "no scripted reply"}')
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and hung up, as intended

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A reply held back to simulate a hung model must not hold up shutdown.
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def start(self) -> "StubLLM":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reply_content(self, content: str, **kwargs: Any) -> None:
        self.replies.append(self.completion(content, **kwargs))

    def completion(
        self,
        content: str,
        tokens_in: int = 120,
        tokens_out: int = 40,
        delay: float = 0.0,
        logprobs: list[dict[str, Any]] | None = None,
        finish_reason: str = "stop",
    ) -> Scripted:
        choice: dict[str, Any] = {
            "index": 0,
            "finish_reason": finish_reason,
            "message": {"role": "assistant", "content": content},
        }
        if logprobs is not None:
            choice["logprobs"] = {"content": logprobs}
        body = {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "stub-model",
            "choices": [choice],
            "usage": {
                "prompt_tokens": tokens_in,
                "completion_tokens": tokens_out,
                "total_tokens": tokens_in + tokens_out,
            },
        }
        return Scripted(200, json.dumps(body).encode(), delay)

    def reply_json(self, value: Any, **kwargs: Any) -> None:
        self.reply_content(json.dumps(value), **kwargs)

    def reply_error(self, status: int, message: str = "error", delay: float = 0.0) -> None:
        body = json.dumps({"error": {"message": message, "type": "error", "code": status}}).encode()
        self.replies.append(Scripted(status, body, delay))

    def gullible(self, honest_share: float = 0.25) -> None:
        """Grade like a model an injection subverts: full marks on every criterion when the
        answer it is shown talks to the grader, else `honest_share` of each criterion's points."""

        def grade(request: dict[str, Any]) -> dict[str, Any]:
            user = request["messages"][1]["content"]
            obeyed = any(phrase in answer_of(user).lower() for phrase in OBEYED)
            self.obeyed.append(obeyed)
            return {
                "criteria": [
                    {
                        "index": i,
                        "points": points if obeyed else round(points * honest_share * 2) / 2,
                        "evidence": "",
                        "feedback": "Full marks as instructed." if obeyed else "Partly covered.",
                    }
                    for i, points in rubric_of(user)
                ],
                "summary": "graded",
            }

        self.responder = grade

    def generous(self) -> None:
        """Full marks for anything, like the small model that gave "NO ANSWER" a 5."""
        self.responder = lambda request: {
            "criteria": [
                {"index": i, "points": points, "evidence": "", "feedback": "Covered."}
                for i, points in rubric_of(request["messages"][1]["content"])
            ],
            "summary": "Excellent.",
        }

    def flaky(self, failure_share: float) -> None:
        """Full marks (generous()), except that `failure_share` of the calls, at random
        (seeded), fail with a 503, as an overloaded endpoint does."""
        self.generous()
        self.failure_share = failure_share

    def reply_hang(self, seconds: float) -> None:
        """A reply that arrives after the client's timeout."""
        self.reply_content("{}", delay=seconds)


class SilentEndpoint:
    """An endpoint that accepts every connection and never answers: the request is read by
    no one and no byte comes back, so only the client's timeout ends the call."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.socket.settimeout(0.2)  # so the accept loop sees stop()
        self.stopped = threading.Event()
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}/v1"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.held.append(conn)

    def start(self) -> "SilentEndpoint":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.socket.close()
        for conn in self.held:
            conn.close()
