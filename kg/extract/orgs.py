"""Organizations in an article: known names, suffix rules, list patterns and chains, then short forms linked.

Passes, in order:

1. **Known names** of the graph (a multi-pattern matcher over names and aliases).
2. **Suffix rules**: an organization-type suffix (有限公司, 大学, 管委会, 联盟 …) that ends
   a word gives the type; the left edge of the name is found by walking back over the
   jieba words until a verb, preposition, number or punctuation (吸纳|青海大美中药科技有限公司).
   A leading descriptor made of generic words is cut off (园区|金诃藏药集团有限公司,
   首支园区科技成长股权投资基金|极地基金); 园区X records that X is in the park. A name may
   hold 与/和/暨 (材料科学与工程学院, 发展和改革委员会) when the words between it and the suffix
   cannot name anything alone; what follows a grant (被认定为, 获评, 列为) is a qualification.
3. **List patterns**: the items of “X、Y等N家企业” and “与X、Y等社会投资人”, and the object
   of 签约/联系/对接 when it looks like a name (签约东方美谷).
4. **Chains**: A—B—C—…链 (the stages are organizations even when their names are plain).
5. **Linking**: a short form the article declares (FULL（简称“X”）) names FULL wherever
   it is written; a generic name that is a short form of a distinctive one of the same type
   (生物园区 → 西宁经济技术开发区生物科技产业园区, 党建联盟 → …绿色算力党建联盟) or a name
   made of initials before the same ending (南科管理局 → 科技部南部科学工业园区管理局) becomes
   its alias; a company's name without its legal form (金诃藏药) and a quoted part of a
   name (“红领宁商”党建共同体) are aliases where the article uses them; 园区机关 is the
   park's 管委会. Generic names that stay unlinked are kept only when they belong to the
   park (园区科学技术协会); the rest (基层党组织, 银行) are dropped.
6. **Home park**: the park named most often; a bare 园区 refers to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from kg.extract.document import Document, Sentence
from kg.extract.known import KnownEntities, KnownEntity
from kg.extract.lexicon import GENERIC_WORDS, LEGAL_FORMS, NATIONAL_BODIES, ORG_TYPES, SUFFIXES
from kg.extract.matcher import Matcher
from kg.extract.bylines import byline_spans
from kg.extract.model_cands import model_spans
from kg.extract.segment import is_generic_word, word_freq, words
from kg.extract.tokens import FUNCTION_CHARS, PREPOSITION_CHARS, SUFFIX_ENDS, Tokens, Word
from kg.text import name_key

__all__ = ["Ent", "Mention", "Chain", "find_entities", "Found"]

_SUFFIX_MATCHER = Matcher({k: k for k in SUFFIXES})
_NATIONAL_MATCHER = Matcher({k: k for k in NATIONAL_BODIES})
_NOT_ORG_WORDS = tuple(  # words ending in a one-character suffix that name no body (党员干部 too)
    "格局 布局 结局 大局 全局 开局 当局 时局 政局 僵局 饭局 骗局 棋局 餐厅 大厅 客厅 展厅 门厅 前厅 舞厅 "
    "全部 干部 总部 局部 本部 俱乐部 细部 头部 尾部 底部 顶部 根部 面部 外部 内部 腹部 背部 部署 签署 公署 "
    "东部 西部 南部 北部 中部 中南部 西南部 东南部 东北部 西北部 中西部 中东部 "
    "质量部 技术部 研发部 市场部 销售部 财务部 生产部 采购部 人事部 工程部 事业部".split()
)
_NOT_ORG_POS = ("v", "f", "s", "m")  # a one-character suffix inside a verb (部署), a direction (南部) or a number (全部)
# descriptors ending in these are cut off a name (园区|金诃藏药…); a parent body (国家实验研究院|台湾半导体研究中心) is not
_CUT_HEADS = frozenset({"园区", "企业", "辖区", "区内", "园内", "入驻企业", "龙头企业", "主体", "运营方", "运营商", "项目", "重点项目"}) | frozenset(
    sf for sf, t in SUFFIXES.items() if t not in ("University", "ResearchInstitute", "GovernmentBody")
)
_DEICTIC = ("以上", "上述", "这些", "那些", "各个", "其他")
_OWN_UNIT_TYPES = frozenset({"GovernmentBody", "Organization"})
# a 中心 that is a facility, not a body: 数据中心, 智算中心, 算力调度中心, 区域运营中心
_FACILITY_CENTRE = re.compile(
    "(?:数据|智算|算力|计算|超算|云计算|调度|运营|展示|体验|会展|展览|物流|分拨|仓储|结算|指挥|营销|客服|配送|集散|"
    "冷链|研学|会议|活动|直播|交易|采购|销售|清算|备份|灾备|监控|控制|路演|航运|金融|贸易|消费)中心$"
)
_GOVERNED_PLACE = re.compile("[省市县区州盟旗镇乡]$")  # 台中市|政府: a government is a place's
_EVENT_ENDS = ("仪式", "大会", "会议", "活动", "论坛", "典礼", "发布会", "启动会", "对接会")  # 签约仪式暨…联盟揭牌: two events
_NAME_OR_EVENT_ENDS = (*SUFFIX_ENDS, *_EVENT_ENDS)
_JOINING = frozenset({"与", "和", "暨", "及"})  # inside a name: 材料科学与工程学院, 发展和改革委员会, 经济及科技发展局
# a verb that grants a qualification: what follows it names the qualification, not an organization
_GRANTED = re.compile(r"(?:认定为|评为|评定为|获评|列为|列入|命名为|获批|荣获|确定为)(?:\d{4}年度?)?$")
_LIST_HEADS = {
    "企业": "Company", "公司": "Company", "龙头企业": "Company", "知名企业": "Company", "头部企业": "Company",
    "科技企业": "Company", "单位": "Organization", "社会投资人": "Organization", "投资人": "Organization",
    "投资机构": "Organization", "机构": "Organization", "院校": "University", "高校": "University",
}
_LIST_END = re.compile(  # 等N家(骨干)企业
    r"等(?:\d+(?:\.\d+)?|[一二三四五六七八九十百两几多数]+)?[余多]?(?:家|个|所|位)?((?:(?!领域|行业|产业|类|方面|板块)[\u4e00-\u9fff]){0,4}?)(" + "|".join(sorted(_LIST_HEADS, key=len, reverse=True)) + ")"
)
_OBJECT_VERBS = ("签约", "联系", "对接", "引进", "携手")
_WITH_VERBS = ("签约", "签署", "签订", "对接", "合作", "洽谈", "共建")
_NAME_TAIL_GENERIC = frozenset("企业 项目 产业 工作 资源 服务 机构 单位 平台 合作 事宜 协议 活动 会议 基地 品牌 体系 模式 机制 资金 政策".split())
# compared as their usual short forms (管委会 for 管理委员会, 高新区 for 新技术开发区)
_ABBREVIATIONS = (("管理委员会", "管委会"), ("农村商业银行", "农商银行"), ("经济开发区", "经开区"), ("科学技术", "科技"), ("高新技术产业开发区", "高新区"), ("新技术产业开发区", "高新区"), ("新技术开发区", "高新区"))
_DECLARED = re.compile(r"[(,](?:以下)?(?:简称|下称|以下称)[:]?([^(),;。:]{2,12})[),]")
_THIS_ONE = re.compile(r"(?:新一届|本届|上一届|首届|该|本|此)$")  # 新一届商会: the chamber named before
_JOIN_WORDS = re.compile(r"入盟|入会|入共|入体|加盟|加入")
_BRACKETED = re.compile(r"\(([^\d(),;。:、]{2,8})\)")
_ANAPHORS = {"联盟": "Alliance", "联合体": "Alliance", "共同体": "PartyBuildingCommunity", "协会": "Association", "商会": "ChamberOfCommerce", "孵化器": "Incubator", "加速器": "Accelerator", "众创空间": "MakerSpace"}


@dataclass(eq=False)
class Ent:
    """One entity found in the article, with every mention; ``known`` when the graph has it."""

    name: str
    type: str
    how: str
    known: KnownEntity | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # name key -> as written
    mentions: list[Mention] = field(default_factory=list)
    generic: bool = False
    parent_park: tuple[Ent, Mention] | None = None  # the park whose name prefixes this one (partOf), and where

    @cached_property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def is_org(self) -> bool:
        return self.type in ORG_TYPES

    def __repr__(self) -> str:
        return f"Ent({self.name!r}, {self.type}, {self.how}{', known=' + self.known.id if self.known else ''})"


@dataclass(eq=False)
class Mention:
    """Where an entity is named: sentence index and key span ``[i, j)`` in that sentence's key."""

    sent: int
    i: int
    j: int
    ent: Ent
    how: str
    in_park: bool = False  # written 园区X


