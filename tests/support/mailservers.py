"""Real mail servers on loopback for the tests: aiosmtpd (SMTP) and Dovecot (IMAP)."""

from __future__ import annotations

import imaplib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
DOVEADM = "/usr/bin/doveadm"
IMAP_USER = "kantor"
IMAP_PASSWORD = "rahasia-imap-123"


def free_port() -> int:
    """Return a TCP port that is free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """An aiosmtpd server in a thread that keeps every message it accepts."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[dict] = []
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        with self._lock:
            self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                  "data": bytes(envelope.original_content or envelope.content)})
            count = len(self.messages)
        return f"250 2.0.0 Ok: queued as Q{count}"

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def parsed(self) -> list:
        """Return the accepted messages as email objects."""
        with self._lock:
            return [message_from_bytes(m["data"], policy=policy.default) for m in self.messages]


class Dovecot:
    """A private Dovecot IMAP server with one user, in a temporary folder."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.port = free_port()

    @staticmethod
    def available() -> bool:
        return Path(DOVECOT).exists() and Path(DOVEADM).exists()

    def start(self) -> Dovecot:
        self.base.mkdir(parents=True, exist_ok=True)
        home = self.base / "home"
        home.mkdir(exist_ok=True)
        os.chmod(self.base, 0o755)  # noqa: S103 - read by the unprivileged imap processes
        os.chmod(home, 0o777)  # noqa: S103 - the mail user (nobody) writes its Maildir here
        hashed = subprocess.run([DOVEADM, "pw", "-s", "SHA512-CRYPT", "-p", IMAP_PASSWORD],
                                check=True, capture_output=True, text=True).stdout.strip()
        (self.base / "passwd").write_text(f"{IMAP_USER}:{hashed}:65534:65534::{home}\n")
        self.conf = self.base / "dovecot.conf"
        self.conf.write_text(self._config())
        # The daemon keeps inherited pipes open: give it files, not pipes, or run() never returns.
        with open(self.base / "start.log", "wb") as out:
            subprocess.run([DOVECOT, "-c", str(self.conf)], check=True, stdout=out, stderr=out,
                           stdin=subprocess.DEVNULL, timeout=30)
        try:
            self._wait()
        except BaseException:
            self.stop()  # never leave a daemon behind
            raise
        return self

    def _config(self) -> str:
        b = self.base
        return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {b}/run
state_dir = {b}/state
log_path = {b}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=SHA512-CRYPT {b}/passwd
}}
userdb {{
  driver = passwd-file
  args = {b}/passwd
}}
"""

    def _wait(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                conn = self.connect()
                conn.logout()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("dovecot did not start: " + self.log())

    def log(self) -> str:
        path = self.base / "dovecot.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        pid_file = self.base / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
                state = Path(f"/proc/{pid}/stat").read_text().split()[2] \
                    if Path(f"/proc/{pid}/stat").exists() else "X"
                if state == "Z":
                    break
                time.sleep(0.05)
        shutil.rmtree(self.base, ignore_errors=True)

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(IMAP_USER, IMAP_PASSWORD)
        return conn

    def create_folder(self, name: str) -> None:
        conn = self.connect()
        try:
            conn.create(name)
        finally:
            conn.logout()

    def append(self, folder: str, raw: bytes) -> None:
        conn = self.connect()
        try:
            status, data = conn.append(folder, None, None, raw)
            assert status == "OK", data
        finally:
            conn.logout()

    def count(self, folder: str, criterion: str = "ALL") -> int:
        conn = self.connect()
        try:
            conn.select(folder)
            status, data = conn.uid("SEARCH", criterion)
            return len(data[0].split())
        finally:
            conn.logout()

    def config(self, folder: str) -> dict:
        """Return the app settings that point the poller at a folder of this server."""
        return {"MAIL_IMAP_HOST": "127.0.0.1", "MAIL_IMAP_PORT": self.port,
                "MAIL_IMAP_SSL": False, "MAIL_IMAP_USER": IMAP_USER,
                "MAIL_IMAP_PASSWORD": IMAP_PASSWORD, "MAIL_IMAP_FOLDER": folder}
