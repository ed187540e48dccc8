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


# --- training data helpers: openings and weak labels from replies --------------------------------

from bot.components import category_weak_labels as weak  # noqa: E402
from bot.components.category_model import with_openings  # noqa: E402

LABELLER = weak.labeller(CONFIG["routing_path"], CONFIG["departments_path"], CONFIG["department_aliases_path"])


def test_openings_repeat_only_the_start_of_long_texts() -> None:
    texts, labels = with_openings(["短句", "这是一封很长的来信" * 10], ["民政", "城乡建设"], 20)
    assert texts == ["短句", "这是一封很长的来信" * 10, ("这是一封很长的来信" * 10)[:20]]
    assert labels == ["民政", "城乡建设", "城乡建设"]
    assert with_openings(["这是一封很长的来信" * 10], ["城乡建设"], 0) == (["这是一封很长的来信" * 10], ["城乡建设"])


def test_departments_map_to_the_class_they_answer_by_default() -> None:
    classes = weak.department_classes(CONFIG["routing_path"])
    assert classes["education"] == "教育文体"
    assert classes["human-resources"] == "劳动和社会保障"  # its default class, despite rules elsewhere
    assert classes["bus-group"] == "交通运输"  # all its rules lie under one class
    assert "urban-management" not in classes  # spread over several classes, no default: says nothing
    assert "hotline" not in classes


@pytest.mark.parametrize("reply, expected", [
    ("您好！经区教育局调查核实，该校已整改。", "教育文体"),
    ("经县人力资源和社会保障局核查，已督促企业发放工资。", "劳动和社会保障"),
    ("市生态环境局已责令其停产整改。", "环境保护"),
    ("区教育局与市公安局联合调查。", None),  # two classes: dropped
    ("经市城管执法委调查，已拆除。", None),  # a department that tells nothing
    ("我局已收到您的留言。", None),  # no department named
])
def test_a_reply_gets_the_class_of_the_departments_it_names(reply: str, expected: str) -> None:
    assert LABELLER.label(reply) == expected


def test_reply_examples_keep_only_allowed_confident_classes(tmp_path: Path) -> None:
    replies = tmp_path / "replies.csv"
    replies.write_text(
        "id,user,subject,time,body,reply,reply_time\n"
        "1,u,学校乱收费,t,孩子学校收资料费,经区教育局调查已退还,t\n"
        "2,u,派出所,t,户口迁移办不了,经市公安局核实已办理,t\n"
        "3,u,噪音,t,工地晚上施工,我局已收悉,t\n", encoding="utf-8")
    assert weak.reply_examples(str(replies), LABELLER) == (["学校乱收费\n孩子学校收资料费", "派出所\n户口迁移办不了"],
                                                          ["教育文体", "政法"])
    assert weak.reply_examples(str(replies), LABELLER, allowed={"教育文体"}) == (
        ["学校乱收费\n孩子学校收资料费"], ["教育文体"])
    assert weak.reply_examples(str(tmp_path / "missing.csv"), LABELLER) == ([], [])


def test_fingerprint_covers_the_department_files_only_when_replies_are_used() -> None:
    without = sources.input_files(CONFIG, use_shared=True, use_replies=False)
    with_replies = sources.input_files(CONFIG, use_shared=True, use_replies=True)
    assert Path(CONFIG["department_aliases_path"]) not in without
    assert Path(CONFIG["department_aliases_path"]) in with_replies
    assert Path(CONFIG["shared_data_dir"]) / "replies.csv" in with_replies


def test_short_first_messages_of_residents(trained: CategoryClassifier) -> None:
    # Typical first turns in the chat: a few words, like a subject line.
    for text, expected in [("公交车司机态度恶劣", "交通运输"), ("医院乱收费", "卫生计生"),
                           ("工厂排放废气", "环境保护")]:
        assert parse(trained, text).get("category")["level1"] == expected, text


def test_the_evaluation_report_keeps_sections_other_commands_wrote(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import nlu_eval

    doc = tmp_path / "nlu-evaluation.md"
    doc.write_text("# old\n\n## Results\n\nold table\n\n## Conversation-level check\n\nconv\n\n"
                   "## Pipeline comparison (`rasa test nlu`)\n\npipes\n\n### DIET\n\nrow\n", encoding="utf-8")
    monkeypatch.setattr(nlu_eval, "DOC", doc)
    names = [c.name for c in nlu_eval.configurations(False)]
    truth = ["城乡建设", "教育文体", "环境保护"] * 2
    results = [nlu_eval.Result(n, task, 1.0, 1.0, 0.0, truth, truth) for n in names for task in nlu_eval.TASKS]
    nlu_eval.write_report(results, names, ["- split"], nlu_eval.NOTES, None)
    text = doc.read_text(encoding="utf-8")
    assert "old table" not in text and "## Results" in text
    assert "conv" in text and "pipes" in text and "### DIET\n\nrow" in text
    assert text.index("## Conversation-level check") < text.index("## Pipeline comparison")
    assert "messages 1.000 ≥ 0.94 (reached)" in text