@dataclass
class Chain:
    name: str
    sent: int
    i: int
    j: int
    stages: list[Ent]


@dataclass
class Found:
    """Entities and their mentions per sentence, the home park and chains."""

    ents: list[Ent]
    by_sentence: dict[int, list[Mention]]
    home: Ent | None
    chains: list[Chain]

    def mentions(self, sent: int) -> list[Mention]:
        return self.by_sentence.get(sent, [])


# ---------------------------------------------------------------- candidates in one sentence


@dataclass
class _Cand:
    i: int
    j: int
    type: str
    how: str
    generic: bool = False
    in_park: bool = False
    known: list[KnownEntity] | None = None
    written: str = ""


def _is_generic(words) -> bool:
    """True when no word distinguishes the name (a suffix word inside a core is generic too).

    Two single characters in a row that are not function words are an unknown name jieba
    cut up (新|禾|材料科技), which distinguishes it.
    """
    if any(len(x.text) == 1 == len(y.text) and x.is_letters() and y.is_letters() and not {x.text, y.text} & FUNCTION_CHARS for x, y in zip(words, words[1:])):
        return False
    return not any(w.proper and w.text not in SUFFIXES for w in words)


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


def _suffix_cands(s: Sentence, toks: Tokens) -> list[_Cand]:
    key = s.key
    titles = _title_spans(key)
    longest: dict[int, str] = {}
    for a, b, suf in _SUFFIX_MATCHER.find_all(key):
        if b not in longest or len(suf) > len(longest[b]):
            longest[b] = suf
    out: list[_Cand] = []
    for b, suf in longest.items():
        a = b - len(suf)
        if b not in toks.ends or any(x < a and b < y for x, y in titles):
            continue
        k = toks.index_at(a)
        word = toks.words[k]
        if len(suf) == 1 and (word.text.endswith(_NOT_ORG_WORDS) or word.text == suf and k == 0 or word.pos.startswith(_NOT_ORG_POS)):
            continue
        start_k = _joined_left_edge(toks, k, a, toks.left_edge(k))
        core = toks.words[start_k:k] + ([word] if word.start < a else [])
        in_park = False
        # cut a generic descriptor ending in a head word before the distinctive part:
        # 园区|金诃藏药…, 园区初创企业|英矽…, 首支园区科技成长股权投资基金|极地基金
        heads = [n for n, w in enumerate(core) if w.text in _CUT_HEADS or w.text.endswith("企业")]
        for h in reversed(heads):
            if core[0].text == "园区" and SUFFIXES[suf] in _OWN_UNIT_TYPES:
                break  # 园区科技招商中心 is the park's own unit, not a body in the park
            rest = core[h + 1 :]
            if rest and all(w.generic or w.text in SUFFIXES or w.text in _CUT_HEADS for w in core[: h + 1]) and any(w.proper for w in rest):
                prefix = [w.text for w in core[: h + 1]]
                in_park = prefix[0] == "园区" and all(t.endswith("企业") for t in prefix[1:])
                core = rest
                break
        if not core or _THIS_ONE.fullmatch(key, core[0].start, a):
            continue  # a bare suffix (园区, 商会, 银行) names nothing; 新一届商会 is the one named before
        if suf == "中心" and _FACILITY_CENTRE.search(key, 0, b) or suf == "政府" and not (_GOVERNED_PLACE.search(key, 0, a) or core[-1].pos == "ns"):
            continue  # 数据中心 is a building; 各级政府, 200余名政府(代表) name no government
        if suf == "系" and not re.search("大学|学院", key[core[0].start : a]):
            continue  # 系 is a department only of a university (体系, 关系 are not)
        granted = _GRANTED.search(key, 0, core[0].start) and re.match(r"(?:称号|荣誉|资质)?(?:[,;。:、)]|$)", key[b:])
        typ = "Qualification" if granted else SUFFIXES[suf]  # 列入浙江省科学技术厅…名单: the granting body
        glued = [g for g, w in enumerate(core) if _glued_preposition(w) and (g == 0 or core[g - 1].text.endswith(_NAME_OR_EVENT_ENDS))]
        if glued:  # 海化联盟|由鲁|东海晶化学…: the name starts after the preposition
            core = core[glued[-1] :]
        start = core[0].start + (1 if glued else 0)
        out.append(_Cand(start, b, typ, "suffix", generic=_is_generic(_without_suffix(core, a)), in_park=in_park))
    return out


