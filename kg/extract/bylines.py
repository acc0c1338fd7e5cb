"""Media organizations named in a byline, a source line or a breadcrumb: 湖南日报7月12日讯, 来源:上海证券报,
您的位置:萧山网 >.

News pages name the paper, site or broadcaster that published them in a few fixed places;
those names carry no legal suffix the rules could see. A name ending in a media word
(日报, 新闻网, 广播电视台, 融媒体中心 …) in one of these places is taken, typed ``Organization``;
so is any name a source field holds up to the page's next field (来源:X发布时间, 来源:X作者) and the
name before a full date and 讯 that opens a sentence (X2018年4月15日讯) — the learned filter
(:mod:`~kg.extract.orgfilter`) weighs them all by how they were found.

Round 9 adds the places a page names its outlet outside the byline: a reporter's credit after any mark
(■X记者, )X全媒体记者, X/记者), a head in brackets ([X], 【X讯】, 【X Y报导】), a page title's last part
(…_X) or first (X:…), a paragraph of its own, 感谢您浏览X, two outlets sharing a dateline (X/Y讯, X网Y客户端讯);
the page's furniture glued to a name (大字体小字体, 官网网站) is cut off.

Round 15 (23 of the 95 names the first 79 texts of batch 20 missed were outlets) adds two outlets sharing a
field (上游新闻·重庆商报, 浙江在线-《浙江日报》; one outlet's channel, 新华日报·交汇点, stays one name), a line of an
outlet and the page's clock (北京日报 2020-11-30 04:55), copyright lines (X版权所有, 版权所有 X), credits
((X供稿), 【X 记者 Y】, 据《X》引述), a place and 讯 or 电 before the reporter's bracket (人民网太原电(…))
and a breadcrumb after 首页.
"""

from __future__ import annotations

import re

from kg.extract.document import Document

__all__ = ["byline_spans"]

# 网 after 电/联/管/域/路/张/专/护 is a network (国家电网, 物联网, 管网, 局域网, 路网, 一张网, 5G专网, 防护网);
# 报 before 道/告/导/名 is a report or a sign-up (视频报道, 报告), not a paper
_MEDIA = (r"(?:日报社?|晚报|早报|商报|时报|证券报|报社|新闻网|新闻|(?<![电联管域路张专护])网|报(?![道告导名])"
          r"|电视台|广播电视台|广播电视总台|电视总台|总台|融媒体中心|融媒|客户端|通讯社|在线|财经|卫视)")
# a byline's 记者/摄 is never part of the name (香港文汇报记者X摄), nor a company's legal form (X有限公司客户端 is the
# company's app: the company is the organization)
_NAME = r"(?:(?!记者|通讯员|摄|接受|公司)[\u4e00-\u9fffa-z0-9]){1,16}?" + _MEDIA
# where nothing but the place vouches for the name (a title, a paragraph, a bare bracket), three characters at least
# (海报, 通报, 快报 alone are no outlets) and 在线 no media word: 政务服务在线, 党建在线 are a body's services
_NAME3 = _NAME.replace("{1,16}", "{2,16}").replace("|在线", "")
# the labels of a page's other fields and its buttons, which end a source field's value
_FIELD = r"(?:发布|时间|作者|编辑|责编|收集|浏览|点击|人气|日期|阅读|字号|分享|访问|分类|[大小]字体|字体|扫码)"
# 来源:X ; 信息来源:X ; 转自:X ; 稿源:X ; 本文原载于X (the key has width folded: ：→:)
_SOURCE_WORD = r"(?:信息)?(?:来源|转自|稿源|转载自|原载于|授权自)"
_SOURCE = re.compile(_SOURCE_WORD + r"[:]?(" + _NAME + r"(?:[·•]" + _NAME + r")?)(?=[^\u4e00-\u9fff]|$|据|" + _FIELD
                     + ")")
# 来源:海淀园工委组织部作者:… ; 来源:yahoo (a whole field's value, whatever it ends in); 编辑:X网浏览量 (a media
# name in another field of the source line)
_SOURCE_FIELD = re.compile(_SOURCE_WORD + r":((?:(?!" + _FIELD + r")[\u4e00-\u9fffa-z0-9·]){2,16}?)(?=" + _FIELD
                           + r"|$)|(?:编辑|作者):(" + _NAME + ")(?=" + _FIELD + ")")
# X(N月N日)讯 / 电 / 消息 at the start of a sentence (or after the page's clock), X/Y讯 (four outlets at most: a name
# splits two ways, 新闻网 = 新闻|网, and an unbounded X/Y/…讯 backtracks 2^n); X N月N日，…
_DATELINE = re.compile(r"^(?:[\d:.-]{4,}\s*)?(" + _NAME + r"(?:[/·•-]《?" + _NAME + r"》?){0,3})"
                       r"(?:(?:\d{1,2}月\d{1,2}日)?(?:讯|电|专讯|消息)|\s*(?=\d{1,2}月\d{1,2}日))")
