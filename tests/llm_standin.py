"""A tiny OpenAI-compatible chat server for tests (no real provider is reachable).

Serves POST /v1/chat/completions (plain JSON or SSE streaming) and GET /v1/models
on 127.0.0.1 with an ephemeral port, from a background thread:

    with ChatStandin() as srv:
        srv.reply = "Bonjour [1]."
        chat = LiteLLMChat("openai/test-model", api_base=srv.url, api_key="sk-test")

`mode` can be changed at any time to simulate failures:
    "ok"          normal answer
    "error500"    HTTP 500 with an OpenAI-style error body
    "401"         HTTP 401 that echoes the key back, as careless providers do
    "hang"        accept, send nothing for `hang_seconds`, then close
    "garbage"     HTTP 200 whose body is not JSON / not SSE
    "stall"       streaming only: send the first chunk, then hang like "hang"
                  (a failure in the middle of a stream; non-stream acts as "hang")
`next_modes` (a list) overrides `mode` for the next requests, one per request,
e.g. ["error500", "error500"] then back to `mode`: for retry-then-succeed tests.
`pieces` (a list) streams exactly those deltas (the reply is their join), and `delay` seconds pass
before each one: a slow model, or a chunk boundary in a chosen place.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

DEFAULT_REPLY = "Réponse de test [1]."
MODES = ("ok", "error500", "hang", "garbage", "401", "stall")


class ChatStandin:
    def __init__(
        self,
        reply: str | Callable[[dict], str] = DEFAULT_REPLY,
        mode: str = "ok",
        hang_seconds: float = 5.0,
    ) -> None:
        self.reply = reply
        self.mode = mode
        self.hang_seconds = hang_seconds
        self.next_modes: list[str] = []
        self.pieces: list[str] | None = None
        self.delay = 0.0
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        # Set on close so handlers stuck in "hang" wake up at once instead of
        # keeping the test process waiting for hang_seconds.
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def port(self) -> int:
        assert self._server is not None, "stand-in not started"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> "ChatStandin":
        standin = self

        class Handler(_Handler):
            owner = standin

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._server is None:
            return
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> "ChatStandin":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ helpers
    def _record(self, body: dict) -> str:
        """Store the request and pick the mode that answers it."""
        with self._lock:
            self.requests.append(body)
            return self.next_modes.pop(0) if self.next_modes else self.mode

    def _reply_for(self, body: dict) -> str:
        if self.pieces is not None:
            return "".join(self.pieces)
        return self.reply(body) if callable(self.reply) else self.reply

    def _hang(self) -> None:
        self._closing.wait(self.hang_seconds)


class _Handler(BaseHTTPRequestHandler):
    owner: ChatStandin  # set by the subclass made in ChatStandin.start
    # HTTP/1.0: one request per connection and the body ends when we close, so
    # streaming needs neither Content-Length nor chunked encoding.
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    # ---------------------------------------------------------------- routes
    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            self._json(200, {"object": "list", "data": [
                {"id": "test-model", "object": "model", "created": 0, "owned_by": "standin"}
            ]})
        else:
            self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._json(400, {"error": {"message": "invalid JSON", "type": "invalid_request_error"}})
            return
        owner = self.owner
        mode = owner._record(body)
        stream = bool(body.get("stream"))

        if mode == "hang" or (mode == "stall" and not stream):
            owner._hang()
            return  # closing the connection without any response
        if mode == "error500":
            self._json(500, {"error": {"message": "stand-in internal error", "type": "server_error"}})
            return
        if mode == "401":
            auth = self.headers.get("Authorization", "")
            key = auth.removeprefix("Bearer ").strip()
            self._json(401, {"error": {
                "message": f"Incorrect API key provided: {key}.",
                "type": "invalid_request_error", "code": "invalid_api_key",
            }})
            return
        if mode == "garbage":
            data = b"<html><body>502 upstream garbage {{{</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return

        text = owner._reply_for(body)
        model = body.get("model", "test-model")
        if stream:
            self._stream(model, text, stall=(mode == "stall"))
        else:
            self._json(200, {
                "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
            })

    # ---------------------------------------------------------------- writers
    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, model: str, text: str, *, stall: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        cid = f"chatcmpl-{uuid.uuid4().hex[:12]}"
        created = int(time.time())

        def chunk(delta: dict, finish: str | None = None) -> None:
            payload = {
                "id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
            self.wfile.flush()

        chunk({"role": "assistant", "content": ""})
        for i, piece in enumerate(self.owner.pieces or split_chunks(text)):
            if self.owner.delay:
                self.owner._closing.wait(self.owner.delay)
            chunk({"content": piece})
            if stall and i == 0:
                self.owner._hang()
                return  # connection closes mid-stream, no [DONE]
        chunk({}, "stop")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def split_chunks(text: str, n: int = 4) -> list[str]:
    """Split text into about n non-empty pieces (the joined pieces equal text)."""
    if not text:
        return []
    size = max(1, -(-len(text) // n))
    return [text[i:i + size] for i in range(0, len(text), size)]
