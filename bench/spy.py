"""Sample a running process with py-spy and sum its stacks into inclusive shares per frame.

py-spy (`pip install py-spy` in .venv) samples the real process from outside, so the
figures carry none of a deterministic profiler's per-call overhead, which inflates code
with many small calls. Used by bench/profile_gunicorn_form.py --py-spy.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

# A frame as py-spy writes it: "function (path/to/file.py:line)".
_SITE = re.compile(r" \(.*?site-packages/")
_LINE = re.compile(r":\d+\)$")


class Recorder:
    """py-spy recording one process into a file of collapsed stacks until stop()."""

    def __init__(self, pid: int, out: Path, rate: int = 400):
        exe = Path(sys.executable).parent / "py-spy"
        found = str(exe) if exe.exists() else shutil.which("py-spy")
        if found is None:
            raise SystemExit("py-spy is not installed: .venv/bin/pip install py-spy")
        self.out = out
        self.proc = subprocess.Popen(
            [found, "record", "-p", str(pid), "-r", str(rate), "-f", "raw", "-o", str(out),
             "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        """End the recording (py-spy writes its file on SIGINT)."""
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)


def frame_name(frame: str, root: Path) -> str:
    """Return the frame without its line number and with a short path."""
    frame = _SITE.sub(" (", frame)
    return _LINE.sub(")", frame.replace(f"{root}/", ""))


def inclusive_shares(collapsed: str, root: Path) -> tuple[int, list[tuple[str, float]]]:
    """Return the sample count and each frame's share of the samples it is in, largest first."""
    total, seen_in = 0, Counter()
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        total += int(count)
        for name in {frame_name(f, root) for f in stack.split(";")}:
            seen_in[name] += int(count)
    return total, [(name, n / total) for name, n in seen_in.most_common()] if total else []


def print_shares(path: Path, root: Path, pattern: str, top: int) -> None:
    """Print the largest inclusive shares of the frames matching pattern."""
    total, shares = inclusive_shares(path.read_text(), root)
    print(f"py-spy: {total} samples of the worker ({path}); inclusive share of each frame:")
    wanted = re.compile(pattern)
    for name, share in [s for s in shares if wanted.search(s[0])][:top]:
        print(f"  {share * 100:5.1f}%  {name[:110]}")
