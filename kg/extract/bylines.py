"""Media organizations named in a byline, a source line or a breadcrumb: 湖南日报7月12日讯, 来源:上海证券报,
您的位置:萧山网 >.

News pages name the paper, site or broadcaster that published them in a few fixed places;
those names carry no legal suffix the rules could see. A name ending in a media word
(日报, 新闻网, 广播电视台, 融媒体中心 …) in one of these places is taken, typed ``Organization``;
so is any name a source field holds up to the page's next field (来源:X发布时间, 来源:X作者) and the
name before a full date and 讯 that opens a sentence (X2018年4月15日讯) — the learned filter
(:mod:`~kg.extract.orgfilter`) weighs them all by how they were found.
"""

from __future__ import annotations

import re

from kg.extract.document import Document

__all__ = ["byline_spans"]

_MEDIA = (r"(?:日报社?|晚报|早报|商报|时报|证券报|报社|新闻网|新闻|网|报|电视台|广播电视台|广播电视总台|电视总台|总台"
          r"|融媒体中心|融媒|客户端|通讯社|在线|财经|卫视)")
# a byline's 记者/摄 is never part of the name (香港文汇报记者X摄)
_NAME = r"(?:(?!记者|通讯员|摄|接受)[\u4e00-\u9fffa-z0-9]){1,16}?" + _MEDIA
# the labels of a page's other fields, which end a source field's value
_FIELD = r"(?:发布|时间|作者|编辑|责编|收集|浏览|点击|人气|日期|阅读|字号|分享)"
# 来源:X ; 信息来源:X ; 转自:X ; 稿源:X ; 本文原载于X (the key has width folded: ：→:)
_SOURCE_WORD = r"(?:信息)?(?:来源|转自|稿源|转载自|原载于|授权自)"
_SOURCE = re.compile(_SOURCE_WORD + r"[:]?(" + _NAME + r")(?=[^\u4e00-\u9fff]|$|据|" + _FIELD + ")")
# 来源:海淀园工委组织部作者:… ; 来源:yahoo (a whole field's value, whatever it ends in)
_SOURCE_FIELD = re.compile(_SOURCE_WORD + r":((?:(?!" + _FIELD + r")[\u4e00-\u9fffa-z0-9·]){2,16}?)(?=" + _FIELD
                           + r"|$)")
# X(N月N日)讯 / 电 at the start of a sentence (or after the page's clock); X N月N日，… (the site, then the date)
_DATELINE = re.compile(r"^(?:[\d:.-]{4,}\s*)?(" + _NAME + r")(?:(?:\d{1,2}月\d{1,2}日)?(?:讯|电|专讯)"
                       r"|\s*(?=\d{1,2}月\d{1,2}日))")
# X重庆7月18日电, X2021年5月6日讯 (a place of two to four characters or a year before the date); a name of any
# ending before a full date and 讯 (南方大视野2018年4月15日讯)
_PLACED = re.compile(r"^(" + _NAME + r")(?:[\u4e00-\u9fff]{2,4})?(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:讯|电)"
                     r"|^((?:(?!本报|本刊|本网)[\u4e00-\u9fff]){2,8})\d{4}年\d{1,2}月\d{1,2}日讯")
# 据X报道 ; (X记者 Y) ; 【X记者 ; 接受X记者采访 ; X资料图 ; …(X) closing a paragraph ; 【X专讯】
_CITED = re.compile(r"据(" + _NAME + r")报道"
                    r"|(?:^|[(【,]|接受)(" + _NAME + r"(?:[·•][\u4e00-\u9fff]{1,4})?)(?:记者|通讯员)"
                    r"|(" + _NAME + r")资料图|[(](" + _NAME + r")[)]$|【(" + _NAME + r")专讯】")
# 您的位置：X > 新闻中心 (a page's breadcrumb starts with the site, with or without its label); 欢迎来到X
_CRUMB = re.compile(r"(?:(?:您的|当前)?位置[:]?\s*|^)(" + _NAME + r")\s*>|欢迎(?:来到|访问)(" + _NAME + ")")
# a source field's or dateline's words that name no publisher (来源:本站原创, 图片来源:网络)
_NOT_MEDIA = frozenset("本报 本网 新闻 本刊 本站 网络 原创 互联网 综合 佚名 转载 整理".split())
_MEDIA_END = re.compile(_MEDIA + "$")
_COMMON = 1000  # a single noun this frequent in jieba's dictionary is a common word (网络, 综合), not a publisher


def _no_publisher(name: str) -> bool:
    """True for what a source field or a dateline holds that names no publisher: words of :data:`_NOT_MEDIA`
    (本站原创), or, ending in no media word, a single common noun, a time word (近期) or a person (李明)."""
    from kg.extract.segment import word_freq, words

    ws = words(name)
    if all(w in _NOT_MEDIA for w, _ in ws):
        return True
    if len(ws) != 1 or _MEDIA_END.search(name):
        return False
    pos, freq = ws[0][1], word_freq(ws[0][0])
    return pos == "t" or pos.startswith("nr") and freq is None or pos in ("n", "vn") and (freq or 0) >= _COMMON


def byline_spans(doc: Document) -> dict[int, list[tuple[int, int, str]]]:
    """Per sentence index, the spans ``(i, j, "Organization")`` of media names in bylines and source lines."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    for s in doc.sentences:
        for pattern in (_SOURCE, _SOURCE_FIELD, _PLACED, _DATELINE, _CRUMB, _CITED):
            for m in pattern.finditer(s.key):
                g = next(k for k in range(1, (m.lastindex or 1) + 1) if m.group(k))
                taken, name = out.get(s.index, []), m.group(g)
                if sum(c.isdigit() for c in name) >= 3 or _no_publisher(name):  # 来源:sp20240420 is a file
                    continue
                if not any(a < m.end(g) and m.start(g) < b for a, b, _ in taken):
                    out.setdefault(s.index, []).append((m.start(g), m.end(g), "Organization"))
    return out
