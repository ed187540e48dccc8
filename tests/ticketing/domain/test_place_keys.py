"""Place keys: one string per place, however the resident wrote it, written at intake."""
from ticketing.domain.place_keys import PLACE_KEY_CHARS, place_key


def test_the_place_field_wins_and_loses_city_door_number_and_vague_tail() -> None:
    assert place_key("武汉市江汉区新华路23号附近", "江汉区", "路灯坏了") == "江汉区新华路"
    assert place_key("江汉区新华路", None, None) == place_key("武汉市江汉区新华路100号", None, None)


def test_without_a_place_the_district_then_the_text_is_used() -> None:
    assert place_key(None, "洪山区", "小区门口占道经营") == "洪山区"
    assert place_key("", None, "反映江汉区新华路垃圾堆放的问题") == "江汉区新华路"
    assert place_key(None, None, "想问一下养老保险怎么交") is None


def test_keys_fit_the_column() -> None:
    key = place_key("江汉区" + "长" * 300 + "路", None, None)
    assert key is not None and len(key) == PLACE_KEY_CHARS
