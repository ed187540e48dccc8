"""Names in a resident's free text: the surnames that tell a bare name from a few words.

Why: "王五，13800001111" gives a name, "漏水了，13800001111" does not; both are a short clause beside a
phone number. Residents name themselves after a role too ("业主张明", "居民李娜"). The 120 most common
surnames (about nine in ten residents) decide; a rarer surname is simply not read, never misread.
"""
from __future__ import annotations

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
)
TITLES = "先生|女士|小姐|阿姨|师傅|老师|大爷|大妈|大姐|大哥"
# A name of 2–3 characters with a common surname, or a surname (or two characters) and a title.
NAME_PATTERN = rf"(?:[\u4e00-\u9fa5]{{1,2}}(?:{TITLES})|[{SURNAMES}][\u4e00-\u9fa5]{{1,2}})"
