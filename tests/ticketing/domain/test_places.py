"""District extraction from free place text."""
import pytest

from ticketing.domain.places import default_resolver


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("江汉区解放大道688号", "江汉区"),
        ("武汉市洪山区珞喻路1037号", "洪山区"),
        ("江夏大花山附近", "江夏区"),
        ("东湖高新区光谷广场", "东湖新技术开发区"),
        ("汉阳区钟家村", "汉阳区"),
    ],
)
def test_wuhan_districts(text: str, district: str) -> None:
    place = default_resolver().resolve(text)
    assert place.district == district and place.in_jurisdiction and place.city == "武汉市"


@pytest.mark.parametrize("text", ["光谷大道和高新大道路口", "", "   ", None, "楼下", "near the bridge"])
def test_no_district_when_place_does_not_say(text: str | None) -> None:
    assert default_resolver().resolve(text).district is None


def test_other_city_is_outside_jurisdiction() -> None:
    place = default_resolver().resolve("北京市海淀区中关村大街")
    assert place.district == "海淀区" and not place.in_jurisdiction
