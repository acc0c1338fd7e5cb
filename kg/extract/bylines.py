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
          r"|融媒体中心|融媒|客户端|通讯社|在线)")
# a byline's 记者/摄 is never part of the name (香港文汇报记者X摄)
_NAME = r"(?:(?!记者|通讯员|摄)[\u4e00-\u9fffa-z0-9]){1,16}?" + _MEDIA
# 来源:X ; 信息来源:X ; 转自:X ; 稿源:X ; 本文原载于X (the key has width folded: ：→:)
_SOURCE = re.compile(r"(?:信息)?(?:来源|转自|稿源|转载自|原载于|授权自)[:]?(" + _NAME
                     + r")(?=[^\u4e00-\u9fff]|$|作者|编辑|收集|时间|浏览)")
# X(N月N日)讯 / 电 at the start of a sentence; X N月N日，… (the site, then the date)
_DATELINE = re.compile(r"^(" + _NAME + r")(?:(?:\d{1,2}月\d{1,2}日)?(?:讯|电)|\s*(?=\d{1,2}月\d{1,2}日))")
# X重庆7月18日电, X2021年5月6日讯 (a place of two to four characters or a year before the date)
_PLACED = re.compile(r"^(" + _NAME + r")(?:[\u4e00-\u9fff]{2,4})?(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:讯|电)")
# 据X报道 ; (X记者 Y) ; X资料图 ; …(X) closing a paragraph
_CITED = re.compile(r"据(" + _NAME + r")报道|(?:^|[(])(" + _NAME + r")(?:[·•][\u4e00-\u9fff]{1,4})?(?:记者|通讯员)"
                    r"|(" + _NAME + r")资料图|[(](" + _NAME + r")[)]$")
# 您的位置：X > 新闻中心 (a page's breadcrumb starts with the site)
_CRUMB = re.compile(r"(?:您的|当前)?位置[:]?\s*(" + _NAME + r")\s*>")


def byline_spans(doc: Document) -> dict[int, list[tuple[int, int, str]]]:
    """Per sentence index, the spans ``(i, j, "Organization")`` of media names in bylines and source lines."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    for s in doc.sentences:
        for pattern in (_SOURCE, _PLACED, _DATELINE, _CRUMB, _CITED):
            for m in pattern.finditer(s.key):
                g = next(k for k in range(1, (m.lastindex or 1) + 1) if m.group(k))
                taken = out.get(s.index, [])
                if m.group(g) not in ("本报", "本网", "新闻") and not any(a < m.end(g) and m.start(g) < b
                                                                      for a, b, _ in taken):
                    out.setdefault(s.index, []).append((m.start(g), m.end(g), "Organization"))
    return out