# X重庆7月18日电, X2021年5月6日讯 (a place of two to four characters or a year before the date); a name of any
# ending before a full date and 讯 (南方大视野2018年4月15日讯)
_PLACED = re.compile(r"^(" + _NAME + r")(?:[\u4e00-\u9fff]{2,4})?"
                     r"(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:讯|电)|(?:讯|电)(?=[(]))"
                     r"|^((?:(?!本报|本刊|本网)[\u4e00-\u9fff]){2,8})\d{4}年\d{1,2}月\d{1,2}日讯")
# 据X报道 ; (X记者 Y) ; ■X全媒体记者 ; X/记者 ; 接受X记者采访 ; X资料图 ; …(X) closing a paragraph ; (X发 Y摄)
_CITED = re.compile(r"据《?(" + _NAME + r")》?(?:报道|引述|援引|消息)"
                    r"|(?:^|(?<![\u4e00-\u9fffa-z0-9·/])|接受)(" + _NAME + r"(?:[·•][\u4e00-\u9fff]{1,4})?)"
                    r"/?(?:全媒体|融媒体)?(?:记者|通讯员)"
                    r"|(" + _NAME + r")资料图|[(](" + _NAME + r")[)]$|[(](" + _NAME + r")发(?=[^)]{0,8}摄)")
# a head in brackets opening a sentence: 【X专讯】, 【X讯】, 【X王红新竹报导】, [X] (a bare 【X】 is a section's label:
# 【园区新闻】, 【工作简报】)
_HEAD = re.compile(r"^[【\[](?:(" + _NAME + r")专?讯[】\]]|(" + _NAME + r")(?=[\u4e00-\u9fff]{2,10}报导】))|^\[("
                   + _NAME3 + r")\]|^【((?:(?!记者)[\u4e00-\u9fff]){2,8})记者[\u4e00-\u9fff]{2,4}】")
# a page title's site: 标题_X, 标题-X (its last part) or X:标题 (its first); 感谢您浏览X; X as a paragraph of its own
# (where a bare 新闻 ends a section's name, 相关新闻, 松江新闻, not an outlet's)
_TITLE = re.compile(r"[_\-–—](?=[\u4e00-\u9fff])(" + _NAME3 + r")(?<!新闻)$"
                    r"|^(?:title:)?(" + _NAME3 + r"):(?=[\u4e00-\u9fff])"
                    r"|感谢您?(?:浏览|访问|关注)(" + _NAME3 + r")(?=[^\u4e00-\u9fff]|$)"
                    r"|^(" + _NAME3 + r"(?<!新闻)|[\u4e00-\u9fff]{2,8}传媒)$")
# 您的位置：X > 新闻中心 (a page's breadcrumb starts with the site, with or without its label); 欢迎来到X
_CRUMB = re.compile(r"(?:(?:您的|当前)?位置[:]?\s*|^|首页>)(" + _NAME + r")\s*>|欢迎(?:来到|访问)(" + _NAME + ")")
# a line of an outlet and the page's clock (贵阳日报 2022-01-20 15:09, 2024-12-12 18:27:56 疏附县融媒体中心, 光山新闻网
# 林晓舟 2020-08-26), a copyright line (X版权所有, 版权所有 X, 版权声明@X网站版权所有), a credit ((X供稿))
_STAMP = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
_LINE = re.compile(r"^(" + _NAME + r")(?:[\u4e00-\u9fff]{2,3})?" + _STAMP + r"[\d:]*$"
                   r"|^" + _STAMP + r"[\d:]*(" + _NAME + ")$"
                   r"|(?:^|(?<![\u4e00-\u9fff]))(?=[\u4e00-\u9fff])(" + _NAME + r")(?:网站)?版权所有"
                   r"|版权所有[:]?(" + _NAME + r")(?![\u4e00-\u9fff])"
                   r"|[(](" + _NAME + r"|[\u4e00-\u9fff]{2,12}新闻中心)供稿[)]")
# a source field's or dateline's words that name no publisher (来源:本站原创, 图片来源:网络, 来源:新闻中心)
_NOT_MEDIA = frozenset("本报 本网 新闻 本刊 本站 网络 原创 互联网 综合 佚名 转载 整理 中心".split())
_MEDIA_END = re.compile(_MEDIA + "$")
# where one outlet's name ends and another's starts (安徽网|大皖客户端讯): a media word, then a name ending in one
# (中新网广西新闻: a bare 新闻 names the outlet's channel)
_INNER = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:网|日报社|日报|晚报|报)"
                    r"(?=[\u4e00-\u9fff]{2,}" + _MEDIA + r"(?<!新闻)$)")
