"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions API
(`POST /v1/chat/completions`, JSON or SSE streaming) that replays scripted replies
and records every request it gets."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    text: str | Callable[[dict], str] = ""   # or a function of the request body
    status: int = 200
    delay: float = 0.0                        # seconds before the first byte
    raw: str | None = None                    # a body sent as is, e.g. one that does not parse
    chunk_chars: int = 4                      # characters per streamed delta
    chunk_delay: float = 0.0                  # seconds between streamed deltas
    finish_reason: str = "stop"               # "length": the reply hit max_tokens


class FakeOpenAI:
    """Use as a context manager; `script(...)` queues replies; `requests` holds the bodies
    received and `authorizations` their Authorization headers; `client_left` is set when a
    client closed a stream before its end, and `deltas_sent` counts the deltas written."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.authorizations: list[str | None] = []
        self.client_left = threading.Event()
        self.deltas_sent = 0
        self._replies: list[Reply] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True     # a slow reply must not hold up shutdown
        self._server.block_on_close = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def script(self, *replies: Reply | str) -> None:
        self._replies.extend(r if isinstance(r, Reply) else Reply(r) for r in replies)

    def __enter__(self) -> "FakeOpenAI":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self, body: dict, authorization: str | None) -> Reply:
        self.requests.append(body)
        self.authorizations.append(authorization)
        return self._replies.pop(0) if self._replies else Reply(status=500, text="no scripted reply")

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": f"no route {self.path}"}})
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                reply = fake._next(body, self.headers.get("Authorization"))
                time.sleep(reply.delay)
                text = reply.text(body) if callable(reply.text) else reply.text
                try:
                    if reply.raw is not None:
                        self._send_bytes(reply.status, reply.raw.encode(), "application/json")
                    elif reply.status != 200:
                        self._send(reply.status, {"error": {"message": text, "type": "server_error"}})
                    elif body.get("stream"):
                        self._stream(body, text, reply)
                    else:
                        self._send(200, _completion(body, text, reply.finish_reason))
                except (BrokenPipeError, ConnectionResetError):
                    fake.client_left.set()  # the client gave up (its timeout, or it closed the stream)

            def _send(self, status: int, payload: dict) -> None:
                self._send_bytes(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json")

            def _send_bytes(self, status: int, data: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, body: dict, text: str, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                size = reply.chunk_chars
                deltas = [{"role": "assistant", "content": ""}]
                deltas += [{"content": text[i:i + size]} for i in range(0, len(text), size)]
                for delta in deltas:
                    self._event(_chunk(body, delta, None))
                    fake.deltas_sent += 1
                    time.sleep(reply.chunk_delay)
                self._event(_chunk(body, {}, reply.finish_reason))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _event(self, payload: dict) -> None:
                self.wfile.write(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()

            def log_message(self, *args) -> None:
                pass

        return Handler


def _completion(body: dict, text: str, finish_reason: str) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish_reason}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def _chunk(body: dict, delta: dict, finish_reason: str | None) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}
