"""Media organizations named in a byline, a source line or a breadcrumb: 湖南日报7月12日讯, 来源:上海证券报,
您的位置:萧山网 >.

News pages name the paper, site or broadcaster that published them in a few fixed places;
those names carry no legal suffix the rules could see. Only a name ending in a media word
(日报, 新闻网, 广播电视台, 融媒体中心 …) in one of these places is taken, typed ``Organization``.
"""

from __future__ import annotations

import re

from kg.extract.document import Document

__all__ = ["byline_spans"]

_MEDIA = (r"(?:日报社?|晚报|早报|商报|时报|证券报|报社|新闻网|新闻|网|报|电视台|广播电视台|广播电视总台|电视总台|总台"
          r"|融媒体中心|融媒|客户端|通讯社)")
_NAME = r"[\u4e00-\u9fffa-z0-9]{1,16}?" + _MEDIA
# 来源:X ; 信息来源:X ; 转自:X ; 稿源:X (the key has width folded: ：→:)
_SOURCE = re.compile(r"(?:信息)?(?:来源|转自|稿源|转载自)[:]?(" + _NAME
                     + r")(?=[^\u4e00-\u9fff]|$|作者|编辑|收集|时间|浏览)")
# X(N月N日)讯 / 电 at the start of a sentence; X N月N日，… (the site, then the date)
_DATELINE = re.compile(r"^(" + _NAME + r")(?:(?:\d{1,2}月\d{1,2}日)?(?:讯|电)|\s*(?=\d{1,2}月\d{1,2}日))")
# 您的位置：X > 新闻中心 (a page's breadcrumb starts with the site)
_CRUMB = re.compile(r"(?:您的|当前)?位置[:]?\s*(" + _NAME + r")\s*>")


def byline_spans(doc: Document) -> dict[int, list[tuple[int, int, str]]]:
    """Per sentence index, the spans ``(i, j, "Organization")`` of media names in bylines and source lines."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    for s in doc.sentences:
        for pattern in (_SOURCE, _DATELINE, _CRUMB):
            for m in pattern.finditer(s.key):
                if m.group(1) not in ("本报", "本网", "新闻"):
                    out.setdefault(s.index, []).append((m.start(1), m.end(1), "Organization"))
    return out
