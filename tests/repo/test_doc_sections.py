"""Benches that share a doc each replace only their own section."""
from pathlib import Path

from bench.doc_sections import replace_section

DOC = "# Title\n\nintro\n\n## A\n\na\n\n## B\n\nb\n\n### B.1\n\nb1\n\n## C\n\nc\n"


def test_a_section_is_replaced_in_place_with_its_subsections(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DOC, encoding="utf-8")
    replace_section(doc, "## B", "## B\n\nnew b\n")
    assert doc.read_text(encoding="utf-8") == "# Title\n\nintro\n\n## A\n\na\n\n## B\n\nnew b\n\n## C\n\nc\n"


def test_the_last_section_and_a_missing_one(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(DOC, encoding="utf-8")
    replace_section(doc, "## C", "## C\n\nnew c")
    replace_section(doc, "## D", "## D\n\nd\n\n")
    assert doc.read_text(encoding="utf-8").endswith("### B.1\n\nb1\n\n## C\n\nnew c\n\n## D\n\nd\n")


def test_a_missing_doc_is_created(tmp_path: Path) -> None:
    doc = tmp_path / "new.md"
    replace_section(doc, "## A", "## A\n\na")
    assert doc.read_text(encoding="utf-8") == "## A\n\na\n"