def _glued_preposition(w) -> bool:
    """True when jieba glued a preposition to the name's first characters: 由鲁|东海晶化学…, 经竹|科管理局,
    由湘岳|重工… (a two- or three-character word it does not know, starting with 由, 经, 被…)."""
    if w.text[0] not in PREPOSITION_CHARS or word_freq(w.text) is not None:
        return False
    rest = w.text[1:]  # 由鲁, 由湘岳, 和渝江电, 经市经信委
    return len(w.text) == 2 or word_freq(rest) is None or any(rest.endswith(sf) and len(rest) > len(sf) for sf in SUFFIXES)


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
    if not 0 < len(right) <= (4 if w[start - 1].text == "及" else 8) or before.text.endswith(_NAME_OR_EVENT_ENDS) or not before.pos.startswith(("n", "v", "j", "a", "l")):
        return start
    if any(_distinctive(x, pos) for x, pos in words(right)):
        return start
    return toks.left_edge(start - 2)


def _distinctive(word: str, pos: str) -> bool:
    """A word that makes a name on its own: a place, an organization, ASCII, or a word jieba does not know."""
    return pos in ("ns", "nt", "eng") or any(c.isascii() and c.isalnum() for c in word) or (word_freq(word) is None and not is_generic_word(word, pos))


def _national_cands(s: Sentence, toks: Tokens) -> list[_Cand]:
    """National bodies named by common words (科技部, 工业和信息化部), as whole words of the sentence."""
    return [_Cand(a, b, "GovernmentBody", "lexicon") for a, b, _ in _NATIONAL_MATCHER.find_all(s.key) if a in toks.starts and b in toks.ends]


def _known_cands(s: Sentence, known: KnownEntities) -> list[_Cand]:
    """Names of the graph in the sentence; an organization's generic alias (园区, 党建联盟) is marked generic,
    and so is a name that is only a type word (产业园, a stage of the seed's chain)."""
    out = []
    for a, b, ents in known.matcher.find_all(s.key):
        is_name = any(name_key(e.name) in name_key(s.key[a:b]) and name_key(e.name) not in SUFFIXES for e in ents)  # the name itself, or an alias holding it
        generic = not is_name and ents[0].type in ORG_TYPES and _is_generic(Tokens(s.key[a:b]).words)
        out.append(_Cand(a, b, ents[0].type, "known", generic=generic, known=ents))
    return out


def _looks_like_name(key: str, toks: Tokens, c: _Cand) -> bool:
    """A list item or verb object that can be a name: 2–12 characters, whole words, not generic."""
    i, j = c.i, c.j
    if not 2 <= j - i <= 12 or any(ch.isdigit() for ch in key[i:j]):
        return False
    ks = range(toks.index_at(i), toks.index_at(j - 1) + 1)
    ws = [toks.words[k] for k in ks]
    if not ws or ws[0].start != i or ws[-1].end != j or any(toks.is_boundary(k) for k in ks) or _is_generic(ws):
        return False
    if c.how == "list":
        return True
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


