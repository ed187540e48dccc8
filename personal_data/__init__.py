"""Personal data in a resident's free text: ID card and phone numbers found, told apart, masked; names.

One component for the bot (bot/components, actions/, bot/channels) and the ticketing service
(ticketing/domain/privacy.py), pure Python with python-stdnum only, so it runs unchanged in both
environments and both sides mask the same way.

    >>> from personal_data import mask_id_numbers, mask_numbers
    >>> mask_id_numbers("身份证11010519491231002X")
    '身份证110105********002X'
    >>> mask_numbers("电话13812345678")
    '电话138****5678'
"""
from personal_data.ids import IdNumber, find_id_numbers, is_id_number, mask_id, mask_id_numbers
from personal_data.masking import mask_numbers
from personal_data.names import NAME_PATTERN, SURNAMES, TITLES

__all__ = ["IdNumber", "find_id_numbers", "is_id_number", "mask_id", "mask_id_numbers", "mask_numbers",
           "NAME_PATTERN", "SURNAMES", "TITLES"]
