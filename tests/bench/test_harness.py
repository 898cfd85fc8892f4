"""The bench harness's own logic: ratios and verdicts, form parsing, bounded load, CPU.

No benchmark runs here (that is `make bench`); these check that what it reports is right.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import client  # noqa: E402
import report  # noqa: E402
import systems  # noqa: E402


def _record(system: str, rnd: int, rate: float, metric: str = "submit", **more) -> dict:
    return {"db": "sqlite", "metric": metric, "round": rnd, "system": system, "rate": rate,
            "p50_ms": 1.0, "p95_ms": more.pop("p95", 1.0), "app_cpu_ms": 1.0,
            "db_cpu_ms": None, **more}


def test_the_ratio_is_the_median_of_per_round_ratios_not_a_ratio_of_medians():
    records = [_record("ours", 1, 10), _record("limit", 1, 100),
               _record("ours", 2, 50), _record("limit", 2, 100),
               _record("ours", 3, 90), _record("limit", 3, 100),
               _record("ours", 4, 95)]  # a round the limit did not finish: left out
    assert report.ratio(records, "sqlite", "submit", "rate", "limit") == pytest.approx(0.5)
    assert report.median(records, "sqlite", "submit", "ours", "rate") == pytest.approx(70)
    assert report.ratio(records, "sqlite", "submit", "rate", "helpdesk") is None


def test_the_targets_are_judged_as_the_issue_states_them():
    records = [_record("ours", 1, 50), _record("limit", 1, 100), _record("helpdesk", 1, 20),
               _record("ours", 1, 0, "list@1000", p95=3.0),
               _record("limit", 1, 0, "list@1000", p95=1.0)]
    lines = report.targets(records, (1000,))
    assert lines == ["- sqlite: submissions ≥ 0.5× the limit: 0.50× — MET",
                     "- sqlite: submissions ≥ 3× django-helpdesk: 2.50× — MISSED",
                     "- sqlite: list p95 at 1,000 ≤ 3× the limit: 3.00× — MET"]
    assert report.targets([_record("ours", 1, 5)], (1000,))[0].endswith("not measured")


def test_the_table_shows_medians_ratios_and_skips_measures_nobody_has():
    records = [_record("ours", 1, 50, driver_cpu_ms=1.5), _record("limit", 1, 100,
               driver_cpu_ms=0.5), _record("helpdesk", 1, 25, driver_cpu_ms=1.5)]
    lines = report.table(records)
    assert "| sqlite | submit | submissions/s | 50.0 | 100.0 | 25.0 | 0.50 | 2.00 |" in lines
    assert "| sqlite | submit | load driver CPU ms/op | 1.50 | 0.50 | 1.50 | 3.00 | 1.00 |" in lines
    assert not any("DB CPU" in line for line in lines)  # SQLite: no database process


PAGE = """<form method="get"><input name="q" value="search"></form>
<form method="post" action="/send">
  <input type="hidden" name="csrf_token" value="tok&amp;en">
  <input name="complainant_name" value="">
  <input type="radio" name="kind" value="pengaduan" checked>
  <input type="radio" name="kind" value="saran">
  <input type="checkbox" name="consent" value="y"><input type="file" name="files">
  <select name="service_id"><option value="None">Not sure</option>
    <option selected value="7">X</option></select>
  <select name="weight"><option value="ringan">r</option><option value="berat">b</option></select>
  <textarea name="body">Kept text</textarea><button type="submit" name="go">Send</button>
</form>"""


def test_a_form_is_read_as_a_browser_would_send_it():
    fields, action = client.parse_form(PAGE, "body")
    assert action == "/send"
    assert fields == {"csrf_token": "tok&en", "complainant_name": "", "kind": "pengaduan",
                      "service_id": "7", "weight": "ringan", "body": "Kept text"}
    with pytest.raises(RuntimeError, match="no POST form"):
        client.parse_form(PAGE, "q")  # the GET form is not a submission


def test_the_form_scan_reads_what_a_full_html_parse_would():
    page = """<!-- <form method="post"><input name="body" value="old"></form> -->
<FORM METHOD="POST" ACTION='/send?a=1&amp;b=2'>
  <input name="title" value="a > b" data-x='"q"'><INPUT TYPE=hidden NAME=held VALUE=x>
  <textarea name="body">Type &lt;input name="fake"&gt; here</TEXTAREA>
  <input name="after" value="">