def _list_cands(s: Sentence, toks: Tokens) -> list[_Cand]:
    """Items of “X、Y等N家企业”, and objects of 签约/联系/对接 that look like names."""
    key = s.key
    out = [
        _Cand(i, j, _LIST_HEADS[m.group(2)], "list")
        for m in _LIST_END.finditer(key)
        for i, j in _items_before(key, toks, m.start())
        if not m.group(1) or any(_distinctive(w.text, w.pos) for w in toks.span_words(i, j))  # 等高科技企业: 医疗器械 is a trade
    ]
    for verb in _OBJECT_VERBS:
        for m in re.finditer(verb, key):
            i = j = m.end()
            while j < len(key) and not toks.is_boundary(toks.index_at(j)):
                j = toks.words[toks.index_at(j)].end
            if j > i and (j == len(key) or not key[j].isalnum()):
                out.append(_Cand(i, j, "Organization", "object"))
    for m in re.finditer("与", key):
        i = m.end()
        for verb in _WITH_VERBS:
            v = key.find(verb, i)
            if 0 < v - i <= 12 and not any(p in key[i:v] for p in "、,，"):
                out.append(_Cand(i, v, "Organization", "object"))
                break
    return out


def _chain(s: Sentence, toks: Tokens) -> tuple[list[_Cand], tuple[int, int] | None]:
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
        sf = next((sf for sf in sorted(SUFFIXES, key=len, reverse=True) if text.endswith(sf)), None)
        cands.append(_Cand(i, j, SUFFIXES[sf] if sf else "Organization", "chain"))
        pos += len(p) + 1
    chain_end = m.end()
    return cands, (chain_end - (len(last) - stage_end), chain_end)


def _pick(cands: list[_Cand]) -> list[tuple[_Cand, bool]]:
    """Non-overlapping candidates, longest first (a known name, then a distinctive one wins a tie); plus parks nested as prefixes."""
    order = sorted(cands, key=lambda c: (-(c.j - c.i), c.how != "known", c.how != "chain", c.generic, c.i))
    taken: list[_Cand] = []
    nested: list[_Cand] = []
    for c in order:
        clash = [t for t in taken if c.i < t.j and t.i < c.j]
        if not clash:
            taken.append(c)
        elif c.type == "IndustrialPark" and not c.generic and all(t.i == c.i and t.j > c.j for t in clash):
            if not any((n.i, n.j) == (c.i, c.j) for n in nested):
                nested.append(c)
    return [(c, False) for c in taken] + [(c, True) for c in nested]


# ---------------------------------------------------------------- the whole article


