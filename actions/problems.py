"""Several problems in one message ("一是路灯坏了，二是垃圾没人收") are filed one at a time.

Why conservative: long letters to the hotline often list several points about ONE problem ("一、…
二、…"); splitting those would scatter one complaint over several departments. We split only short
messages (≤ MAX_CHARS) with explicit markers of separate problems, each part long enough to stand alone.
"""
from __future__ import annotations

import re
from typing import List, Optional

MAX_CHARS = 300
MIN_PART_CHARS = 4
_ENUMERATED_RE = re.compile(
    r"(?:^|[，。；;！!？?\s])(?:[1-9][、.．)）]|[①②③④⑤]|[一二三四五](?:是|、)|第[一二三四五](?:个问题)?[，,、：:是])"
)
_ANOTHER_RE = re.compile(r"(?:[，。；;！!？?\s]|^)(?:另外还有一个问题|还有一个问题|另一个问题|另外一个问题|另外还有|另外|还有就是|此外)[，,：:]?")


def _parts(text: str, pattern: "re.Pattern[str]") -> List[str]:
    cuts = [m.start() for m in pattern.finditer(text)]
    if len(cuts) < (2 if pattern is _ENUMERATED_RE else 1):
        return []
    bounds = ([0] if cuts[0] > 0 else []) + cuts + [len(text)]
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    cleaned = [pattern.sub("", p, count=1).strip(" ，。；;、：:") for p in pieces]
    return [p for p in cleaned if p]


def split_problems(text: Optional[str]) -> List[str]:
    """The separate problems in one message; a single-item list when it holds one (or is a letter)."""
    body = (text or "").strip()
    if len(body) > MAX_CHARS:
        return [body]
    for pattern in (_ENUMERATED_RE, _ANOTHER_RE):
        parts = _parts(body, pattern)
        if len(parts) >= 2 and all(len(p) >= MIN_PART_CHARS for p in parts):
            return parts
    return [body]
