"""A real HTTP server that speaks the OpenAI chat-completions protocol with scripted
replies: the LLM is mocked at the network edge and nowhere else."""

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


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
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(request)
                if stub.replies:
                    reply = stub.replies.popleft()
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

    def reply_hang(self, seconds: float) -> None:
        """A reply that arrives after the client's timeout."""
        self.reply_content("{}", delay=seconds)
