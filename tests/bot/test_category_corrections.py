"""Staff corrections exported by the service join the category model's training data, and retrain it."""
from __future__ import annotations

from pathlib import Path

from bot.components import category_sources as sources

REPO = Path(__file__).resolve().parents[2]


def test_corrections_join_training_and_change_the_fingerprint_inputs(tmp_path: Path) -> None:
    corrections = tmp_path / "category_corrections.csv"
    paths = {**{k: str(REPO / v) for k, v in sources.DEFAULT_PATHS.items()}, "corrections_path": str(corrections)}
    before_texts, _ = sources.all_examples(paths, use_shared=False)
    before = sources.files_hash(sources.input_files(paths, use_shared=False))
    corrections.write_text("category,text,number\n环境保护,楼下烧烤店油烟太大,20261202-000001\n", encoding="utf-8")
    texts, labels = sources.all_examples(paths, use_shared=False)
    assert len(texts) == len(before_texts) + 1
    assert ("楼下烧烤店油烟太大", "环境保护") in zip(texts, labels)
    assert sources.files_hash(sources.input_files(paths, use_shared=False)) != before


def test_evaluations_never_read_a_deployment_s_corrections() -> None:
    assert "corrections_path" not in sources.evaluation_paths(REPO)
