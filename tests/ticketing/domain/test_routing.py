"""Routing rules: most specific wins, district rules, catch-all; plus the packaged rule table."""
from ticketing.domain.departments import default_directory
from ticketing.domain.routing import Router, default_router

RULES = {
    "default": "hotline",
    "rules": [
        {"category": ["城乡建设"], "department": "housing"},
        {"category": ["城乡建设", "城市建设和市政管理"], "department": "urban-management"},
        {"category": ["城乡建设", "城市建设和市政管理", "燃气供应"], "department": "gas-supply"},
        {"category": ["城乡建设", "城市建设和市政管理"], "district": "江汉区", "department": "district-jianghan"},
        {"category": ["环境保护"], "department": "ecology-environment"},
        {"category": ["环境保护"], "department": "urban-management"},
    ],
}


def test_deepest_category_rule_wins() -> None:
    router = Router.from_data(RULES)
    assert router.route(["城乡建设", "城市建设和市政管理", "燃气供应"]).department == "gas-supply"
    assert router.route(["城乡建设", "城市建设和市政管理", "环境卫生"]).department == "urban-management"
    assert router.route(["城乡建设", "住房保障与房地产"]).department == "housing"


def test_district_rule_beats_same_depth_rule_only_in_its_district() -> None:
    router = Router.from_data(RULES)
    path = ["城乡建设", "城市建设和市政管理", "环境卫生"]
    assert router.route(path, "江汉区").department == "district-jianghan"
    assert router.route(path, "武昌区").department == "urban-management"
    assert router.route(path, None).department == "urban-management"
    # a deeper category rule still beats a shallower district rule
    assert router.route(["城乡建设", "城市建设和市政管理", "燃气供应"], "江汉区").department == "gas-supply"


def test_unknown_or_empty_category_goes_to_catch_all() -> None:
    router = Router.from_data(RULES)
    for path in ([], ["不存在的分类"], ["城市建设和市政管理"]):
        decision = router.route(path)
        assert decision.department == "hotline" and decision.is_default


def test_ties_go_to_the_rule_listed_first() -> None:
    assert Router.from_data(RULES).route(["环境保护", "环境污染"]).department == "ecology-environment"


def test_packaged_rules_point_only_at_known_departments() -> None:
    directory = default_directory()
    router = default_router()
    assert router.default in directory
    missing = [r.department for r in router.rules if not r.territorial and r.department not in directory]
    assert missing == []
    missing = [c for r in router.rules for c in r.assist if c not in directory]
    assert missing == []
    districts = [r.district for r in router.rules if r.district]
    assert all(directory.for_district(d) for d in districts)


def test_packaged_rules_examples() -> None:
    router = default_router()
    assert router.route(["城乡建设", "城市建设和市政管理", "市政设施"]).department == "urban-management"
    assert router.route(["城乡建设", "城市建设和市政管理", "自来水供应"]).department == "water-supply"
    assert router.route(["劳动和社会保障", "工资福利", "拖欠工资"]).department == "human-resources"
    assert router.route(["环境保护", "环境污染", "餐饮油烟"]).department == "urban-management"
    assert router.route(["城乡建设", "城市建设和市政管理", "城管执法"], "武昌区").department == "district-wuchang"
