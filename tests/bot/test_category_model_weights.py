"""A loaded category model scores with fast weights and gives exactly the rankings of the stored one."""
from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np

from bot.components.category_model import CategoryModel, ModelSettings
from bot.components.nb_svm import NBLinearSVC

TEXTS = ["路灯坏了晚上很黑", "路灯不亮了", "小区路灯坏了", "下水道堵了污水漫出来", "下水道反味",
         "污水井堵塞", "工地夜里施工噪音大", "噪音扰民睡不着", "夜间施工太吵"]
LABELS = ["城乡建设"] * 3 + ["环境保护"] * 3 + ["城乡建设x"] * 3
QUERIES = ["路灯坏了", "污水漫到路上", "半夜施工吵", "确认", "你好"]


def test_loaded_weights_are_fortran_float64_and_rank_the_same(tmp_path: Path) -> None:
    model = CategoryModel(ModelSettings(nb_min_texts=0)).fit(TEXTS, LABELS)  # every part, on a tiny set
    assert model.word_nb is not None
    path = tmp_path / "category_model.joblib"
    model.save(path)
    stored = joblib.load(path)["pipeline"].named_steps["svm"].coef_
    assert stored.dtype == np.float32  # the archive stays small

    loaded = CategoryModel.load(path)
    weights = loaded.pipeline.named_steps["svm"].coef_
    assert weights.dtype == np.float64 and weights.flags.f_contiguous
    assert weights.T.flags.c_contiguous  # what sklearn multiplies with: no copy per message

    plain = CategoryModel(loaded.settings)
    stored_all = joblib.load(path)
    plain.pipeline, plain.word_nb = stored_all["pipeline"], stored_all["word_nb"]  # as stored: float32, C order
    for query in QUERIES:
        assert loaded.rank([query]) == plain.rank([query])


def test_naive_bayes_parts_only_with_enough_training_texts() -> None:
    """Chosen by CV on 9,000+ texts; on a few hundred (our own data alone) the plain SVM is used."""
    few = CategoryModel(ModelSettings(nb_min_texts=len(TEXTS) + 1)).fit(TEXTS, LABELS)
    assert few.word_nb is None and not isinstance(few.pipeline.named_steps["svm"], NBLinearSVC)
    enough = CategoryModel(ModelSettings(nb_min_texts=len(TEXTS))).fit(TEXTS, LABELS)
    assert enough.word_nb is not None and isinstance(enough.pipeline.named_steps["svm"], NBLinearSVC)
