"""bench.first_turn_intents counts a first turn as filed exactly when the dialogue would start a filing."""
from bench.first_turn_intents import starts_filing


def test_filing_intents_and_long_unsure_texts_start_a_filing() -> None:
    assert starts_filing("report_problem", "路灯坏了") and starts_filing("consult", "公积金怎么提取")
    assert starts_filing("inform_place", "洪山区珞喻路")
    assert starts_filing("nlu_fallback", "某某街道的排水沟堵了很久一直没有人来疏通")  # actions/fallback.py files it


def test_replies_and_short_unsure_texts_do_not() -> None:
    for intent in ("stop", "deny", "affirm", "ask_help", "check_status", "supplement", "greet"):
        assert not starts_filing(intent, "请加强对校外培训机构的监管"), intent
    assert not starts_filing("nlu_fallback", "一房二卖")  # asked to rephrase


def test_contact_details_start_a_filing_only_with_a_problem_after_them() -> None:
    """actions/self_introduction.py: the rule for inform_details outside the form starts the form then."""
    assert starts_filing("inform_details", "我叫张三，电话13912345678，住在洪山区珞喻路锦绣小区3栋201，楼上漏水到我家天花板")
    assert not starts_filing("inform_details", "我叫张三，电话13912345678，住在洪山区珞喻路锦绣小区3栋201")


def test_a_greeting_or_thanks_start_a_filing_only_when_the_writer_introduces_themself_and_a_problem() -> None:
    """data/rules.yml: greet and thank outside the form go through action_read_details too."""
    assert starts_filing("greet", "尊敬的领导您好，我叫王敏，学校门口的早餐摊占道经营半年了")
    assert starts_filing("thank", "谢谢！本人是江汉区某小区业主，小区的电梯一个月坏了三次")
    for text in ("你好，人工客服在吗", "非常感谢你们的帮助", "谢谢，问题已经解决了", "尊敬的领导您好，我叫王敏"):
        assert not starts_filing("greet", text) and not starts_filing("thank", text), text
