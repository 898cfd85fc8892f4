"""Loopback HTTP client, form parsing, bounded closed-loop load, and /proc CPU accounting."""

from __future__ import annotations

import http.client
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"  # loopback only, by design
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def location(self) -> str:
        return self.headers.get("Location", "")


class Client:
    """One browser-like user: a cookie jar and a fresh connection per request."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None,
                headers: dict | None = None) -> Response:
        """Send one request to 127.0.0.1 and return the answer (redirects are not followed)."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        sent = {"Host": f"{HOST}:{self.port}", "Connection": "close", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if fields is not None:
            data = urlencode(fields).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"http://{HOST}:{self.port}"
            sent["Referer"] = f"http://{HOST}:{self.port}{path}"
        try:
            conn.request(method, path, body=data, headers=sent)
            raw = conn.getresponse()
            body = raw.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return Response(raw.status, raw.headers, body)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict) -> Response:
        return self.request("POST", path, fields)


class FormParser(HTMLParser):
    """Collect each POST form's action and default field values, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.fields: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.fields = None
            if a.get("method", "get").lower() == "post":
                self.fields = {}
                self.forms.append((a.get("action", ""), self.fields))
            return
        name, fields = a.get("name"), self.fields
        if fields is None:
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"radio", "checkbox"}:
                if "checked" in a:
                    fields[name] = a.get("value", "on")
                return
            fields.setdefault(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in fields or "selected" in a:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.fields = None

    def handle_data(self, data):
        if self._textarea and self.fields is not None:
            self.fields[self._textarea] += data


def parse_form(html: str, having: str) -> tuple[dict[str, str], str]:
    """Return the default values and action of the first POST form with the field `having`."""
    parser = FormParser()
    parser.feed(html)
    for action, fields in parser.forms:
        if having in fields:
            return fields, action
    raise RuntimeError(f"no POST form with a {having!r} field on the page")


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_load(make_task: Callable[[], Callable[[], None]], count: int, seconds: float,
             concurrency: int) -> LoadResult:
    """Run `count` operations on `concurrency` threads, stopping early after `seconds`."""
    result = LoadResult()
    lock = threading.Lock()
    remaining = [count]
    deadline = time.monotonic() + seconds

    def worker():
        task = make_task()
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                task()
            except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
                with lock:
                    result.errors.append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            with lock:
                result.latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - began
    return result


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            text = fh.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from 3 (state) onwards


def descendants(root: int) -> list[int]:
    """Return the root pid and every live process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_ms(roots: Iterable[int]) -> float:
    """Return CPU milliseconds used by the process trees (with reaped children of each root)."""
    ticks = 0
    for root in roots:
        for pid in descendants(root):
            fields = _stat(pid)
            if not fields:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            if pid == root:
                ticks += int(fields[13]) + int(fields[14])  # cutime, cstime (exited children)
    return ticks * 1000 / CLK_TCK


@dataclass(frozen=True)
class MachineTicks:
    """The whole machine's CPU time so far, all CPUs, in ticks (the first line of /proc/stat)."""

    busy: int  # user, nice, system, irq, softirq (guest time is inside user already)
    steal: int  # time the hypervisor ran something else while this machine wanted a CPU
    total: int  # everything above, idle and iowait

    def since(self, before: MachineTicks) -> tuple[float, float, float]:
        """Return the busy and the whole CPU milliseconds since `before` (all CPUs), and
        the share of the whole that was stolen (%)."""
        total = self.total - before.total
        steal_pct = 100 * (self.steal - before.steal) / total if total else 0.0
        return ((self.busy - before.busy) * 1000 / CLK_TCK, total * 1000 / CLK_TCK,
                steal_pct)


def machine_ticks(stat: str = "/proc/stat") -> MachineTicks:
    """Return the machine's CPU ticks so far, to tell what else ran during a round."""
    with open(stat) as fh:
        name, *fields = fh.readline().split()
    if name != "cpu":
        raise RuntimeError(f"{stat}: no aggregate cpu line")
    user, nice, system, idle, iowait, irq, softirq, steal = ([int(v) for v in fields] + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq
    return MachineTicks(busy, steal, busy + idle + iowait + steal)
