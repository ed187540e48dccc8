"""ID card numbers: recognised by their check digit (or a cue), never stored in clear, masked like phones.

11010519491231002X is the example number of GB 11643 itself; the other numbers here are made up.
"""
from __future__ import annotations

import pytest

from personal_data import find_id_numbers, is_id_number, mask_id
from ticketing.domain.new_ticket import TicketCreate
from ticketing.domain.privacy import mask_id_numbers, mask_text

VALID = "11010519491231002X"


@pytest.mark.parametrize(("number", "valid"), [
    (VALID, True), (VALID.lower(), True), ("110105 19491231 002X", True),
    ("110105194912310021", False),   # wrong check digit
    ("110105194913310028", False),   # no 13th month
    ("110105491231002", True),       # old 15 digits: known region, valid 1949-12-31
    ("110105491331002", False),      # old 15 digits, no 13th month
    ("13812345678", False), ("", False), (None, False),
])
def test_id_numbers_by_gb_11643(number, valid) -> None:
    assert is_id_number(number) is valid


def test_a_cued_number_is_an_id_even_mistyped_and_other_long_numbers_are_not() -> None:
    text = "身份证号码：420102199001011234，订单号420102199001011234"
    found = find_id_numbers(text)
    assert [(text[f.start:f.end], f.valid) for f in found] == [("420102199001011234", False)]
    assert mask_id_numbers(text) == "身份证号码：420102********1234，订单号420102199001011234"


def test_masked_form_keeps_region_and_last_digits() -> None:
    assert mask_id(VALID) == "110105********002X" and mask_id("110105491231002") == "110105******002"
    assert mask_id("110105********002X") == "110105********002X"


def test_stored_masking_changes_only_the_id_numbers() -> None:
    text = f"我叫张三，电话13912345678，身份证{VALID}，工单20261125-000001，住3栋201"
    assert mask_id_numbers(text) == "我叫张三，电话13912345678，身份证110105********002X，工单20261125-000001，住3栋201"
    assert mask_id_numbers("身份证１１０１０５１９４９１２３１００２Ｘ") == "身份证110105********002X"  # full-width


def test_department_text_masks_ids_phones_and_landlines() -> None:
    out = mask_text(f"电话13912345678，老身份证110105491231002，新的{VALID}，座机027-85551234，订单123456789012345678")
    assert out == ("电话139****5678，老身份证110105******002，新的110105********002X，座机027-****1234，"
                   "订单123456********5678")


def test_every_new_ticket_stores_the_id_number_masked() -> None:
    """The hotline included: no part of the system needs the number, and a masked one says one was given."""
    ticket = TicketCreate(description=f"我的身份证{VALID}办不了社保卡，电话13912345678")
    assert ticket.description == "我的身份证110105********002X办不了社保卡，电话13912345678"
    assert "19491231" not in ticket.model_dump_json()
