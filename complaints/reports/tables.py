"""The report's figures as labelled tables and charts: one source for page, PDF and XLSX."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from complaints.core.labels import label
from complaints.reports.charts import bar_chart, line_chart


@dataclass(frozen=True)
class Table:
    """A titled table of (label, count) rows with its total."""

    key: str
    title: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.rows)


def _enum_rows(group: str, counts: dict) -> list[tuple[str, int]]:
    rows = [(label(group, key) if key else _("Not set"), n) for key, n in counts.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def tables_of(figures: dict) -> list[Table]:
    """Return the count tables of the figures, labelled in the current language."""
    by = figures["by"]
    named = [(key, name or _("Not set"), n) for key in ("type", "service", "division")
             for name, n in by[key]]
    return [
        Table("channel", _("By channel"), _enum_rows("channel", by["channel"])),
        Table("weight", _("By weight"), _enum_rows("weight", by["weight"])),
        Table("kind", _("By kind"), _enum_rows("kind", by["kind"])),
        Table("type", _("By type"), [(n, c) for k, n, c in named if k == "type"]),
        Table("service", _("By service"), [(n, c) for k, n, c in named if k == "service"]),
        Table("division", _("By division"), [(n, c) for k, n, c in named if k == "division"]),
        Table("status", _("By status (today)"), _enum_rows("status", by["status"])),
    ]


def headline(figures: dict) -> list[tuple[str, str]]:
    """Return the key figures as (label, value text) pairs."""
    t, s = figures["timeliness"], figures["satisfaction"]

    def show(value) -> str:
        return "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))

    return [
        (_("Received in the month"), show(figures["received"])),
        (_("First answered in the month"), show(figures["answered"])),
        (_("Closed in the month"), show(figures["closed"])),
        (_("Answered on time (%)"), show(t["on_time_rate"])),
        (_("Answered on time / with a due date"), f"{t['on_time']} / {t['with_due']}"),
        (_("First response on time (%)"), show(t["first_on_time_rate"])),
        (_("Median handling time (working days)"), show(t["median_days"])),
        (_("90th percentile handling time (working days)"), show(t["p90_days"])),
        (_("Open and overdue"), show(figures["overdue"]["total"])),
        (_("Ratings given"), show(s["count"])),
        (_("Mean rating (1–4)"), show(s["mean"])),
    ]


def charts_of(figures: dict) -> list[Markup]:
    """Return the SVG charts: bars by channel, weight and status, and the 12-month line."""
    chosen = {t.key: t for t in tables_of(figures)}
    trend = figures["trend"]
    return [
        bar_chart(chosen["channel"].rows, chosen["channel"].title),
        bar_chart(chosen["weight"].rows, chosen["weight"].title),
        bar_chart(chosen["status"].rows, chosen["status"].title),
        line_chart([row["month"][2:] for row in trend],
                   [(_("Received"), [row["received"] for row in trend]),
                    (_("Answered"), [row["answered"] for row in trend]),
                    (_("Closed"), [row["closed"] for row in trend])],
                   _("The last 12 months")),
    ]
