"""Texts and places for demo tickets: the shared real messages when present, else our own examples.

The real messages (``../shared/data/messages.csv``) are read in place and never copied into the
repository; their anonymised "A市"/"A3区" become Wuhan and the ticket's district, so the text and
the place field agree. The fallback examples and all places below are written by us.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ticketing.core.settings import REPO_ROOT, load_settings

MESSAGES_CSV = REPO_ROOT.parent / "shared" / "data" / "messages.csv"
MAX_TEXT = 600


@dataclass(frozen=True)
class Source:
    """One complaint text with the first-level category it was filed under."""

    text: str
    category: str


# Streets, roads and communities per district (a demo list of well-known Wuhan names).
PLACES: dict[str, tuple[str, ...]] = {
    "江岸区": ("解放大道", "二七路", "百步亭花园", "黄浦大街"),
    "江汉区": ("新华路", "万松园路", "唐家墩路", "常青路"),
    "硚口区": ("中山大道", "汉正街", "古田二路", "宝丰路"),
    "汉阳区": ("汉阳大道", "钟家村", "四新大道", "墨水湖北路"),
    "武昌区": ("中南路", "积玉桥", "徐家棚街道", "武珞路"),
    "青山区": ("和平大道", "钢都花园", "冶金大道", "建设二路"),
    "洪山区": ("珞喻路", "南湖花园", "白沙洲大道", "雄楚大道"),
    "东西湖区": ("金银湖路", "吴家山街道", "东吴大道"),
    "汉南区": ("纱帽街道", "汉南大道"),
    "蔡甸区": ("蔡甸街道", "知音湖大道", "奓山街道"),
    "江夏区": ("纸坊大街", "文化大道", "庙山小区"),
    "黄陂区": ("前川街道", "盘龙城", "川龙大道"),
    "新洲区": ("邾城街道", "阳逻街道", "齐安大道"),
}
# Busy central districts receive more requests than the outer ones.
DISTRICT_WEIGHTS = {"江岸区": 9, "江汉区": 9, "硚口区": 7, "汉阳区": 7, "武昌区": 10, "青山区": 5, "洪山区": 12,
                    "东西湖区": 4, "汉南区": 1, "蔡甸区": 3, "江夏区": 5, "黄陂区": 4, "新洲区": 3}

OWN_EXAMPLES: tuple[Source, ...] = (
    Source("小区门口的路灯坏了快两个星期，晚上出行很不安全，请尽快维修。", "城乡建设"),
    Source("楼下餐馆油烟直接排到居民楼，窗户都不敢开，希望有关部门管一管。", "环境保护"),
    Source("工地每天夜里十二点以后还在施工，噪音太大，老人孩子都睡不好。", "环境保护"),
    Source("公司拖欠我们三个月工资，老板一直找借口不发，请帮忙维权。", "劳动和社会保障"),
    Source("想咨询一下灵活就业人员怎么续缴养老保险，需要带什么材料？", "劳动和社会保障"),
    Source("孩子明年上小学，想问一下我们小区对应哪所学校，需要准备哪些证明。", "教育文体"),
    Source("公交站台的顶棚破损，下雨天等车的人都淋湿了，请尽快修复。", "交通运输"),
    Source("路口红绿灯时间太短，早高峰车辆排很长的队，建议调整配时。", "交通运输"),
    Source("小区物业不作为，电梯经常坏，收了物业费却没人来修。", "城乡建设"),
    Source("下水道堵塞，污水漫到路面上，气味很大，请安排疏通。", "城乡建设"),
    Source("在超市买到过期食品，商家拒绝退换，请市场监管部门处理。", "商贸旅游"),
    Source("社区卫生服务中心排队太久，希望增加疫苗接种的窗口。", "卫生计生"),
    Source("河道里漂着大量垃圾和死鱼，附近居民反映气味难闻。", "环境保护"),
    Source("培训机构收了一年学费后关门跑路，家长们要求退费。", "教育文体"),
    Source("老旧小区改造把绿化带挖了以后一直没有恢复，地面坑洼不平。", "城乡建设"),
    Source("医院收费清单里有重复收费的项目，请卫健部门核查。", "卫生计生"),
)

_DISTRICT_TOKEN = re.compile(r"[A-Z]\d{1,2}[区县]")


def load_sources(path: Path = MESSAGES_CSV) -> list[Source]:
    """Real messages when the shared file is there, else our own examples.

    ``YIJIAN_SEED_OWN_EXAMPLES=1`` forces our own examples: pictures committed to the repository
    (docs/screenshots) must not show the real messages' texts.
    """
    if not path.is_file() or load_settings().seed_own_examples:
        return list(OWN_EXAMPLES)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(r.get("subject") or "", r.get("body") or "", r.get("category") or "") for r in csv.DictReader(handle)]
    sources = [Source(_join(subject, body), category) for subject, body, category in rows if body and category]
    return sources or list(OWN_EXAMPLES)


def _join(subject: str, body: str) -> str:
    text = body if not subject or body.startswith(subject) else f"{subject}。{body}"
    return text[:MAX_TEXT]


def localise(text: str, district: str) -> str:
    """The public set's anonymised places ("A市", "A3区") read as Wuhan and the ticket's district."""
    return _DISTRICT_TOKEN.sub(district, text.replace("A市", "武汉市"))


def kind_of(text: str) -> str:
    """A ticket kind from the wording of the opening (the public set has no kinds)."""
    head = text[:40]
    for word, kind in (("举报", "举报"), ("咨询", "咨询"), ("请问", "咨询"), ("建议", "建议"), ("求助", "求助")):
        if word in head:
            return kind
    return "投诉"