</form>"""
    fields, action = client.parse_form(page, "body")
    assert action == "/send?a=1&b=2"
    assert fields == {"title": "a > b", "held": "x", "body": 'Type <input name="fake"> here',
                      "after": ""}


def test_bulk_rows_are_shuffled_over_2025_or_in_the_order_of_receipt(monkeypatch):
    ids = range(1, systems.ORDERED_ROWS + 1, 997)
    shuffled = [systems.spread(i) for i in ids]
    assert shuffled != sorted(shuffled)  # the bench's default: a month spread over the ids
    assert {at.year for at in shuffled} == {2025}
    monkeypatch.setattr(systems, "RECEIPT_ORDER", True)
    ordered = [systems.spread(i) for i in ids]
    assert ordered == sorted(ordered) and len(set(ordered)) == len(ordered)
    assert {at.year for at in ordered} == {2025}
    months = {at.month for at in ordered}
    assert months == set(range(1, 13))  # 1,000,000 rows fill the year
    assert systems.spread(systems.ORDERED_ROWS).date().isoformat() == "2025-12-31"


def test_the_load_is_bounded_by_count_and_by_time():
    calls = []
    lock = threading.Lock()

    def make_task():
        def task():
            with lock:
                calls.append(1)
                refused = len(calls) % 3 == 0
            if refused:
                raise ValueError("refused")
        return task

    done = client.run_load(make_task, 30, 10.0, 4)
    assert len(calls) == 30 and len(done.latencies) == 20 and len(done.errors) == 10
    assert done.errors[0] == "ValueError: refused" and done.rate > 0

    def make_slow():
        return lambda: time.sleep(0.05)

    began = time.monotonic()
    slow = client.run_load(make_slow, 10_000, 0.3, 2)
    assert time.monotonic() - began < 5 and 0 < len(slow.latencies) < 100


def test_cpu_is_read_from_proc_for_the_process_tree():
    before = client.cpu_ms([os.getpid()])
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    assert client.cpu_ms([os.getpid()]) - before >= 100  # tick granularity: 10 ms
    assert client.cpu_ms([2**22 + 12345]) == 0  # a process that does not exist


def test_the_machine_s_cpu_is_read_from_proc_stat_with_the_hypervisor_s_steal(tmp_path):
    stat = tmp_path / "stat"
    # user nice system idle iowait irq softirq steal guest guest_nice
    stat.write_text("cpu  100 0 50 800 10 5 5 30 0 0\ncpu0 50 0 25 400 5 2 3 15 0 0\n")
    before = client.machine_ticks(str(stat))
    assert before == client.MachineTicks(busy=160, steal=30, total=1000)
    stat.write_text("cpu  300 0 70 1000 10 5 5 130 0 0\n")
    busy_ms, whole_ms, steal_pct = client.machine_ticks(str(stat)).since(before)
    assert busy_ms == pytest.approx(220 * 1000 / client.CLK_TCK)
    assert whole_ms == pytest.approx(520 * 1000 / client.CLK_TCK)
    assert steal_pct == pytest.approx(100 * 100 / 520)
    stat.write_text("intr 1 2 3\n")
    with pytest.raises(RuntimeError, match="no aggregate cpu line"):
        client.machine_ticks(str(stat))
    real = client.machine_ticks()
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    busy_ms, whole_ms, steal_pct = client.machine_ticks().since(real)
    assert busy_ms >= 100 and whole_ms >= busy_ms  # this process's 200 ms are in it
    assert 0 <= steal_pct <= 100


def test_the_report_says_what_else_used_the_cpu_during_the_rounds():
    records = [_record("ours", 1, 50, steal_pct=0.5, other_pct=0.04),
               _record("limit", 1, 100, steal_pct=2.3, other_pct=12.0),
               _record("ours", 1, 0, "list@1000")]  # a record from before: no measures
    assert report.machine(records) == [
        "- sqlite submit: of the machine's CPU time, stolen by the hypervisor 0.5–2.3 %, "
        "used by other processes and interrupts 0.0–12.0 % (2 rounds of all systems)"]
    assert report.machine([_record("ours", 1, 5)]) == []
    records += [_record("ours", 2, 50, steal_pct=0.1, other_pct=0.1, idle_pct=15.2),
                _record("limit", 2, 100, steal_pct=0.1, other_pct=0.1, idle_pct=3.0),
                _record("ours", 3, 50, steal_pct=0.1, other_pct=0.1, idle_pct=12.5)]
    assert report.machine(records)[0].endswith(
        "(5 rounds of all systems); left idle: ours 12.5–15.2 %, limit 3.0–3.0 %")


def test_the_limit_app_does_its_one_insert_and_compiles_its_templates_once(tmp_path, monkeypatch):
    monkeypatch.setenv("LIMIT_DB", f"sqlite:{tmp_path / 'limit.sqlite3'}")
    import jinja2
    import limit_app

    # A config of this test's own: the app keeps its connection there (one per worker).
    monkeypatch.setattr(limit_app.app, "config", {**limit_app.app.config})
    limit_app.create_schema()
    compiled = []
    original = jinja2.Environment._compile
    monkeypatch.setattr(jinja2.Environment, "_compile",
                        lambda env, source, filename: compiled.append(filename)
                        or original(env, source, filename))
    web = limit_app.app.test_client()
    for i in range(3):
        page = web.get("/submit")
        fields, _ = client.parse_form(page.get_data(as_text=True), "body")
        fields.update(body=f"keluhan nomor {i}", complainant_name=f"Pengadu {i}")
        assert web.post("/submit", data=fields).status_code == 303
        assert web.get("/queue").status_code == 200
    assert web.post("/submit", data={"body": "no token"}).status_code == 400
    rows = limit_app.db()[0].execute("SELECT count(*) FROM complaint").fetchone()[0]
    assert rows == 3
    assert len(compiled) == 2  # each template once, not on every request
