"""The category component trains on our own data alone, classifies, survives odd input, persists.

Runs without ../shared/data (use_shared_data: false), in a few seconds.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest

pytest.importorskip("rasa")

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bot.components import category_sources as sources  # noqa: E402
from bot.components.category_classifier import CategoryClassifier  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CONFIG: Dict[str, Any] = {
    **{key: str(REPO / value) for key, value in sources.DEFAULT_PATHS.items()},
    "use_shared_data": False,
}
RESOURCE = Resource("category_classifier")

# Unseen sentences of our own, one or two per class (none of them is in bot/category_data).
UNSEEN = [
    ("我们街上的路灯一到晚上就不亮，走路看不见", "城乡建设"),
    ("老板欠了我们半年的工资一直不给", "劳动和社会保障"),
    ("孩子的学校天天布置很多作业，还强制补课", "教育文体"),
    ("村支书把扶贫款贪污了，请纪委调查", "纪检监察"),
    ("家里手机信号太差了，打电话听不清", "科技与信息产业"),
    ("奶奶生活困难，想给她申请低保", "民政"),
    ("我的电动车昨晚在小区被偷了", "政法"),
    ("有公司打着高息理财的名义非法集资", "经济管理"),
]


def parse(component: CategoryClassifier, text: str) -> Message:
    return component.process([Message(data={"text": text})])[0]


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def trained(storage: LocalModelStorage) -> CategoryClassifier:
    context = ExecutionContext(GraphSchema({}), "test")
    component = CategoryClassifier.create({**CategoryClassifier.get_default_config(), **CONFIG},
                                          storage, RESOURCE, context)
    component.train(TrainingData())
    return component


@pytest.mark.parametrize("text, expected", UNSEEN)
def test_classifies_unseen_sentences(trained: CategoryClassifier, text: str, expected: str) -> None:
    category = parse(trained, text).get("category")
    assert category["level1"] == expected, category["ranking"]
    assert 0 < category["confidence"] <= 1


def test_adds_an_entity_actions_can_read(trained: CategoryClassifier) -> None:
    message = parse(trained, "楼下的下水道堵了，污水流得到处都是")
    entities: List[Dict[str, Any]] = message.get("entities")
    assert [(e["entity"], e["value"], e["extractor"]) for e in entities] == [
        ("category", "城乡建设", "CategoryClassifier")]
    assert message.as_dict(only_output_properties=True)["category"]["level1"] == "城乡建设"


def test_level_two_and_three_come_from_a_keyword_under_the_same_first_level(trained: CategoryClassifier) -> None:
    category = parse(trained, "小区已经停水两天了，一直没有人来修").get("category")
    assert category["path"] == ["城乡建设", "城市建设和市政管理", "自来水供应"]
    assert (category["level2"], category["level3"]) == ("城市建设和市政管理", "自来水供应")


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "？？！"])
def test_messages_without_words_get_no_category(trained: CategoryClassifier, text: str) -> None:
    message = parse(trained, text)
    assert message.get("category") is None
    assert not message.get("entities")


def test_huge_message_is_classified_quickly(trained: CategoryClassifier) -> None:
    text = "我们小区的垃圾已经一个星期没有人清运了，臭气熏天。" * 200  # ~5,000 characters
    assert len(text) >= 5000
    assert parse(trained, text).get("category")["level1"] == "城乡建设"


def test_persists_and_loads(trained: CategoryClassifier, storage: LocalModelStorage) -> None:
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = CategoryClassifier.load(CONFIG, storage, RESOURCE, context)
    text = UNSEEN[0][0]
    assert parse(loaded, text).get("category") == parse(trained, text).get("category")


def test_untrained_component_leaves_messages_alone(tmp_path: Path) -> None:
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = CategoryClassifier.load(CONFIG, LocalModelStorage(tmp_path), Resource("missing"), context)
    assert parse(loaded, "路灯坏了").get("category") is None


def test_fingerprint_follows_the_example_file(tmp_path: Path) -> None:
    examples = tmp_path / "examples.csv"
    examples.write_text("category,text\n民政,想申请低保\n", encoding="utf-8")
    config = {**CONFIG, "examples_path": str(examples)}
    before = CategoryClassifier.fingerprint_addon(config)
    examples.write_text("category,text\n民政,想申请低保\n政法,电动车被偷了\n", encoding="utf-8")
    assert before != CategoryClassifier.fingerprint_addon(config)
