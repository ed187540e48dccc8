"""District rules (属地): territorial rows, named-district exceptions and the precedence between them."""
import pytest

from ticketing.domain.departments import default_directory
from ticketing.domain.routing import Router, default_router

GOVERNMENTS = {"江岸区": "district-jiangan", "江汉区": "district-jianghan", "洪山区": "district-hongshan"}
RULES = {
    "default": "hotline",
    "rules": [
        {"category": ["城乡建设"], "department": "urban-construction"},
        {"category": ["城乡建设", "城市建设和市政管理"], "department": "urban-management"},
        {"category": ["城乡建设", "城市建设和市政管理", "环境卫生"], "department": "urban-management"},
        {"category": ["城乡建设", "城市建设和市政管理", "环境卫生"], "territorial": True},
        {"category": ["城乡建设", "城市建设和市政管理", "环境卫生"], "district": "洪山区",
         "department": "street-hongshan-guanshan"},
        {"category": ["城乡建设", "城市建设和市政管理"], "district": "江岸区", "department": "district-jiangan"},
        {"category": ["城乡建设", "城市建设和市政管理"], "territorial": True, "assist": ["urban-management"]},
    ],
}
SANITATION = ["城乡建设", "城市建设和市政管理", "环境卫生"]


def router() -> Router:
    return Router.from_data(RULES, GOVERNMENTS)


def test_territorial_rule_sends_to_the_tickets_own_district() -> None:
    assert router().route(SANITATION, "江汉区").department == "district-jianghan"
    assert router().route(SANITATION, "江岸区").department == "district-jiangan"


def test_named_district_beats_territorial_beats_citywide_at_the_same_depth() -> None:
    assert router().route(SANITATION, "洪山区").department == "street-hongshan-guanshan"
    assert router().route(SANITATION, "江汉区").department == "district-jianghan"
    assert router().route(SANITATION, None).department == "urban-management"


def test_deeper_category_beats_any_district_rule() -> None:
    # 江岸区 has a named rule at level 2, but the level-3 territorial rule is more specific
    deeper = router().route(SANITATION, "江岸区").rule
    assert deeper is not None and deeper.territorial and len(deeper.category) == 3
    # without a level-3 rule, the named level-2 rule beats the level-2 territorial one
    decision = router().route(["城乡建设", "城市建设和市政管理", "燃气供应"], "江岸区")
    assert decision.department == "district-jiangan" and decision.rule and decision.rule.district == "江岸区"


def test_territorial_rule_is_skipped_without_a_known_district_government() -> None:
    for district in (None, "", "未知区", "东湖新技术开发区"):
        decision = router().route(["城乡建设", "城市建设和市政管理", "路灯照明"], district)
        assert decision.department == "urban-management" and not decision.rule.territorial  # type: ignore[union-attr]


def test_territorial_rule_keeps_its_assisting_departments() -> None:
    decision = router().route(["城乡建设", "城市建设和市政管理", "路灯照明"], "江汉区")
    assert decision.department == "district-jianghan" and decision.assist == ("urban-management",)


def test_without_a_directory_territorial_rules_never_match() -> None:
    assert Router.from_data(RULES).route(SANITATION, "江汉区").department == "urban-management"


@pytest.mark.parametrize("district", ["江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区",
                                      "汉南区", "蔡甸区", "江夏区", "黄陂区", "新洲区"])
def test_packaged_enforcement_goes_to_each_of_the_13_districts(district: str) -> None:
    decision = default_router().route(["城乡建设", "城市建设和市政管理", "城管执法"], district)
    government = default_directory().get(decision.department)
    assert government.kind == "district" and government.district == district


def test_packaged_district_rules_and_city_fallbacks() -> None:
    route = default_router().route
    # 属地 with 协办: property management in a district goes to it, the housing bureau assists
    decision = route(["城乡建设", "住房保障与房地产", "物业管理"], "武昌区")
    assert decision.department == "district-wuchang" and decision.assist == ("housing",)
    assert route(["城乡建设", "住房保障与房地产", "物业管理"]).department == "housing"
    # a named development zone beats 属地 for its own housing office
    assert route(["城乡建设", "住房保障与房地产", "物业管理"], "东湖新技术开发区").department == "zone-east-lake-hitech"
    assert route(["城乡建设", "城市建设和市政管理", "公园管理"], "东湖生态旅游风景区").department == "zone-east-lake-scenic"
    assert route(["城乡建设", "城市建设和市政管理", "公园管理"], "武昌区").department == "landscape-forestry"
    # enrolment: district, with the city education bureau assisting; other school matters stay city-wide
    assert route(["教育文体", "教育管理", "入学招生"], "黄陂区").department == "district-huangpi"
    assert route(["教育文体", "教育管理", "学校管理"], "黄陂区").department == "education"
    # utilities never go 属地: the enterprise serves the whole city
    assert route(["城乡建设", "城市建设和市政管理", "燃气供应"], "江汉区").department == "gas-supply"


def test_street_offices_are_not_the_territorial_answer_for_a_district() -> None:
    directory = default_directory()
    assert directory.for_district("江汉区").code == "district-jianghan"  # type: ignore[union-attr]
    governments = directory.district_governments()
    assert len([d for d in governments if d.endswith("区") and "开发" not in d and "风景" not in d]) == 13
    assert all(directory.get(code).kind == "district" for code in governments.values())
    assert [d.code for d in directory.all() if d.kind == "street"]
