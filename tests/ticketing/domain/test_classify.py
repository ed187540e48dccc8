"""Keyword category suggestions from the packaged table."""
import pytest

from ticketing.domain.categories import default_tree
from ticketing.domain.classify import KeywordClassifier, default_classifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我家楼下的路灯坏了好几天，晚上走路很危险", ["城乡建设", "城市建设和市政管理", "市政设施"]),
        ("隔壁装修噪音太大，周末一早就开始", ["环境保护", "环境污染", "噪声污染"]),
        ("小区垃圾好几天没人清运，臭气熏天", ["城乡建设", "城市建设和市政管理", "环境卫生"]),
        ("楼下餐馆油烟直排，窗户都不敢开", ["环境保护", "环境污染", "餐饮油烟"]),
        ("想咨询一下社保断缴以后怎么补缴", ["劳动和社会保障", "社会保险", "社保缴费"]),
        ("孩子学校要求家长每天批改作业", ["教育文体", "教育管理", "学校管理"]),
        ("公交车晚上九点以后就没有了", ["交通运输", "公共交通", "公交线路"]),
        ("我们小区从早上开始停水，也没有通知", ["城乡建设", "城市建设和市政管理", "自来水供应"]),
        ("整栋楼突然停电了", ["城乡建设", "城市建设和市政管理", "电力供应"]),
        ("新房子燃气一直没通，打电话没人管", ["城乡建设", "城市建设和市政管理", "燃气供应"]),
        ("物业不作为，电梯坏了一个月没修", ["城乡建设", "住房保障与房地产", "物业管理"]),
        ("老板拖欠工资三个月了", ["劳动和社会保障", "工资福利", "拖欠工资"]),
        ("网约车司机绕远路还加价", ["交通运输", "出租车管理", "网约车"]),
        ("快递员不送上门，包裹直接扔在驿站", ["交通运输", "邮政快递", "快递市场管理"]),
        ("包工头拖欠工程款不给", ["城乡建设", "建筑市场", "拖欠工程款"]),
        ("老房子拆迁补偿一直谈不拢", ["城乡建设", "房屋征收与补偿", "征收补偿"]),
        ("楼道堆放杂物，灭火器也过期了", ["政法", "社会治安", "消防安全"]),
        ("路边乱停车把消防通道都占了", ["政法", "交通管理", "违章停车"]),
        ("家人在医院被误诊，想反映医疗纠纷", ["卫生计生", "医患纠纷", "医疗事故争议"]),
    ],
)
def test_suggests_expected_category(text: str, expected: list[str]) -> None:
    suggestion = default_classifier().suggest(text)
    assert suggestion is not None and suggestion.category == expected
    assert suggestion.matched and all(word in text for word in suggestion.matched)


@pytest.mark.parametrize("text", ["", "你好", "hello, is anybody there?", "😀😀"])
def test_no_keyword_no_suggestion(text: str) -> None:
    assert default_classifier().suggest(text) is None


def test_rule_covering_more_text_wins() -> None:
    clf = KeywordClassifier([(["A"], ["水"]), (["B"], ["停水", "水压"])])
    assert clf.suggest("又停水了，水压也低").category == ["B"]
    assert clf.suggest("水").category == ["A"]


def test_every_keyword_rule_uses_a_known_category() -> None:
    tree = default_tree()
    unknown = [r[0] for r in default_classifier().rules if not tree.is_known(r[0])]
    assert unknown == []


def test_every_keyword_category_is_routed_to_a_department() -> None:
    """A suggestion the router cannot place would only park the ticket in the hotline queue."""
    from ticketing.domain.routing import default_router

    router = default_router()
    parked = [r[0] for r in default_classifier().rules if router.route(r[0]).is_default]
    assert parked == []


def test_contact_details_in_the_text_do_not_steer_the_category() -> None:
    text = "小区路灯坏了一周，联系电话13812345678，身份证420102199001011234"
    assert default_classifier().suggest(text).category[2] == "市政设施"
