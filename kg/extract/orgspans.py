"""Organization names in one sentence: candidate spans from suffix rules, national bodies, the graph's
names, list patterns and chains (:mod:`~kg.extract.overlaps` picks the longest ones that do not overlap).

See :mod:`~kg.extract.orgs` for the passes and what they find; this module holds the part that
looks at one sentence at a time.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from kg.extract.cands import Cand
from kg.extract.document import Sentence
from kg.extract.known import KnownEntities
from kg.extract.lexicon import (
    KIND_WORDS,
    LEVEL,
    MEASURE,
    NATIONAL_BODIES,
    NATIONAL_TYPES,
    ORG_TYPES,
    SUFFIXES,
    suffix_of,
)
from kg.extract.matcher import Matcher
from kg.extract.orgparts import after_titles, is_place
from kg.extract.segment import is_generic_word, word_freq, words
from kg.extract.tokens import PREPOSITION_CHARS, SUFFIX_ENDS, Tokens, Word, is_generic_name
from kg.text import name_key

__all__ = ["Cand", "sentence_cands", "THIS_ONE", "ENDING_WIDTH", "ends_at", "NOT_ORG_WORDS", "CUT_HEADS",
           "FACILITY_CENTRE", "is_place"]

_SUFFIX_MATCHER = Matcher({k: k for k in SUFFIXES})
_NATIONAL_MATCHER = Matcher({k: k for k in NATIONAL_BODIES})
NOT_ORG_WORDS = tuple(  # words ending in a one-character suffix that name no body (党员干部 too)
    "格局 布局 结局 大局 全局 开局 当局 时局 政局 僵局 饭局 骗局 棋局 餐厅 大厅 客厅 展厅 门厅 前厅 舞厅 "
    "全部 干部 总部 局部 本部 俱乐部 细部 头部 尾部 底部 顶部 根部 面部 外部 内部 腹部 背部 部署 签署 公署 "
    "东部 西部 南部 北部 中部 中南部 西南部 东南部 东北部 西北部 中西部 中东部 "
    "质量部 技术部 研发部 市场部 销售部 财务部 生产部 采购部 人事部 工程部 事业部".split()
)
# a one-character suffix inside a verb (部署), a direction (南部) or a number (全部)
_NOT_ORG_POS = ("v", "f", "s", "m")
# descriptors ending in these are cut off a name (园区|金诃藏药…);
# a parent body (国家实验研究院|台湾半导体研究中心) is not
CUT_HEADS = frozenset({"园区", "企业", "辖区", "区内", "园内", "入驻企业", "龙头企业", "主体", "运营方", "运营商",
                       "项目", "重点项目"}) | frozenset(
    sf for sf, t in SUFFIXES.items() if t not in ("University", "ResearchInstitute", "GovernmentBody")
)
_OWN_UNIT_TYPES = frozenset({"GovernmentBody", "Organization"})
# a 中心 that is a facility, not a body: 数据中心, 智算中心, 算力调度中心, 区域运营中心
FACILITY_CENTRE = re.compile(
    "(?:数据|智算|算力|计算|超算|云计算|调度|运营|展示|体验|会展|展览|物流|分拨|仓储|结算|指挥|营销|客服|配送|集散|"
    "冷链|研学|会议|活动|直播|交易|采购|销售|清算|备份|灾备|监控|控制|路演|航运|金融|贸易|消费)中心$"
)
_GOVERNED_PLACE = re.compile(f"{LEVEL}$")  # 台中市|政府: a government is a place's
# 签约仪式暨…联盟揭牌: two events; after an event's last word, 暨/与 or a preposition starts a new name
# (figsubject._EVENT is another list, for another question: an event named after an organization, whose figures
# are the event's, not the organization's; the two are not kept in step)
_EVENT_ENDS = ("仪式", "大会", "会议", "活动", "论坛", "典礼", "发布会", "启动会", "对接会")
_NAME_OR_EVENT_ENDS = (*SUFFIX_ENDS, *_EVENT_ENDS)
_JOINING = frozenset({"与", "和", "暨", "及"})  # inside a name: 材料科学与工程学院, 发展和改革委员会, 经济及科技发展局
# a verb that grants a qualification: what follows it names the qualification, not an organization
_GRANTED = re.compile(r"(?:认定为|评为|评定为|获评|列为|列入|命名为|获批|荣获|确定为)(?:\d{4}年度?)?$")
# 先后荣获全国A、B、C: every item of a list after a grant names a qualification
_GRANTED_LIST = re.compile(r"(?:认定为|评为|评定为|获评|列为|列入|命名为|荣获)"
                           r"(?:[^,;。:、的]{2,30}、)*[^,;。:、的]{0,4}$")
_GRANTED_AFTER = re.compile(r"(?:等\d*[项个]?)?(?:称号|荣誉|资质)?(?:[,;。:、)]|$)")
_LIST_HEADS = {
    "企业": "Company", "公司": "Company", "龙头企业": "Company", "知名企业": "Company", "头部企业": "Company",
    "科技企业": "Company", "单位": "Organization", "社会投资人": "Organization", "投资人": "Organization",
    "投资机构": "Organization", "机构": "Organization", "院校": "University", "高校": "University",
}
_LIST_END = re.compile(  # 等N家(骨干)企业
    r"等(?:\d+(?:\.\d+)?|[一二三四五六七八九十百两几多数]+)?[余多]?(?:家|个|所|位)?((?:(?!领域|行业|产业|类|方面|板块)"
    r"[\u4e00-\u9fff]){0,4}?)(" + "|".join(sorted(_LIST_HEADS, key=len, reverse=True)) + ")"
)
_CATEGORY_TAILS = ("央企", "国企", "民企", "外企", "企业", "单位", "机构", "部门", "组织", "院所", "高校")
_LED_BY = re.compile(r"由([\u4e00-\u9fff]{2,8}?)(?:共同|联合|牵头)?(?:发起成立|发起组建|牵头成立|牵头组建|发起|牵头)")
_OBJECT_VERBS = ("签约", "联系", "对接", "引进", "携手")
_WITH_VERBS = ("签约", "签署", "签订", "对接", "合作", "洽谈", "共建")
_NAME_TAIL_GENERIC = frozenset("企业 项目 产业 工作 资源 服务 机构 单位 平台 合作 事宜 协议 活动 会议 基地 品牌 体系 "
                               "模式 机制 资金 政策".split())
THIS_ONE = re.compile(r"(?:新一届|本届|上一届|首届|该|本|此)$")  # 新一届商会: the chamber named before
# the longest match of each pattern that ends where a search stops ($): searching only that far back finds the same
ENDING_WIDTH = {_GRANTED: 9, FACILITY_CENTRE: 5, _GOVERNED_PLACE: 1, THIS_ONE: 3}
_JOIN_WORDS = re.compile(r"入盟|入会|入共|入体|加盟|加入")


def _without_suffix(core: list, a: int) -> list:
    """The words of a name before its suffix at key position ``a``: a last word holding the suffix
    (物流园区 for 园区) is judged by its part before it (物流), cut by jieba."""
    last = core[-1]
    if last.start >= a or last.end <= a:
        return core
    out, pos = core[:-1], last.start
    for w, tag in words(last.text[: a - last.start]):
        out.append(Word(w, tag, pos, pos + len(w)))
        pos += len(w)
    return out


def _title_spans(key: str) -> list[tuple[int, int]]:
    """Spans of 《…》 titles: names inside a policy title are not mentions of their own."""
    return [m.span() for m in re.finditer(r"《[^《》]*》", key)]


def ends_at(pattern: re.Pattern, key: str, end: int) -> bool:
    """``pattern.search(key, 0, end)`` for a pattern of
    :data:`ENDING_WIDTH`, looking back only as far as a match reaches."""
    return pattern.search(key, max(0, end - ENDING_WIDTH[pattern]), end) is not None


def _suffix_cands(s: Sentence, toks: Tokens) -> list[Cand]:
    key = s.key
    titles = _title_spans(key)
    title_starts = [x for x, _ in titles]
    longest: dict[int, str] = {}
    for a, b, suf in _SUFFIX_MATCHER.find_all(key):
        if b not in longest or len(suf) > len(longest[b]):
            longest[b] = suf
    out: list[Cand] = []
    for b, suf in longest.items():
        a = b - len(suf)
        t = bisect_left(title_starts, a) - 1  # titles do not overlap: only the last one opened before a can hold [a, b)
        if b not in toks.ends or t >= 0 and b < titles[t][1]:
            continue
        k = toks.index_at(a)
        word = toks.words[k]
        if len(suf) == 1 and (word.text.endswith(NOT_ORG_WORDS) or word.text == suf and k == 0
                              or word.pos.startswith(_NOT_ORG_POS)):
            continue
        start_k = _joined_left_edge(toks, k, a, toks.left_edge(k))
        core = toks.words[start_k:k] + ([word] if word.start < a else [])
        in_park = False
        # cut a generic descriptor ending in a head word before the distinctive part:
        # 园区|金诃藏药…, 园区初创企业|英矽…, 首支园区科技成长股权投资基金|极地基金
        heads = [n for n, w in enumerate(core) if w.text in CUT_HEADS or w.text.endswith("企业")]
        for h in reversed(heads):
            if core[0].text == "园区" and SUFFIXES[suf] in _OWN_UNIT_TYPES:
                break  # 园区科技招商中心 is the park's own unit, not a body in the park
            rest = core[h + 1 :]
            if rest and all(w.generic or w.text in SUFFIXES or w.text in CUT_HEADS for w in core[: h + 1]) \
                    and any(w.proper for w in rest):
                prefix = [w.text for w in core[: h + 1]]
                in_park = prefix[0] == "园区" and all(t.endswith("企业") for t in prefix[1:])
                core = rest
                break
        core = after_titles(core)
        if not core or THIS_ONE.fullmatch(key, core[0].start, a):
            continue  # a bare suffix (园区, 商会, 银行) names nothing; 新一届商会 is the one named before
        if len(core) > 1 and core[-1].text in KIND_WORDS and core[-2].text in ("和", "及", "与", "以及"):
            continue
        if (suf == "中心" and ends_at(FACILITY_CENTRE, key, b)
                or suf == "政府" and not (ends_at(_GOVERNED_PLACE, key, a) or core[-1].pos == "ns")):
            continue  # 数据中心 is a building; 各级政府, 200余名政府(代表) name no government
        if suf == "系" and not re.search("大学|学院", key[core[0].start : a]):
            continue  # 系 is a department only of a university (体系, 关系 are not)
        granted = (ends_at(_GRANTED, key, core[0].start)
                   or _granted_list(key, core[0].start)) and _GRANTED_AFTER.match(key, b)
        typ = "Qualification" if granted else SUFFIXES[suf]  # 列入浙江省科学技术厅…名单: the granting body
        glued = [g for g, w in enumerate(core) if _glued_preposition(w)
                 and (g == 0 or core[g - 1].text.endswith(_NAME_OR_EVENT_ENDS))]
        if glued:  # 海化联盟|由鲁|东海晶化学…: the name starts after the preposition
            core = core[glued[-1] :]
        start = core[0].start + (1 if glued else 0)
        counted = _COUNT_MEASURE.match(key, start) if 0 < start < a and key[start - 1].isdigit() else None
        if counted:  # 500强|新特能源…, 40余家|联盟: a count's measure word is not part of a name
            if counted.end() >= a:
                continue  # 40余家|联盟: what is counted is a bare suffix, which names nothing
            start = counted.end()
        out.append(Cand(start, b, typ, "suffix", generic=is_generic_name(_without_suffix(core, a)), in_park=in_park))
    return out


_COUNT_MEASURE = re.compile(MEASURE)


def _granted_list(key: str, start: int) -> bool:
    """True when the name starting at ``start`` is an item of a list of honours (荣获A、B、C)."""
    return _GRANTED_LIST.search(key, max(0, start - 160), start) is not None


def _glued_preposition(w) -> bool:
    """True when jieba glued a preposition to the name's first characters: 由鲁|东海晶化学…, 经竹|科管理局,
    由湘岳|重工… (a two- or three-character word it does not know, starting with 由, 经, 被…)."""
    if w.text[0] not in PREPOSITION_CHARS or word_freq(w.text) is not None:
        return False
    rest = w.text[1:]  # 由鲁, 由湘岳, 和渝江电, 经市经信委
    return len(w.text) == 2 or word_freq(rest) is None or any(rest.endswith(sf) and len(rest) > len(sf)
                                                              for sf in SUFFIXES)


def _joined_left_edge(toks: Tokens, k: int, a: int, start: int) -> int:
    """The left edge of a name with 与/和/暨 inside (材料科学与工程学院), else ``start``.

    The words between the conjunction and the suffix (at key position ``a``) must be too
    generic to name anything alone (工程, 物理, 改革), and the word before the conjunction
    must not end an organization's name itself (华东交通大学与认证研究所 is two).
    """
    w = toks.words
    if start < 2 or w[start - 1].text not in _JOINING or toks.is_boundary(start - 2):
        return start
    right = toks.key[w[start].start : a] if start < k or w[k].start < a else ""
    before = w[start - 2]
    if (not 0 < len(right) <= (4 if w[start - 1].text == "及" else 8) or before.text.endswith(_NAME_OR_EVENT_ENDS)
            or not before.pos.startswith(("n", "v", "j", "a", "l"))):
        return start
    if any(_distinctive(x, pos) for x, pos in words(right)):
        return start
    return toks.left_edge(start - 2)


def _distinctive(word: str, pos: str) -> bool:
    """A word that makes a name on its own: a place, an organization, ASCII, or a word jieba does not know."""
    return (pos in ("ns", "nt", "eng") or any(c.isascii() and c.isalnum() for c in word)
            or (word_freq(word) is None and not is_generic_word(word, pos)))


def _national_cands(s: Sentence, toks: Tokens) -> list[Cand]:
    """National bodies named by common words (科技部, 工业和信息化部), as whole words of the sentence."""
    return [Cand(a, b, NATIONAL_TYPES.get(k, "GovernmentBody"), "lexicon")
            for a, b, k in _NATIONAL_MATCHER.find_all(s.key) if a in toks.starts and b in toks.ends]


def _known_cands(s: Sentence, known: KnownEntities) -> list[Cand]:
    """Names of the graph in the sentence; an organization's generic alias (园区, 党建联盟) is marked generic,
    and so is a name that is only a type word (产业园, a stage of the seed's chain)."""
    out = []
    for a, b, ents in known.matcher.find_all(s.key):
        # the name itself, or an alias holding it
        is_name = any(name_key(e.name) in name_key(s.key[a:b]) and name_key(e.name) not in SUFFIXES for e in ents)
        generic = not is_name and ents[0].type in ORG_TYPES and is_generic_name(Tokens(s.key[a:b]).words)
        out.append(Cand(a, b, ents[0].type, "known", generic=generic, known=ents))
    return out


def _looks_like_name(key: str, toks: Tokens, c: Cand) -> bool:
    """A list item or verb object that can be a name: 2–12 characters, whole words, not generic."""
    i, j = c.i, c.j
    if not 2 <= j - i <= 12 or any(ch.isdigit() for ch in key[i:j]):
        return False
    ks = range(toks.index_at(i), toks.index_at(j - 1) + 1)
    ws = [toks.words[k] for k in ks]
    if not ws or ws[0].start != i or ws[-1].end != j or any(toks.is_boundary(k) for k in ks) or is_generic_name(ws):
        return False
    if is_place(key[i:j]):
        return False  # 对接成都, 与全旺镇签约: a place, not a body
    if c.how == "list":
        return not key.endswith(_CATEGORY_TAILS, i, j)  # 驻甬央企、市属国企等7家单位: kinds of body, not names
    if _JOIN_WORDS.fullmatch(key, i, j):
        return False  # 签约“入共”: joining, not a party
    return not ws[-1].generic and not any(ws[-1].text.endswith(t) for t in _NAME_TAIL_GENERIC)


def _items_before(key: str, toks: Tokens, end: int) -> list[tuple[int, int]]:
    """The items of a list that ends at ``end``, separated by 、/和/及, back to its first item."""
    items: list[tuple[int, int]] = []
    j = end
    while j > 0:
        i = j
        while i > 0:
            k = toks.index_at(i - 1)
            if toks.words[k].end != i or toks.is_boundary(k) or j - toks.words[k].start > 12:
                break
            i = toks.words[k].start
        if i == j:
            break
        items.append((i, j))
        prev = toks.words[toks.index_at(i - 1)] if i > 0 else None
        if prev is None or prev.text not in ("、", "和", "及"):
            break
        j = prev.start
    return items


def _list_cands(s: Sentence, toks: Tokens) -> list[Cand]:
    """Items of “X、Y等N家企业”, and objects of 签约/联系/对接 that look like names."""
    key = s.key
    out = [  # 等高科技企业: 医疗器械 is a trade — an item made of common words is generic (the filter weighs it)
        Cand(i, j, _LIST_HEADS[m.group(2)], "list",
             generic=bool(m.group(1)) and not any(_distinctive(w.text, w.pos) for w in toks.span_words(i, j)))
        for m in _LIST_END.finditer(key)
        for i, j in _items_before(key, toks, m.start())
    ]
    for verb in _OBJECT_VERBS:
        for m in re.finditer(verb, key):
            i = j = m.end()
            while j < len(key) and j - i <= 12 and not toks.is_boundary(toks.index_at(j)):  # a longer object is no name
                j = toks.words[toks.index_at(j)].end
            if j > i and (j == len(key) or not key[j].isalnum()):
                out.append(Cand(i, j, "Organization", "object"))
    for m in _LED_BY.finditer(key):  # 由科大讯飞发起成立: who founds or leads is an organization
        out.append(Cand(m.start(1), m.end(1), "Organization", "list"))
    for m in re.finditer("与", key):
        i = m.end()
        for verb in _WITH_VERBS:
            v = key.find(verb, i, i + 12 + len(verb))  # the verb within 12 characters, or not at all
            if 0 < v - i <= 12 and not any(p in key[i:v] for p in "、,，"):
                out.append(Cand(i, v, "Organization", "object"))
                break
    return out


def _chain(s: Sentence, toks: Tokens) -> tuple[list[Cand], tuple[int, int] | None]:
    """Stages of A—B—C…链 (at least three), and the span of the chain's own name (孵化链)."""
    key = s.key
    m = re.search(r"[^,，、:;。()（）《》—→－]{2,30}(?:[—→－][^,，、:;。()（）《》—→－]{2,20}){2,}", key)
    if not m or not m.group().endswith(("链", "链条", "体系")):
        return [], None
    parts = re.split("[—→－]", m.group())
    last = parts[-1]
    stage_end = max((last.rfind(sf) + len(sf) for sf in SUFFIXES if sf in last[:-1]), default=0)
    if stage_end <= 0:
        return [], None
    cands = []
    pos = m.start()
    for n, p in enumerate(parts):
        text = p if n < len(parts) - 1 else last[:stage_end]
        i, j = pos, pos + len(text)
        if n == 0 and j in toks.ends:
            i = toks.words[toks.left_edge(toks.index_at(j - 1))].start
        sf = suffix_of(text)
        cands.append(Cand(i, j, SUFFIXES[sf] if sf else "Organization", "chain"))
        pos += len(p) + 1
    chain_end = m.end()
    return cands, (chain_end - (len(last) - stage_end), chain_end)


def sentence_cands(s: Sentence, toks: Tokens,
                   known: KnownEntities) -> tuple[list[Cand], list[Cand], tuple[int, int] | None]:
    """Every candidate name in sentence ``s`` (cut into ``toks``), the stages of its chain and the chain's own span."""
    cands = _known_cands(s, known) if len(known) else []
    cands += _suffix_cands(s, toks) + _national_cands(s, toks)
    chain_cands, chain_span = _chain(s, toks)
    cands += chain_cands
    for c in cands:  # a stage of a chain is meant, even when its name is plain (产业园)
        if c.how == "known" and c.generic and any((d.i, d.j) == (c.i, c.j) for d in chain_cands):
            c.generic = False
    cands += [c for c in _list_cands(s, toks) if _looks_like_name(s.key, toks, c)]
    cands += _list_fill(s.key, cands)
    return cands, chain_cands, chain_span


_ITEM_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z()（）]{2,24}")
_COMMA_MARK = re.compile("、")
_ITEM_END = re.compile(r",?、|以及|和|及")  # noisy mirrors write ,、 between items
_NOT_ITEM = re.compile(r"\d|等|[省市县区]$|[^\u4e00-\u9fff]{3}")