class _Builder:
    """Collects candidates sentence by sentence, then links, names the home park and resolves references."""

    def __init__(self, doc: Document, known: KnownEntities):
        self.doc = doc
        self.known = known
        self.by_key: dict[str, Ent] = {}
        self.mentions: dict[int, list[Mention]] = {}
        self.nested_in: list[tuple[Mention, _Cand]] = []
        self.chains: list[Chain] = []
        self.toks: dict[int, Tokens] = {}
        self.generic_known: list[tuple[int, _Cand]] = []
        # per sentence: media names in bylines, then the statistical model's organization spans
        self.extra: dict[int, list[tuple[int, int, str, str]]] = {}
        for how, spans in (("byline", byline_spans(doc)), ("model", model_spans(doc))):
            for k, v in spans.items():
                self.extra.setdefault(k, []).extend((i, j, t, how) for i, j, t in v)

    def tokens(self, s: Sentence) -> Tokens:
        """The words of ``s``, cut once."""
        if s.index not in self.toks:
            self.toks[s.index] = Tokens(s.key)
        return self.toks[s.index]

    def written(self, s: Sentence, i: int, j: int) -> str:
        return self.doc.name(*s.span(i, j))

    def ent_for(self, s: Sentence, c: _Cand) -> Ent:
        if c.known:
            ke = c.known[0]
            k = "known:" + ke.id
            if k not in self.by_key:
                self.by_key[k] = Ent(ke.name, ke.type, "known", known=ke)
            ent = self.by_key[k]
            w = self.written(s, c.i, c.j)
            if name_key(w) != name_key(ke.name):
                ent.aliases.setdefault(name_key(w), w)
            return ent
        w = self.written(s, c.i, c.j)
        k = name_key(w)
        same = [ke for ke in self.known.by_key.get(k, []) if ke.type == c.type] or self.known.by_key.get(k, [])
        if same:  # a name the rules found is a name the graph has
            return self.ent_for(s, _Cand(c.i, c.j, same[0].type, "known", known=same))
        if k not in self.by_key:
            self.by_key[k] = Ent(w, c.type, c.how, generic=c.generic)
        ent = self.by_key[k]
        if c.how == "suffix" and ent.how != "suffix":
            ent.type, ent.how, ent.generic = c.type, "suffix", c.generic
        if c.how == "chain":
            ent.generic = False
        return ent

    def sentence(self, s: Sentence) -> None:
        cands = _known_cands(s, self.known) if len(self.known) else []
        if _SUFFIX_MATCHER.find_all(s.key) or "等" in s.key or any(v in s.key for v in _OBJECT_VERBS + ("与",)):
            toks = self.tokens(s)
            cands += _suffix_cands(s, toks) + _national_cands(s, toks)
            chain_cands, chain_span = _chain(s, toks)
            cands += chain_cands
            for c in cands:  # a stage of a chain is meant, even when its name is plain (产业园)
                if c.how == "known" and c.generic and any((d.i, d.j) == (c.i, c.j) for d in chain_cands):
                    c.generic = False
            cands += [c for c in _list_cands(s, toks) if _looks_like_name(s.key, toks, c)]
        else:
            chain_cands, chain_span = [], None
        cands += self.model_cands(s, cands)
        picked = _pick(cands)
        # a generic descriptor right before a name of the same type is not a name (…投资基金极地基金)
        picked = [(c, n) for c, n in picked if not (c.generic and any(d.i == c.j and d.type == c.type for d, _ in picked))]
        ms: list[Mention] = []
        for c, nested in picked:
            if c.how == "known" and c.generic:
                self.generic_known.append((s.index, c))
            outer = next((o for o, n in picked if not n and o.i == c.i and o.j > c.j), None) if nested else None
            if nested and (outer is None or outer.type != "IndustrialPark"):
                continue
            m = Mention(s.index, c.i, c.j, self.ent_for(s, c), c.how, in_park=c.in_park)
            ms.append(m)
            if nested:
                self.nested_in.append((m, outer))
        ms.sort(key=lambda m: (m.i, -m.j))
        self.mentions[s.index] = ms
        if chain_span:
            stages = [next((m.ent for m in ms if m.i <= c.i and c.j <= m.j), None) for c in chain_cands]
            if all(stages):
                a, b = chain_span
                self.chains.append(Chain(self.written(s, a, b), s.index, chain_cands[0].i, b, stages))

    def model_cands(self, s: Sentence, cands: list[_Cand]) -> list[_Cand]:
        """Bylines' and the model's spans that no rule candidate overlaps; where the model sees a longer left edge
        of a rule's name (长株潭|园区发展联盟 where jieba stopped at 潭), the rule's candidate grows to it."""
        out: list[_Cand] = []
        for i, j, t, how in self.extra.get(s.index, ()):
            if any(c.i < j and i < c.j for c in out):
                continue
            clash = [c for c in cands if c.i < j and i < c.j]
            if not clash:
                if not _FACILITY_CENTRE.search(s.key, i, j) and not s.key[i:j].endswith(_NOT_ORG_WORDS):
                    out.append(_Cand(i, j, t, how))
            elif all(i <= c.i and c.j <= j for c in clash):
                outer = max(clash, key=lambda c: c.j - c.i)
                prefix = s.key[i : outer.i]
                if outer.how == "suffix" and outer.j == j and 0 < len(prefix) <= 3 and not set(prefix) & (FUNCTION_CHARS | PREPOSITION_CHARS) \
                        and not prefix.endswith(tuple(_CUT_HEADS)) and prefix not in GENERIC_WORDS:  # 园区|金诃藏药…: a descriptor the rules cut
                    outer.i = i
        return out

    # -- linking

    def declared_short_forms(self) -> None:
        """A short form the article declares, FULL（简称“X”）, FULL（以下简称X）or FULL（X）with X made of
        FULL's characters in order (国家科学及技术委员会（国科会）), names FULL wherever it is written."""
        done: set[tuple[int, str]] = set()
        for s in self.doc.sentences:
            declared = list(_DECLARED.finditer(s.key)) if "称" in s.key else []
            declared += list(_BRACKETED.finditer(s.key))
            for mt in declared:
                full = next((m.ent for m in self.mentions.get(s.index, []) if m.j == mt.start() and m.ent.is_org), None)
                form = mt.group(1)
                if full is None or name_key(form) == full.key:
                    continue
                if mt.re is _BRACKETED and not _in_order(form, full.key):
                    continue
                other = self.by_key.get(name_key(self.written(s, *mt.span(1))))
                if other is not None and other is not full and not other.known:
                    self.merge(other, full)
                if (id(full), form) not in done:  # a repeated declaration adds nothing new
                    done.add((id(full), form))
                    self.add_alias_mentions(full, form, declared=True)

    def link_short_forms(self) -> None:
        ents = list(dict.fromkeys(self.by_key.values()))
        full = [e for e in ents if not e.generic and e.is_org]
        for e in ents:
            if e.known or not e.mentions:
                continue
            if e.generic:
                targets = [f for f in full if f is not e and f.type == e.type and _is_short_form(e.key, f.key)]
            elif e.how == "chain" or e.key in SUFFIXES:
                continue
            else:  # a distinctive name only links as the tail of a longer one (东湖高新区 → 武汉东湖新技术开发区) or by initials
                # a name that begins another is its parent (浙江远驰…有限公司 of …宁波分公司), not its short form
                others = [f for f in full if f is not e and f.type == e.type and not f.known and not f.key.startswith(e.key)]
                targets = (
                    [f for f in others if _is_tail(e.key, _abbreviate(f.key))]
                    or [f for f in others if _is_initials(e.key, f.key)]
                    or [f for f in others if len(f.key) > len(e.key) and any(_drops_qualifiers(e.key, v) for v in {f.key, _abbreviate(f.key)})]
                    or [f for f in others if len(e.key) >= 6 and len(Tokens(e.key).words) >= 3 and _is_short_form(e.key, f.key)]
                    or [f for f in full if f is not e and e.how in ("list", "object", "model") and f.type == "Company" and len(f.key) > len(e.key) >= 4 and _unplaced(f.key).startswith(e.key)]
                )  # …, or the start of a company's name without its place: 龙冰新材 → 哈尔滨龙冰新材料股份有限公司
            if len(targets) > 1:  # several: the one named last before this short form
                first = {f: min((m.sent, m.i) for m in f.mentions) for f in targets if f.mentions}
                start = min((m.sent, m.i) for m in e.mentions)
                targets = [f for f in targets if first.get(f, (10**9, 0)) <= start][-1:]
            if len(targets) == 1:
                self.merge(e, targets[0])

    def merge(self, e: Ent, into: Ent) -> None:
        for m in e.mentions:
            m.ent = into
        into.mentions += e.mentions
        e.mentions = []
        if name_key(e.name) != into.key:
            into.aliases.setdefault(name_key(e.name), e.name)
        for k, v in e.aliases.items():
            into.aliases.setdefault(k, v)
        for k, v in list(self.by_key.items()):
            if v is e:
                self.by_key[k] = into

    def promote_named(self) -> None:
        """A plain name is still a name when two other organizations are named after it (天府国际生物城 →
        天府国际生物城管委会, 天府国际生物城投资发展有限公司) or when it is the subject of the headline (X：…)."""
        ents = [e for e in dict.fromkeys(self.by_key.values()) if e.mentions]
        head = self.doc.sentences[0] if self.doc.sentences else None
        for e in ents:
            if not e.generic or e.known:
                continue
            named_after = sum(1 for o in ents if o is not e and o.key.startswith(e.key) and len(o.key) > len(e.key) and o.is_org) >= 2
            in_headline = head is not None and any(m.sent == 0 and m.i == 0 and head.key[m.j : m.j + 1] in (":", "") for m in e.mentions)
            if named_after or in_headline:
                e.generic = False

    def derived_aliases(self) -> None:
        """Short forms the article uses for a full name: legal form dropped, quoted part."""
        for e in list(dict.fromkeys(self.by_key.values())):
            if e.generic or e.known or not e.is_org or not e.mentions:
                continue
            forms: set[str] = set()
            m0 = e.mentions[0]
            s0 = self.doc.sentences[m0.sent]
            a, b = s0.span(m0.i, m0.j)
            raw = self.doc.text[max(a - 1, 0) : b + 1]
            for q in re.findall(r"[“「『\"]([^”」』\"]{2,12})[”」』\"]", raw):
                if name_key(q) != e.key:
                    e.aliases.setdefault(name_key(q), q)  # a quoted part of a name is a name by itself
            if e.type == "Company":
                forms.update(_company_short_forms(e.key))
            for f in sorted(forms, key=len, reverse=True):
                other = self.by_key.get(f)
                if other is not None and other is not e and not other.known and other.how in ("object", "list") and other.mentions:
                    self.merge(other, e)  # 与讯邦智联签约 names 深圳市讯邦智联科技股份有限公司
                self.add_alias_mentions(e, f)

    def add_alias_mentions(self, e: Ent, form: str, declared: bool = False) -> None:
        """Mentions of ``e`` wherever the article writes ``form`` on its own; ``form`` becomes an alias if it does.

        A generic form (园区) is only taken when the article ``declared`` it as the short form; a
        derived one only where it is not the start of a longer word (龙冰新 in 龙冰新材).
        """
        if form == e.key or (form in GENERIC_WORDS and not declared):
            return
        written = None
        pattern = re.compile(re.escape(form))
        for s in self.doc.sentences:
            if form not in s.key:
                continue
            ms = self.mentions.setdefault(s.index, [])
            for mt in pattern.finditer(s.key):
                a, b = mt.span()
                if any(a < m.j and m.i < b for m in ms):
                    continue  # inside another name (the full name itself, or a longer one)
                if not declared and b < len(s.key) and s.key[b].isalnum() and b not in self.tokens(s).ends:
                    continue
                m = Mention(s.index, a, b, e, "alias")
                ms.append(m)
                e.mentions.append(m)
                written = written or self.written(s, a, b)
            ms.sort(key=lambda m: (m.i, -m.j))
        if written:
            e.aliases.setdefault(form, written)

    def home_park(self) -> Ent | None:
        ents = [e for e in dict.fromkeys(self.by_key.values()) if not e.generic and e.mentions]
        parks = [e for e in ents if e.type == "IndustrialPark" or e.type == "SciencePark" and e.how != "chain"]
        if not parks:
            return None
        # the park named most often (an industrial park on a tie), then the one named first
        return max(parks, key=lambda e: (len(e.mentions), e.type == "IndustrialPark", tuple(-x for x in min((m.sent, m.i) for m in e.mentions))))

    def park_references(self, home: Ent) -> None:
        """Bare 园区 is the home park; 园区机关 (or <park alias>机关) is that park's 管委会."""
        govs = [e for e in dict.fromkeys(self.by_key.values()) if e.type == "GovernmentBody" and e.mentions]
        bare = re.compile(self.bare_park_words(home))
        park_names = {home.key, *home.aliases, *re.findall(r"[^|]+", bare.pattern)}
        own_gov = [g for g in govs if any(g.key.startswith(p) for p in park_names) and g.key.endswith("管委会")]
        for s in self.doc.sentences:
            ms = self.mentions.setdefault(s.index, [])
            for mt in re.finditer("机关", s.key):
                a = mt.start()
                before = [m for m in ms if m.j == a]
                if before and before[0].ent.type == "GovernmentBody":
                    m = before[0]
                    m.j = mt.end()
                    m.ent.aliases.setdefault(name_key(self.written(s, m.i, m.j)), self.written(s, m.i, m.j))
                    continue
                ref = next((p for p in sorted(park_names, key=len, reverse=True) if p and s.key.startswith(p, a - len(p))), None)
                if ref and len(own_gov) == 1 and not any(m.i < mt.end() and a - len(ref) < m.j for m in ms if m.ent is not home):
                    ms[:] = [m for m in ms if not (m.ent is home and m.i >= a - len(ref) and m.j <= a)]
                    g = own_gov[0]
                    m = Mention(s.index, a - len(ref), mt.end(), g, "alias")
                    ms.append(m)
                    g.mentions.append(m)
                    g.aliases.setdefault(name_key(self.written(s, m.i, m.j)), self.written(s, m.i, m.j))
            for mt in bare.finditer(s.key):
                a, b = mt.span()
                if not any(m.i < b and a < m.j or m.in_park and m.i == b for m in ms):
                    m = Mention(s.index, a, b, home, "home")
                    ms.append(m)
                    home.mentions.append(m)
            ms.sort(key=lambda m: (m.i, -m.j))

    @staticmethod
    def bare_park_words(home: Ent) -> str:
        """A regex of the words that, standing alone, mean the home park: 园区, and its type word (开发区, 科学园…)."""
        words = {"园区"} | {sf for sf, t in SUFFIXES.items() if t == home.type and _abbreviate(home.key).endswith(sf) and len(sf) >= 2}
        return "|".join(sorted(map(re.escape, words), key=len, reverse=True))

    def anaphora(self) -> None:
        """A bare 联盟 / 协会 / 孵化器 … refers to the last organization of that type named before it,
        one whose name ends in the same word first (联盟 → …产业联盟 rather than a later …联合体)."""
        last: dict[str, Ent] = {}
        last_word: dict[str, Ent] = {}
        pattern = re.compile("|".join(_ANAPHORS))
        for s in self.doc.sentences:
            toks = self.toks.get(s.index)
            ms = self.mentions.setdefault(s.index, [])
            events = [(m.i, 0, m) for m in ms] + [(mt.start(), 1, mt) for mt in pattern.finditer(s.key)]
            for _, kind, x in sorted(events, key=lambda ev: (ev[0], ev[1])):
                if kind == 0:
                    if not x.ent.generic:
                        last[x.ent.type] = x.ent
                        last_word.update((w, x.ent) for w, t in _ANAPHORS.items() if t == x.ent.type and x.ent.key.endswith(w))
                    continue
                a, b = x.span()
                word, typ = x.group(), _ANAPHORS[x.group()]
                if typ not in last or any(m.i < b and a < m.j for m in ms):
                    continue
                if toks is None or a not in toks.starts or b not in toks.ends or (a > 0 and not toks.is_boundary(toks.index_at(a - 1)) and not _THIS_ONE.search(s.key, 0, a)):
                    continue
                start = s.span(a, b)[0]
                if start > 0 and self.doc.text[start - 1] in "“「『‘\"'":
                    continue  # “商会+园区”对接会: a quoted word names something, it does not refer back
                ent = last_word.get(word, last[typ])
                m = Mention(s.index, a, b, ent, "alias")
                ms.append(m)
                ent.mentions.append(m)
                ent.aliases.setdefault(word, self.written(s, a, b))
            ms.sort(key=lambda m: (m.i, -m.j))

    def owned_generic(self, home: Ent | None) -> None:
        """Keep a generic name that belongs to the park (园区科学技术协会, 生物园区管委会); drop the rest."""
        refs = {"园区"} | ({home.key, *home.aliases, *re.findall(r"[^|]+", self.bare_park_words(home))} if home else set())
        for e in list(dict.fromkeys(self.by_key.values())):
            if e.generic and not e.known and e.mentions and any(e.key.startswith(r) and len(e.key) > len(r) and not e.key.startswith(r + "内") for r in refs if r):
                e.generic = False

    def drop_uncorroborated(self) -> None:
        """A known organization named here only by a generic alias (园区) is not taken to be meant."""
        spans = {(k, c.i, c.j) for k, c in self.generic_known}
        for ent in {m.ent for ms in self.mentions.values() for m in ms if (m.sent, m.i, m.j) in spans}:
            if all((m.sent, m.i, m.j) in spans for ms in self.mentions.values() for m in ms if m.ent is ent):
                for k, ms in self.mentions.items():
                    ms[:] = [m for m in ms if m.ent is not ent]
                ent.mentions = []

    def finish(self) -> Found:
        self.drop_uncorroborated()
        for ms in self.mentions.values():
            for m in ms:
                if m not in m.ent.mentions:
                    m.ent.mentions.append(m)
        self.declared_short_forms()
        self.link_short_forms()
        self.promote_named()
        self.derived_aliases()
        home = self.home_park()
        if home:
            self.owned_generic(home)
            self.park_references(home)
        self.anaphora()
        for inner, outer in self.nested_in:
            outer_m = next((m for m in self.mentions[inner.sent] if (m.i, m.j) == (outer.i, outer.j)), None)
            if outer_m and outer_m.ent is not inner.ent and outer_m.ent.parent_park is None:
                outer_m.ent.parent_park = (inner.ent, outer_m)
        keep = {e for e in self.by_key.values() if e.mentions and (not e.generic or e.known) and (e.key not in SUFFIXES or e.known or e.how == "chain")
                and not e.key.startswith(_DEICTIC)}  # a bare 孵化器 names nothing, nor do 以上园区 / 上述企业
        by_sentence = {k: [m for m in ms if m.ent in keep] for k, ms in self.mentions.items()}
        ents = [e for e in dict.fromkeys(self.by_key.values()) if e in keep]
        for e in ents:
            e.mentions = [m for m in e.mentions if m.ent is e]
            e.mentions.sort(key=lambda m: (m.sent, m.i))
            e.aliases.pop(e.key, None)
        chains: list[Chain] = []
        for c in self.chains:  # one chain per sequence of stages, at its first mention
            if all(st in keep for st in c.stages) and len(c.stages) >= 3 and not any(o.stages == c.stages for o in chains):
                chains.append(c)
        return Found(ents, by_sentence, home if home in keep else None, chains)


