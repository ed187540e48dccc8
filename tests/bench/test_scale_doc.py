"""The scale bench's doc section: one column per run, and the growth ratio of the scale schema's medians."""
from bench.scale import doc_section, goal_of


def _run(tickets: int, revision: str, medians: dict[str, float]) -> dict:
    rows = [{"page": page, "status": [200], "first": m * 3, "median": m, "p95": m * 1.2} for page, m in medians.items()]
    return {"tickets": tickets, "revision": revision, "rows": rows, "creations_per_second": 100.0, "load": None}


def test_growth_ratio_is_largest_over_smallest_scale_run() -> None:
    runs = [_run(1_000_000, "0008", {"staff list": 400.0, "/api/tickets": 50.0}),
            _run(1_000_000, "head", {"staff list": 10.0, "/api/tickets": 8.0}),
            _run(20_000_000, "head", {"staff list": 12.0})]
    text = doc_section(runs)
    assert "pages at 1 M and 20 M tickets" in text
    assert "median 20 M ÷ 1 M" in text and "before the scale work (0008)" in text
    staff = next(line for line in text.splitlines() if line.startswith("| staff list"))
    assert staff.endswith("| 1.20 |") and "| 150 |" in staff
    api = next(line for line in text.splitlines() if line.startswith("| /api/tickets"))
    assert api.endswith("| — | — |")  # not measured at 20 M: no figure, no ratio


def test_goals_follow_the_issue() -> None:
    assert goal_of("text search, 2 characters (噪音)") == 300
    assert goal_of("Open311 requests.json, service + status") == 100
    assert goal_of("dashboard, one year") == 1000
