"""Hotspot rules on our own small examples: places, similarity, clustering and ranking."""
from datetime import datetime, timedelta, timezone

from ticketing.analytics.hotspots import Doc, cluster, extract_place, hotspots, jaccard, normalise_place, rank, shingles

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def doc(i: str, text: str, place: str | None = None, category: str | None = "环境保护", age: float = 1,
        up: int = 0) -> Doc:
    return Doc(i, text, place, category, NOW - age * DAY, up, 0)


NOISE = [
    doc("n1", "工地每天夜里十二点以后还在施工，噪音太大，孩子睡不好", "江汉区新华路23号"),
    doc("n2", "新华路工地夜里十二点以后还在施工，噪音很大，老人睡不好", "江汉区新华路工地旁边"),
    doc("n3", "再次反映：工地夜里十二点以后还在施工，噪音太大", "武汉市江汉区新华路"),
]


def test_normalise_place_drops_city_numbers_and_vague_tails() -> None:
    assert normalise_place("武汉市江汉区新华路23号") == "江汉区新华路"
    assert normalise_place("江汉区新华路工地旁边") == "江汉区新华路工地"
    assert normalise_place("洪山区南湖花园三期5栋") == "洪山区南湖花园"
    assert normalise_place("") is None and normalise_place(None) is None


def test_extract_place_from_free_text() -> None:
    assert extract_place("反映江汉区新华路垃圾堆放的问题") == "江汉区新华路"
    assert extract_place("A3区青青家园小区门口占道经营") == "A3区青青家园"
    assert extract_place("想问一下养老保险怎么交") is None


def test_similarity_of_shingles() -> None:
    a, b = shingles("噪音太大，睡不好"), shingles("噪音太大睡不好！")
    assert a == b and jaccard(a, b) == 1.0
    assert jaccard(shingles("路灯坏了"), shingles("工资拖欠")) == 0.0
    assert jaccard(frozenset(), a) == 0.0


def test_similar_complaints_at_one_place_form_one_cluster() -> None:
    other_topic = doc("x1", "新华路有商户占用人行道摆摊经营，行人只能走机动车道", "江汉区新华路", "城乡建设")
    elsewhere = doc("x2", "楼下餐馆油烟直接排到居民楼，窗户都不敢开", "洪山区珞喻路")
    groups = {frozenset(d.id for d in c.members) for c in cluster([*NOISE, other_topic, elsewhere])}
    assert frozenset({"n1", "n2", "n3"}) in groups
    assert frozenset({"x1"}) in groups and frozenset({"x2"}) in groups


def test_different_categories_never_join() -> None:
    a = doc("a", "小区门口的路灯坏了快两个星期，晚上出行很不安全", "江岸区解放大道", "城乡建设")
    b = doc("b", "小区门口的路灯坏了快两个星期，晚上出行很不安全", "江岸区解放大道", "环境保护")
    assert all(c.size == 1 for c in cluster([a, b]))


def test_rank_by_size_then_recency_and_votes() -> None:
    lamp = [doc(f"l{i}", "小区门口的路灯坏了快两个星期，晚上很黑", "江岸区二七路", age=2) for i in range(2)]
    old_noise = [doc(d.id + "o", d.text, d.place, age=60) for d in NOISE]
    ranked = rank(cluster([*NOISE, *lamp]), NOW)
    assert [c.size for c in ranked] == [3, 2]
    assert rank(cluster([*old_noise, *lamp]), NOW)[0].members[0].id.startswith("l")  # recency beats size here
    voted = [doc(f"v{i}", "公交站台顶棚破损，下雨天等车都淋湿了", "武昌区中南路", age=2, up=50) for i in range(2)]
    assert rank(cluster([*lamp, *voted]), NOW)[0].members[0].id.startswith("v")
    assert rank(cluster([*lamp, *voted]), NOW, use_votes=False)[0].score == rank(cluster(lamp), NOW)[0].score


def test_hotspots_skip_single_complaints_and_name_the_place() -> None:
    spots = hotspots([*NOISE, doc("s", "河道里漂着垃圾", "汉阳区墨水湖北路")], NOW)
    assert len(spots) == 1 and spots[0].place == "江汉区新华路" and spots[0].size == 3
    assert spots[0].members[0].id == "n3"  # newest first (all one day old: ties by id, descending)