def _unplaced(key: str) -> str:
    """A name without the place it starts with (哈尔滨龙冰新材料股份有限公司 → 龙冰新材料股份有限公司)."""
    ws = Tokens(key).words
    a = 0
    while a < len(ws) - 1 and (ws[a].pos == "ns" or ws[a].text.endswith(("省", "市", "自治区"))):
        a += 1
    return key[ws[a].start :] if ws else key


def _company_short_forms(key: str) -> list[str]:
    """What an article may call a company for short: its name without the legal form, then also
    without the place in front and the generic trade word behind (深圳市讯邦智联科技股份有限公司 →
    深圳市讯邦智联科技, 讯邦智联科技, 讯邦智联). Each form is distinctive; a cut one at least 3 characters.

    >>> _company_short_forms("深圳市讯邦智联科技股份有限公司")
    ['深圳市讯邦智联科技', '讯邦智联科技', '讯邦智联']
    """
    stem = next((key[: -len(lf)] for lf in LEGAL_FORMS if key.endswith(lf)), None)
    if not stem or key.endswith("分公司"):
        return []  # a branch is not called by its parent's short name
    group = next((key[: -len(lf)] for lf in ("有限公司", "有限责任公司", "股份有限公司") if key.endswith(lf) and key[: -len(lf)].endswith("集团")), None)
    stem = re.sub(r"\([^()]{2,4}\)", "", stem)  # 本源量子计算科技(合肥)
    unplaced = _unplaced(stem)
    forms = [stem, unplaced] + ([group] if group else [])  # …, 广州港集团 for 广州港集团有限公司
    ws = Tokens(unplaced).words
    b = len(ws)
    while b > 1 and ws[b - 1].generic:
        b -= 1
        forms.append("".join(w.text for w in ws[:b]))  # 蒙氢能源科技 → 蒙氢能源 (→ 蒙氢, too short)
    out = []
    for n, f in enumerate(dict.fromkeys(forms)):
        fw = Tokens(f).words
        if len(f) >= (2 if n == 0 else 3) and not _is_generic(fw) and not all(w.pos == "ns" for w in fw):
            out.append(f)
    return out