def _list_fill(key: str, cands: list[Cand]) -> list[Cand]:
    """An item of a 、 list that no rule read, between two items read as names:
    A有限公司、优刻得科技股份有限公司、B有限公司 (jieba took 得 for a particle), 华虹集团、中芯国际、中微半导体;
    the item ends at the first 、/和/及 after which a name starts."""
    ends = {c.j: c for c in cands if not c.generic and c.type != "Qualification"}
    starts = {c.i: c for c in cands if not c.generic and c.type != "Qualification"}
    out: list[Cand] = []
    for p in (mt.start() for mt in _COMMA_MARK.finditer(key)
              if mt.start() in ends or key.startswith(",、", mt.start() - 1) and mt.start() - 1 in ends):
        i = p + 1
        run = _ITEM_CHARS.match(key, i)
        sep = next((x for x in _ITEM_END.finditer(key, i + 2, run.end() + 2) if x.end() in starts),
                   None) if run else None
        if sep is None or i in starts:
            continue
        item = re.sub(r"\([^()]*\)$", "", key[i : sep.start()])  # A(its short form)、B: the bracket is not the name
        if _NOT_ITEM.search(item) or item.endswith(_CATEGORY_TAILS) or _granted_list(key, i):
            continue
        sf = suffix_of(item)
        if sf == item or is_generic_name(Tokens(item).words) and not (sf and len(item) >= 8):
            continue  # 综合性国家科学中心人工智能研究院 is a name in its list; 研究院, 科技企业 are not
        left, right = ends[p if key[p] == "、" and p in ends else p - 1], starts[sep.end()]
        typ = SUFFIXES[sf] if sf else left.type if left.type == right.type else "Organization"
        out.append(Cand(i, i + len(item), typ, "list"))
    return out

