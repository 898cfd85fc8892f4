"""Loopback HTTP client, form parsing, bounded closed-loop load, and /proc CPU accounting."""

from __future__ import annotations

import http.client
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
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


# The tags a form's fields come from, attributes and all (a quoted value may hold ">").
_TAG = re.compile(r"""<(/?)(form|input|select|option|textarea)\b((?:[^>"']|"[^"]*"|'[^']*')*)>""",
                  re.IGNORECASE)
_ATTR = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TEXTAREA_END = re.compile(r"</textarea\s*>", re.IGNORECASE)


def _attrs(text: str) -> dict[str, str]:
    """Return a tag's attributes, names lowercased, values unescaped (as a browser reads them)."""
    found = {}
    for name, double, single, bare in _ATTR.findall(text):
        found.setdefault(name.lower(), unescape(double or single or bare))
    return found


class FormParser:
    """Collect each POST form's action and default field values, as a browser would send them.

    A scan of the form tags alone: the load driver shares the cores with the systems it
    measures, and a full HTML parse of a form page (html.parser) cost it 2.5 ms a
    submission, more than half of its own share.
    """

    def __init__(self):
        self.forms: list[tuple[str, dict[str, str]]] = []

    def feed(self, html: str) -> None:
        html = _COMMENT.sub("", html) if "<!--" in html else html
        fields: dict[str, str] | None = None
        select: str | None = None
        pos = 0
        while match := _TAG.search(html, pos):
            pos = match.end()
            closing, tag, a = match.group(1), match.group(2).lower(), _attrs(match.group(3))
            if closing:
                if tag == "form":
                    fields = None
                elif tag == "select":
                    select = None
                continue
            if tag == "form":
                fields = None
                if a.get("method", "get").lower() == "post":
                    fields = {}
                    self.forms.append((a.get("action", ""), fields))
                continue
            name = a.get("name")
            if fields is None:
                continue
            if tag == "input" and name:
                kind = a.get("type", "text").lower()
                if kind in {"submit", "button", "file", "image", "reset"}:
                    continue
                if kind in {"radio", "checkbox"}:
                    if "checked" in a:
                        fields[name] = a.get("value", "on")
                    continue
                fields.setdefault(name, a.get("value", ""))
            elif tag == "select" and name:
                select = name
            elif tag == "option" and select:
                if select not in fields or "selected" in a:
                    fields[select] = a.get("value", "")
            elif tag == "textarea":
                end = _TEXTAREA_END.search(html, pos)
                text = html[pos:end.start() if end else len(html)]
                pos = end.end() if end else len(html)
                if name:
                    fields.setdefault(name, "")
                    fields[name] += unescape(text)


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
