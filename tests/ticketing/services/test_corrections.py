"""Staff-set categories become masked training examples for the bot (export-corrections)."""
from __future__ import annotations

import csv
from pathlib import Path

from ticketing.cli import main as cli
from ticketing.core.db import make_sessionmaker
from ticketing.services.corrections import export


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_only_tickets_staff_classified_are_exported_and_numbers_are_masked(client, make_ticket, app,
                                                                           tmp_path: Path) -> None:
    corrected = make_ticket(description="楼下烧烤店油烟太大，电话13912345678，身份证420102199001011237",
                            category=["城乡建设"], category_confidence=0.3)
    untouched = make_ticket(description="路灯不亮", category=["城乡建设"], category_confidence=0.99)
    response = client.post(f"/api/tickets/{corrected['number']}/transitions",
                           json={"action": "reclassify", "category": ["环境保护"]})
    assert response.status_code == 200, response.text
    out = tmp_path / "corrections.csv"
    with make_sessionmaker(app.state.engine)() as session:
        assert export(session, out) == 1
    [row] = _rows(out)
    assert (row["category"], row["number"]) == ("环境保护", corrected["number"])
    assert "13912345678" not in row["text"] and "139****5678" in row["text"]
    assert "420102199001011237" not in row["text"] and "油烟" in row["text"]
    assert untouched["number"] not in out.read_text(encoding="utf-8")


def test_the_command_writes_the_file_the_bot_reads(client, make_ticket, database_url: str, tmp_path: Path,
                                                   capsys) -> None:  # type: ignore[no-untyped-def]
    ticket = make_ticket(description="学校门口早上堵车", category=["城乡建设"])
    client.post(f"/api/tickets/{ticket['number']}/transitions", json={"action": "reclassify", "category": ["交通运输"]})
    out = tmp_path / "nested" / "corrections.csv"
    assert cli(["--database-url", database_url, "export-corrections", "--out", str(out)]) == 0
    assert "1 staff-labelled" in capsys.readouterr().out
    assert [r["category"] for r in _rows(out)] == ["交通运输"]
    assert not out.with_suffix(".csv.partial").exists()