def _in_order(short: str, full: str) -> bool:
    """Every character of ``short`` occurs in ``full``, in order (国科会 in 国家科学及技术委员会)."""
    pos = 0
    for ch in short:
        pos = full.find(ch, pos) + 1
        if pos == 0:
            return False
    return True


def _is_tail(short: str, full: str) -> bool:
    """``short`` is ``full`` as abbreviated (合肥高新区) or its last part after at least two characters."""
    return short == full or (len(full) >= len(short) + 2 and full.endswith(short))


def _is_initials(short: str, full: str) -> bool:
    """``short`` abbreviates ``full`` by initials before a shared ending: 南科管理局 ← 科技部南部科学工业园区管理局.

    The ending (≥ 2 characters) must end in an organization suffix; the 2–4 initials occur in
    order in the rest of ``full``, not as one piece (青海大学 does not abbreviate 青海民族大学).

    >>> _is_initials("南科管理局", "科技部南部科学工业园区管理局"), _is_initials("青海大学", "青海民族大学")
    (True, False)
    """
    n = 0
    while n < min(len(short), len(full)) and short[-1 - n] == full[-1 - n]:
        n += 1
    ending = short[len(short) - n :]
    head, body = short[: len(short) - n], full[: len(full) - n]
    if n < 2 or not ending.endswith(SUFFIX_ENDS) or not 2 <= len(head) <= 4 or len(body) < 2 * len(head) or head in body:
        return False
    return _in_order(head, body)


