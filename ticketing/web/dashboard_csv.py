"""The dashboard's current view as one CSV file: the same tables the page shows, one after another.

UTF-8 with a byte-order mark, because Excel on Chinese Windows otherwise reads the file as GBK and
shows mojibake. Rates are percentages with one decimal, as on the page.
"""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable

RATE_COLUMNS = (("签收及时率", "sign_on_time_rate"), ("办结率", "resolution_rate"),
                ("按期办结率", "on_time_rate"), ("满意率", "satisfaction_rate"),
                ("评价率", "rated_share"))
COUNT_COLUMNS = (("受理量", "received"), ("在办", "open"), ("超期在办", "overdue_open"), ("已评价", "rated"))


def percent(value: float | None) -> str:
    """0.8734 → "87.3%"; no measure → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


def _figure_row(label: str, figures: dict[str, Any]) -> list[str]:
    return [label, *(str(figures[k]) for _, k in COUNT_COLUMNS), *(percent(figures[k]) for _, k in RATE_COLUMNS)]


def _figure_header(first: str) -> list[str]:
    return [first, *(h for h, _ in COUNT_COLUMNS), *(h for h, _ in RATE_COLUMNS)]


def tables(data: dict[str, Any]) -> Iterable[list[str]]:
    """Rows of the export, section by section."""
    view = data["view"]
    yield ["12345 督办统计", f"{view['from']} 至 {view['to']}", view.get("department_name") or "全部承办单位"]
    yield []
    yield ["总体"]
    yield _figure_header("范围")
    yield _figure_row("全部", data["overall"])
    yield []
    yield ["按承办单位"]
    yield _figure_header("承办单位")
    for dept in data["departments"]:
        yield _figure_row(dept["name"], dept)
    yield []
    yield ["按周"]
    yield _figure_header("周")
    for week in data["weeks"]:
        yield _figure_row(week["week"], week)
    yield []
    yield ["热门分类"]
    yield ["分类", "工单数"]
    for item in data["hot_categories"]:
        yield [item["name"], str(item["count"])]
    yield []
    yield ["热点（相似诉求聚集）"]
    yield ["排名", "地点", "分类", "工单数", "热度", "最近受理", "主要承办单位", "摘要", "工单号"]
    for rank, spot in enumerate(data["hotspots"], 1):
        size = str(spot["size"]) + ("+" if spot.get("more") else "")
        yield [str(rank), spot["place"], spot["category"], size, str(spot["score"]), spot["latest"],
               spot["department"], spot["label"], " ".join(spot["tickets"])]


def to_csv(data: dict[str, Any]) -> bytes:
    """The whole export as bytes, BOM first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in tables(data):
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
