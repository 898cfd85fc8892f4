"""Turn the driver's per-round records into a Markdown table of medians, ratios and targets.

Also usable alone: python bench/report.py bench/.work/results-....json
"""

from __future__ import annotations

import json
import statistics
import sys

SYSTEM_ORDER = ("ours", "limit", "helpdesk")
# (record key, label, "higher is better")
FIELDS = {
    "submit": [("rate", "submissions/s", True), ("p50_ms", "p50 ms", False),
               ("p95_ms", "p95 ms", False), ("app_cpu_ms", "app CPU ms/op", False),
               ("db_cpu_ms", "DB CPU ms/op", False),
               ("driver_cpu_ms", "load driver CPU ms/op", False)],
    "list": [("p50_ms", "p50 ms", False), ("p95_ms", "p95 ms", False),
             ("app_cpu_ms", "app CPU ms/op", False), ("db_cpu_ms", "DB CPU ms/op", False)],
}


def _values(records, db, metric, system, key) -> dict[int, float]:
    return {r["round"]: r[key] for r in records if r["db"] == db and r["metric"] == metric
            and r["system"] == system and r.get(key) is not None}


def ratio(records, db, metric, key, other) -> float | None:
    """Return the median over rounds of ours/other for one measure (None when unknown)."""
    ours = _values(records, db, metric, "ours", key)
    theirs = _values(records, db, metric, other, key)
    per_round = [ours[r] / theirs[r] for r in ours if r in theirs and theirs[r]]
    return statistics.median(per_round) if per_round else None


def median(records, db, metric, system, key) -> float | None:
    values = list(_values(records, db, metric, system, key).values())
    return statistics.median(values) if values else None


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if abs(value) < 0.1:
        return f"{value:.3f}" if value else "0"
    return f"{value:.{2 if abs(value) < 10 else digits}f}"


def _operations(records: list[dict]) -> list[tuple[str, str]]:
    """Return each (engine, operation) of the records once, in the order they were run."""
    return list(dict.fromkeys((r["db"], r["metric"]) for r in records))


def table(records: list[dict]) -> list[str]:
    """Return the Markdown lines of the table."""
    lines = ["| DB | operation | measure | ours | limit | django-helpdesk | ours/limit "
             "| ours/helpdesk |", "|---|---|---|---:|---:|---:|---:|---:|"]
    for db, metric in _operations(records):
        for key, label, _ in FIELDS[metric.split("@")[0]]:
            cells = [_fmt(median(records, db, metric, s, key)) for s in SYSTEM_ORDER]
            ratios = [_fmt(ratio(records, db, metric, key, o), 2) for o in SYSTEM_ORDER[1:]]
            if all(c == "—" for c in cells):
                continue
            lines.append(f"| {db} | {metric} | {label} | " + " | ".join(cells + ratios) + " |")
    return lines


def targets(records: list[dict], sizes) -> list[str]:
    """Return one line per target of the issue: met, missed, or not measured."""
    lines = []
    for db in dict.fromkeys(r["db"] for r in records):
        limit = ratio(records, db, "submit", "rate", "limit")
        helpdesk = ratio(records, db, "submit", "rate", "helpdesk")
        lines.append(_target(f"{db}: submissions ≥ 0.5× the limit", limit, limit is not None
                             and limit >= 0.5))
        lines.append(_target(f"{db}: submissions ≥ 3× django-helpdesk", helpdesk,
                             helpdesk is not None and helpdesk >= 3))
        big = ratio(records, db, f"list@{sizes[-1]}", "p95_ms", "limit")
        lines.append(_target(f"{db}: list p95 at {sizes[-1]:,} ≤ 3× the limit", big,
                             big is not None and big <= 3))
    return lines


def machine(records: list[dict]) -> list[str]:
    """Return, per engine and operation, what else used the CPU during the rounds.

    Records of runs made before the driver kept these measures have none: no line.
    """
    lines = []
    for db, metric in _operations(records):
        rounds = [r for r in records if r["db"] == db and r["metric"] == metric
                  and r.get("steal_pct") is not None]
        if not rounds:
            continue
        steal = [r["steal_pct"] for r in rounds]
        other = [r["other_pct"] for r in rounds]
        lines.append(f"- {db} {metric}: of the machine's CPU time, stolen by the hypervisor "
                     f"{min(steal):.1f}–{max(steal):.1f} %, used by other processes and "
                     f"interrupts {min(other):.1f}–{max(other):.1f} % ({len(rounds)} rounds "
                     "of all systems)" + _idle(rounds))
    return lines


def _idle(rounds: list[dict]) -> str:
    """Return ", left idle: <system> a–b %, ..." (runs before the driver kept it: nothing)."""
    measured = [r for r in rounds if r.get("idle_pct") is not None]
    ranges = []
    for system in dict.fromkeys(r["system"] for r in measured):
        idle = [r["idle_pct"] for r in measured if r["system"] == system]
        ranges.append(f"{system} {min(idle):.1f}–{max(idle):.1f} %")
    return f"; left idle: {', '.join(ranges)}" if ranges else ""


def _target(text: str, value: float | None, met: bool) -> str:
    if value is None:
        return f"- {text}: not measured"
    return f"- {text}: {value:.2f}× — {'MET' if met else 'MISSED'}"


def print_table(records: list[dict], notes: list[str], sizes) -> None:
    print("\n".join(table(records)))
    print("\nTargets:")
    print("\n".join(targets(records, sizes)))
    lines = machine(records)
    if lines:
        print("\nThe machine during the rounds:")
        print("\n".join(lines))
    print("\nNotes:")
    print("\n".join(f"- {n}" for n in notes))


if __name__ == "__main__":
    with open(sys.argv[1]) as fh:
        data = json.load(fh)
    print_table(data["records"], data["notes"], data["sizes"])