_QUALIFIERS = ("股份有限公司", "有限责任公司", "有限公司", "自治区", "国家", "国际", "中国", "股份", "集团", "产业", "园", "区", "市", "省", "县")


def _drops_qualifiers(short: str, full: str) -> bool:
    """``short`` is ``full`` with qualifiers left out (国家, 国际, 园, 股份有限公司…), at least one.

    >>> _drops_qualifiers("贵阳高新区", "贵阳国家高新区"), _drops_qualifiers("霍尔果斯陆港物流党建共同体", "霍尔果斯国际陆港物流园党建共同体")
    (True, True)
    >>> _drops_qualifiers("青海大学", "青海民族大学")
    False
    """
    if len(short) >= len(full):
        return False
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if j == len(full):
            if i == len(short):
                return True
            continue
        if i < len(short) and short[i] == full[j]:
            stack.append((i + 1, j + 1))
        stack += [(i, j + len(q)) for q in _QUALIFIERS if full.startswith(q, j)]
    return False


def _abbreviate(name: str) -> str:
    for full, short in _ABBREVIATIONS:
        name = name.replace(full, short)
    return name


def _is_short_form(s: str, f: str) -> bool:
    """True when ``s`` is ``f`` with parts left out: at most three pieces of f, in order, each ≥ 2 characters.

    >>> _is_short_form("生物园区", "西宁经济技术开发区生物科技产业园区"), _is_short_form("园区商会", "西宁市生物园区商会")
    (True, True)
    >>> _is_short_form("青海大学", "青海理工学院")
    False
    """
    return any(_fits_in_pieces(s, v) for v in dict.fromkeys((_abbreviate(f), f)))


def _fits_in_pieces(s: str, f: str) -> bool:
    if len(s) >= len(f):
        return False

    def fit(si: int, fi: int, pieces: int) -> bool:
        if si == len(s):
            return True
        if pieces == 0:
            return False
        for start in range(fi, len(f)):
            n = 0
            while si + n < len(s) and start + n < len(f) and s[si + n] == f[start + n]:
                n += 1
            for take in range(n, 1, -1):
                if si + take == len(s) and not f.endswith(s[si:]) and pieces == 1 and start + take != len(f):
                    continue
                if fit(si + take, start + take, pieces - 1):
                    return True
        return False

    return fit(0, 0, 3) and f.endswith(s[-2:])


def find_entities(doc: Document, known: KnownEntities | None = None) -> Found:
    """Every organization (and known entity) named in ``doc``, with mentions and aliases."""
    b = _Builder(doc, known or KnownEntities([]))
    for s in doc.sentences:
        b.sentence(s)
    return b.finish()
