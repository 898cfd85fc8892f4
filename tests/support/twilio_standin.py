"""A local stand-in of Twilio's REST API (Messages) on loopback, for the real twilio client."""

from __future__ import annotations

import base64
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

_sids = itertools.count(1)


@dataclass
class Recorded:
    """One request as the stand-in saw it."""

    method: str
    path: str
    headers: dict
    form: dict
    account: str = ""


@dataclass
class StandIn:
    """Answers Messages.create with 201, or with the failure set in `mode`."""

    mode: str = "201"  # 201, 429, 503, 400, hang
    requests: list[Recorded] = field(default_factory=list)
    # WhatsApp addresses whose 24-hour window is closed: free text to them answers 63016
    # (a template, ContentSid, still goes).
    closed_windows: set[str] = field(default_factory=set)
    hang_seconds: float = 5.0
    server: ThreadingHTTPServer | None = None
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StandIn:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _message(form: dict, account: str) -> dict:
    sid = f"SM{next(_sids):032x}"
    return {"sid": sid, "account_sid": account, "to": form.get("To"), "from": form.get("From"),
            "body": form.get("Body") or "", "status": "queued", "num_segments": "1",
            "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json"}


FAILURES = {
    "429": (429, {"code": 20429, "message": "Too Many Requests", "status": 429}),
    "503": (503, {"code": 20503, "message": "Service Unavailable", "status": 503}),
    "400": (400, {"code": 21211, "message": "The 'To' number is not a valid phone number.",
                  "status": 400}),
    "63016": (400, {"code": 63016, "message": "Failed to send freeform message because you "
                    "are outside the allowed window.", "status": 400}),
}


def _handler(standin: StandIn):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            auth = self.headers.get("Authorization", "")
            account = ""
            if auth.startswith("Basic "):
                account = base64.b64decode(auth[6:]).decode().split(":", 1)[0]
            standin.requests.append(Recorded("POST", self.path, dict(self.headers), form,
                                             account))
            if standin.mode == "hang":
                standin.release.wait(standin.hang_seconds)
                return
            if standin.mode in FAILURES:
                status, payload = FAILURES[standin.mode]
                return self._json(status, payload)
            if form.get("To") in standin.closed_windows and not form.get("ContentSid"):
                status, payload = FAILURES["63016"]
                return self._json(status, payload)
            return self._json(201, _message(form, account))

        def _json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