# a site's furniture glued before its outlet's name (正信官网网站中新网, 关注东北网): the name starts after it
_FURNITURE = re.compile(r".*(?:官网|网站)|(?:关注|登录|返回|进入|访问|浏览)")
_LONGER = re.compile(r"网|社")  # what lengthens a media word found short: 新闻→新闻网, 日报→日报社
_SEPARATOR = re.compile(r"》?([/·•-])《?")  # between two outlets sharing a dateline or a source field
_OCR_LETTER = re.compile(r"[a-z][\u4e00-\u9fff]")
_COMMON = 1000  # a single noun this frequent in jieba's dictionary is a common word (网络, 综合), not a publisher
_PATTERNS = (_SOURCE, _SOURCE_FIELD, _PLACED, _DATELINE, _CRUMB, _CITED, _HEAD, _TITLE, _LINE)


def _no_publisher(name: str) -> bool:
    """True for what a source field or a dateline holds that names no publisher: words of :data:`_NOT_MEDIA`
    (本站原创), a pronoun's, a number's or a verb's two characters (该报, 两报, 上网), a name opening with a
    preposition (据该报) or with a lone letter OCR left before ideographs (b门日报), or, ending in no media word,
    a single common noun, a time word (近期) or a person (李明)."""
    from kg.extract.segment import word_freq, words

    ws = words(name)
    if all(w in _NOT_MEDIA for w, _ in ws) or _OCR_LETTER.match(name):
        return True
    if ws[0][1] == "p" or len(name) < 3 and ws[0][1] in ("r", "m", "v"):  # 据该报, 该报, 两报, 上网
        return True
    if len(ws) != 1 or _MEDIA_END.search(name):
        return False
    pos, freq = ws[0][1], word_freq(ws[0][0])
    return pos == "t" or pos.startswith("nr") and freq is None or pos in ("n", "vn") and (freq or 0) >= _COMMON


def _two_outlets(left: str, right: str) -> bool:
    """Whether ``left·right`` names two outlets (上游新闻·重庆商报, 齐鲁晚报•齐鲁壹点), not one outlet's channel or
    app (新华日报·交汇点, 大河报·豫视频): the left ends in a media word, the right does too or has four characters."""
    return bool(_MEDIA_END.search(left)) and (bool(_MEDIA_END.search(right)) or len(right) >= 4)


def _names(key: str, i: int, j: int) -> list[tuple[int, int]]:
    """The outlets' spans in the match ``key[i:j]``: the furniture before a name cut off (a name that is only
    furniture, 大连市政府官网, is none), two names split (滨州日报/滨州网, 安徽网大皖客户端), a media word
    found short made whole (民众新闻|网)."""
    m = _FURNITURE.match(key, i, j)
    if m:
        i = m.end()
    if (j - i >= 3 and _MEDIA_END.search(key, i, j) and _LONGER.match(key, j) and _MEDIA_END.search(key, i, j + 1)
            and not key.startswith("网站", j)):  # 中原网|网站版权所有
        j += 1
    pieces: list[tuple[int, int]] = []
    a, joint = i, ""
    for sep in [*_SEPARATOR.finditer(key, i, j), None]:
        b = sep.start() if sep else j - (key[j - 1 : j] == "》")
        if joint in ("·", "•") and not _two_outlets(key[slice(*pieces[-1])], key[a:b]):
            pieces[-1] = (pieces[-1][0], b)  # 新华日报·交汇点, 江城日报·江声: one outlet's channel, one name
        else:
            pieces.append((a, b))
        if sep:
            a, joint = sep.end(), sep.group(1)
    out = []
    for a, b in pieces:
        inner = _INNER.search(key[a:b]) if _MEDIA_END.search(key, a, b) else None
        out += [(a, a + inner.end()), (a + inner.end(), b)] if inner else [(a, b)]
    return out


def byline_spans(doc: Document) -> dict[int, list[tuple[int, int, str]]]:
    """Per sentence index, the spans ``(i, j, "Organization")`` of media names in bylines and source lines."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    for s in doc.sentences:
        taken: set[int] = set()  # the key positions a name holds (a list scanned per name is quadratic)
        for pattern in _PATTERNS:
            for m in pattern.finditer(s.key):
                g = next(k for k in range(1, (m.lastindex or 1) + 1) if m.group(k))
                for a, b in _names(s.key, m.start(g), m.end(g)):
                    name = s.key[a:b]
                    if sum(c.isdigit() for c in name) >= 3 or _no_publisher(name):  # 来源:sp20240420 is a file
                        continue
                    if taken.isdisjoint(range(a, b)):
                        taken.update(range(a, b))
                        out.setdefault(s.index, []).append((a, b, "Organization"))
    return out
