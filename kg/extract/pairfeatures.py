"""The features of a candidate membership pair (:mod:`~kg.extract.pairs`): cue words of its clause, of the text between
the two names and around the member, distances, list structure, types; each sentence read once (cached)."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from kg.extract.clause import BODIES, SEPARATOR, SentenceView
from kg.extract.lexicon import COUNT_FOUNDED
from kg.extract.orgs import Ent, Mention
from kg.extract.shapes import MEMBERS_NAMED

__all__ = ["BODY_WORDS", "NUMERAL", "CUES", "FAR", "GUEST", "MEMBER_WORDS", "NEAR", "SPEAKS_OF_MEMBERS", "UNITS",
           "bucket", "closing", "cues", "features", "sure", "is_body", "masked", "read_once", "runs"]

# cue groups: a name of the group fires when one of its words is in the clause, between the two names, …
CUES = {
    "list": re.compile(r"成员单位|会员单位|首批|名单|包括|包含|分别是|分别为|涵盖|囊括|如下|成员|会员|单位有"),
    # 成立 founds, not in 的成立 / 成立以来 (a noun, a date); 联合 founds, not as the head of a unit's name
    # (联合党委, 联合体, 联合会, 联合实验室: what follows names the unit, nobody is founding anything)
    "found": re.compile(r"发起|共同组建|组建|牵头|联合(?!党|体|会|实验|研究|研发|中心|办公)|携手|组成"
                        r"|(?<!的)成立(?!以来|之后|以后|至今|周年)"
                        r"|筹建|倡议|缔结|结成"),
    "role": re.compile(r"理事长单位|理事单位|会长单位|副会长单位|秘书长单位|主席单位|轮值|监事|当选|选出|选举|选为"),
    "join": re.compile(r"加入|入盟|入会|加盟|一员|吸纳|吸收|纳入|接纳|签约入|参与共建|参与组建|共建单位"),
    "plan": re.compile(r"将|拟|计划|意向|申请|准备|有意|筹备|预计|争取"),
    "meet": re.compile(r"调研|参观|座谈|考察|走访|观摩|交流|会议|召开|出席|参加|参会|活动|论坛|峰会|大会|举办|见证"),
    "guide": re.compile(r"指导|主办|承办|协办|主管|支持|授牌|揭牌|致辞"),
    "place": re.compile(r"入驻|落户|位于|进驻|坐落|园区内"),
    "sign": re.compile(r"签约|签署|签订|协议|合作"),
    "serve": re.compile(r"提供|服务|授信|帮扶|赋能|助力|搭建"),
    "ended": re.compile(r"退出|除名|注销|撤销"),
    "lead": re.compile(r"由|在"),
}
_GUIDES = re.compile(r"(?:\([^()]{0,24}\)|\))?(?:负责|的|担任|作为|为|联合|共同)?(?:业务)?(?:指导|主管|主办|承办|协办)")
SPEAKS_OF_MEMBERS = frozenset({"clause:list", "clause:join", "clause:role", "clause:found"})
BODY_WORDS = ("联盟", "共同体", "协会", "商会", "联合会", "联合体", "促进会", "学会", "研究会", "协进会", "联谊会",
               "联席会", "合伙人", "联合党委", "联合党支部", "联合党总支", "产业链党委")
_SINCE = re.compile(r"成立(?:以来|之后|以后|后|至今)\s*[,，]?\s*$")  # 联盟成立以来，X…: the body dates what X does
_VENUE = re.compile(r"(?:隆重|盛大|正式|顺利)?(?:举行|举办|召开|开幕|开班|揭牌)")
# 为X(的会员)提供服务: the serve cues, or another service done for the body
_SERVES = re.compile(r"(?:的[^,;:。]{0,8}?)?(?:" + CUES["serve"].pattern + r"|开展|举办|捐赠|捐助|培训)")
_ACTS = re.compile(r"(?:\([^()]{0,24}\))?(?:牵头|指导|主办|承办|联合|携手|发起|组织|主管)")
NUMERAL = r"(?:\d+|[一二两三四五六七八九十百多数几]+)"  # a bare number: 17, 十七, 多 (lexicon.COUNT adds the measure)
_FOUNDS = r"(?:成立|设立|组建|筹建|建立|组成)"  # the verbs that found an organization
_FOUNDS_NAMED = re.compile(r"(?:共同)?(?:发起)?" + _FOUNDS + r"(?:了|的)?")
_FOUNDED_HERE = re.compile(_FOUNDS + r"了?$")
_FOUNDS_A_SET = re.compile(_FOUNDS + COUNT_FOUNDED)  # A、B牵头组建10家企业创新联合体: A founds several others
UNITS = "成员单位|会员单位|理事单位|常务理事单位|成员企业|会员企业"  # the words that name a body's members
MEMBER_WORDS = UNITS + r"|副?理事长单位|副?会长单位"  # … and its leading members
# a member word before a guest word: members that attend (A、B等会员企业代表出席), not a person's title (A的理事长出席)
_MEMBERS_ATTEND = re.compile(r"成员|会员|" + MEMBER_WORDS)
GUEST = re.compile(r"出席|致辞|到会|莅临|应邀|受邀|祝贺|致贺|贺信")
_OFFICIALS = re.compile(r"的?(?:相关|有关|主要)?(?:领导|负责人|负责同志)")  # a list named for its officials
_SUPPORT_END = re.compile(r"(?:指导|支持|关心|帮助|推动|关怀|见证)下")
NEAR = 8  # characters around a member read for its own cues
SUPPORT_REACH = 90  # characters from 在 to a supporter in 在A、B…等单位的支持下: some six names (CV same at 40–200)
FAR = 200  # characters between two names beyond which the text between them is not read
# what the member's list (after its last item and its 等N家单位) does to a body: joins it (加入, 当选…理事单位), founds
# it (共同发起成立X, X由A、B共同组建) — the list is the subject of the verb, not a party named beside it
_LIST_TAIL = r"(?:等[^,;:。，；：、]{0,16}?)?(?:也|已|均|都|正式|先后|成功|顺利|相继|共同|联合|携手|一起)?"
_JOINS = re.compile(_LIST_TAIL + r"(?:将|拟)?(?:(加入|入盟|入会|加盟)|成为|当选为?|被?选为|连任|被?选举为|获选为?)")
_JOINED_AS = re.compile(r"成员|会员|一员|理事|会长|监事|" + MEMBER_WORDS)
_FOUNDS_BODY = re.compile(_LIST_TAIL + r"(?:参与)?(?:发起|倡议|组建|组成|构成|筹建)(?:成立|设立|组建)?了?的?")
FOUNDS_REACH = 16  # characters from the founding verb to the body it founds (…共同发起的产学研用线上创新组织——X)


@lru_cache(maxsize=4096)  # the same few distances and sizes, for every pair
def bucket(n: int, edges: tuple[int, ...]) -> str:
    """The name of the bin of ``n`` for a feature: ``<=e`` for the first edge ``e`` it does not pass, else ``>last``
    (names in models/members.json; orgbounds.bucket names its bins differently, see there)."""
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


def closing(key: str, start: int) -> int:
    """Where the bracket open before ``start`` closes in ``key`` (brackets inside it skipped), ``start`` when it does
    not; linear in what it reads."""
    depth = 1
    for k in range(start, len(key)):
        depth += {"(": 1, ")": -1}.get(key[k], 0)
        if depth == 0:
            return k
    return start


def is_body(e: Ent) -> bool:
    """A body that has members: by its type, or by the word its name ends with (…联合会 typed as an Organization)."""
    return e.type in BODIES or e.is_org and e.key.endswith(BODY_WORDS)


def read_once(st: SentenceView) -> dict:
    """The store of what is read once per sentence and kept while the sentence is (keys: a clause's start, names):
    the view's own :attr:`~kg.extract.clause.SentenceView.read_once` (a weak mapping by view made a weak reference
    at each of the ~25 look-ups a pair makes)."""
    return st.read_once


def _nearest_body(st: SentenceView, x: Mention) -> Mention | None:
    """The body named nearest to ``x`` when the sentence names two or more (by bisection: lists can be long)."""
    cache = read_once(st)
    if "bodies" not in cache:
        cache["bodies"] = sorted((y for y in st.ms if is_body(y.ent)), key=lambda y: y.i)
        cache["starts"] = [y.i for y in cache["bodies"]]
    bodies = cache["bodies"]
    if len(bodies) < 2:
        return None
    k = bisect_left(cache["starts"], x.i)
    near = [y for y in bodies[max(0, k - 2) : k + 2] if y.ent is not x.ent]
    return min(near, key=lambda y: abs(y.i - x.i)) if near else None


def runs(st: SentenceView) -> dict[int, tuple[Mention, Mention, int]]:
    """id of each organization mention in a list of two or more -> (first item, last item, size), in one pass."""
    cache = read_once(st)
    if "runs" not in cache:
        out: dict[int, tuple[Mention, Mention, int]] = {}
        run: list[Mention] = []
        for m in [*sorted((m for m in st.ms if m.ent.is_org), key=lambda m: (m.i, -m.j)), None]:
            if m is not None and run and (m.ent is run[-1].ent or m.i < run[-1].j):
                continue
            if m is not None and run and SEPARATOR.fullmatch(st.key, run[-1].j, m.i):
                run.append(m)
                continue
            for x in run if len(run) > 1 else ():
                out[id(x)] = (run[0], run[-1], len(run))
            run = [m] if m is not None else []
        cache["runs"] = out
    return cache["runs"]


def masked(st: SentenceView) -> str:
    """The sentence with the organizations' names blotted out, so the cue words are read in what is said of them,
    never inside a name (中共杭州西德汽车服务有限公司支部: no service; 中关村企业联合党委: no founding)."""
    cache = read_once(st)
    if "masked" not in cache:
        chars = list(st.key)
        for m in st.ms:
            if m.ent.is_org:
                chars[m.i : m.j] = "□" * (m.j - m.i)
        cache["masked"] = "".join(chars)
    return cache["masked"]


def cues(st: SentenceView, a: int) -> dict[str, float]:
    """The cue groups of the clause starting at ``a`` and of the whole sentence (read once per clause)."""
    cache = read_once(st)
    if a not in cache:
        key, e = masked(st), st.clause_end(a)
        f = {"clause:" + n: 1.0 for n, rx in CUES.items() if rx.search(key, a, e)}
        if "sent" not in cache:
            n_orgs = sum(1 for x in st.ms if x.ent.is_org)
            cache["sent"] = {"sent:" + n: 1.0 for n, rx in CUES.items() if rx.search(key)}
            cache["sent"]["orgs=" + bucket(n_orgs, (1, 2, 4, 8))] = 1.0
        f.update(cache["sent"])
        cache[a] = f
    return cache[a]


def _clause_marks(st: SentenceView, a: int) -> tuple[int, int, int, list[tuple[int, Ent, bool]]]:
    """Of the clause starting at ``a``, read once: where its last guest word, its last 支持下 and its last founding of
    a count of bodies (组建10家…) start (-1: none), and the organizations it founds, by the end of the verb
    (A、B共同发起设立的Z基金: Z), each with whether the clause names members before that verb (联盟成员单位A、B共同发起
    成立了Z: A and B are members all the same)."""
    cache = read_once(st).setdefault("marks", {})
    if a not in cache:
        key, e = masked(st), st.clause_end(a)
        guest = max((m.start() for m in GUEST.finditer(key, a, e)), default=-1)
        support = max((m.start() for m in _SUPPORT_END.finditer(key, a, e)), default=-1)
        sets = max((m.start() for m in _FOUNDS_A_SET.finditer(key, a, e)), default=-1)
        founded = [(m.end(), y.ent, MEMBERS_NAMED.search(key, a, m.start()) is not None)
                   for m in _FOUNDS_NAMED.finditer(key, a, e) for y in st.at(m.end())
                   if y.ent.is_org and not is_body(y.ent)]
        cache[a] = (guest, support, sets, founded)
    return cache[a]


def _not_joining(st: SentenceView, x: Mention, last: Mention, body: Ent) -> dict[str, float]:
    """What says that ``x`` (the last item of its list: ``last``) does something else than join ``body``; each clause
    is read once (a list of 1,500 names is one clause)."""
    f = {}
    key = masked(st)
    guest = _clause_marks(st, st.clause_start(last.j))[0]
    officials = _OFFICIALS.match(key, last.j) and GUEST.search(key, last.j)
    if guest >= last.j and not _MEMBERS_ATTEND.search(key, x.j, guest) \
            or officials and not _MEMBERS_ATTEND.search(key, x.j, last.j):
        f["guest"] = 1.0  # A、B(…的相关领导)出席/致辞: guests, not members (A、B等会员企业代表出席: members; also
        # where the list runs on past its member word: A、B等100余家会员单位高管以及C的领导出席); A、B相关领导，
        # 32家会员单位代表…出席: the list's officials attend, whatever the sentence's next item is
    start = st.clause_start(x.i)
    _, support, sets, founded = _clause_marks(st, start)
    cache = read_once(st)
    if "at" not in cache:
        cache["at"] = [k for k, c in enumerate(key) if c == "在"]
    k = bisect_left(cache["at"], x.i) - 1  # 在A、B等单位的大力支持下 (a clause has no stop inside)
    if support >= x.j and k >= 0 and start <= cache["at"][k] and x.i - cache["at"][k] <= SUPPORT_REACH \
            and not MEMBERS_NAMED.search(key, last.j, support):
        f["supports"] = 1.0  # 在A、B等单位的大力支持下: A supports, not joins (等成员单位: a member)
    if sets >= x.j or any(end > x.j and ent is not body and not members for end, ent, members in founded):
        f["founds_other"] = 1.0  # A、B共同发起设立的Z基金: A founds Z, which has no members; A、B牵头组建10家…: others
    if any(end == x.i and ent is x.ent for end, ent, _ in founded):
        f["founded"] = 1.0  # A、B共同发起成立了Z: Z is founded here, it joins nothing
    if is_body(x.ent) and x.ent.type == body.type:
        f["same_kind"] = 1.0  # 由A牵头的X联合体、由B牵头的Y联合体: siblings
    return f


def _subject_of(st: SentenceView, first: Mention, last: Mention, b: Mention | None) -> dict[str, float]:
    """What the list of the member (``first`` to ``last``) is the subject of, in its clause: joining a body
    (A、B正式加入X; A、B等6家单位当选副会长单位 — a word of membership follows), or founding the body named at
    ``b`` (A、B共同发起成立的X; X由A、B联合发起); what follows a list is read once for all its items (a list of
    1,500 names)."""
    key, end = masked(st), st.clause_end(last.j)
    cache = read_once(st).setdefault("subject", {})
    if last.j not in cache:
        joins = _JOINS.match(key, last.j, end)
        cache[last.j] = (joins is not None and bool(joins.group(1) or _JOINED_AS.search(key, joins.end(), end)),
                         _FOUNDS_BODY.match(key, last.j, end))  # (not 成为X的合作伙伴: no word of membership)
    joined, founds = cache[last.j]
    f = {"subject_joins": 1.0} if joined else {}
    if b is None:
        return f
    after = founds is not None and founds.end() <= b.i <= founds.end() + FOUNDS_REACH
    before = founds is not None and b.j < first.i and key[first.i - 1] == "由" and b.i >= st.clause_start(first.i)
    if after or before:
        f["founds_body"] = 1.0
    return f


def sure(e: Ent) -> str:
    """The band of the organization filter's confidence in ``e``'s name (``none``: the filter did not weigh it — a
    rule, a byline, the graph kept it)."""
    c = e.confidence
    return "none" if c is None else "<0.5" if c < 0.5 else "<0.7" if c < 0.7 else "<0.9" if c < 0.9 else ">=0.9"


def features(st: SentenceView, x: Mention, b: Mention | None, body: Ent) -> dict[str, float]:
    """The features of one occurrence: member ``x`` with ``body`` named at ``b`` (None: spoken of, not named)."""
    key = masked(st)
    f: dict[str, float] = {"mtype=" + x.ent.type: 1.0, "btype=" + body.type: 1.0, "bias_pair": 1.0,
                           "msure=" + sure(x.ent): 1.0, "bsure=" + sure(body): 1.0}
    f.update(cues(st, st.clause_start(x.i)))
    for name, rx in CUES.items():  # what is said right around the member
        if rx.search(key, x.j, x.j + NEAR):
            f["after:" + name] = 1.0
        if rx.search(key, max(0, x.i - NEAR), x.i):
            f["prev:" + name] = 1.0
    if x.i > 0 and key[x.i - 1] in "由在与和同向为":
        f["before=" + key[x.i - 1]] = 1.0
        if key[x.i - 1] == "在" and _VENUE.match(key, x.j):
            f["venue"] = 1.0
    if is_body(x.ent):
        f["member_is_body"] = 1.0
    first, last, size = runs(st).get(id(x), (x, x, 1))
    if key.startswith("的", last.j):
        f["member_de"] = 1.0  # X(、Y)的发起: X names what follows, it does not act
    if size > 1:
        f["run=" + bucket(size, (2, 4, 8))] = 1.0
    if _GUIDES.match(key, x.j) or _GUIDES.match(key, last.j):
        f["guide"] = 1.0  # X(、Y)指导, X担任指导单位: X guides, it does not join
    if st.in_list(x):
        f["in_list"] = 1.0
    f.update(_not_joining(st, x, last, body))
    f.update(_subject_of(st, first, last, b))
    start = st.clause_start(x.i)
    if _SINCE.search(key, max(0, start - 12), start) and not SPEAKS_OF_MEMBERS & f.keys():
        f["since_body"] = 1.0
    if x.ent.generic:
        f["generic"] = 1.0
    if body is st.topic:
        f["body_is_topic"] = 1.0
    if b is None:
        return f
    if _FOUNDED_HERE.search(key, max(0, b.i - 8), b.i):
        f["body_founded"] = 1.0  # A、B…以…为著力点，…，成立X联盟: founded here (its founders may be far before)
    if key[x.j : x.j + 1] in ("为", "向") and b.i == x.j + 1 and _SERVES.match(key, b.j):
        f["serves"] = 1.0  # A为X的会员提供服务: A serves the body's members (A为X的会员: it is one)
    if key[max(0, b.i - 1) : b.i] in ("由", "与", "和") or _ACTS.match(key, b.j):
        f["body_acts"] = 1.0  # 由商会牵头, 商会指导: the body is a party here, not the one joined
    if _nearest_body(st, x) is b:
        f["nearest_body"] = 1.0
    lo, hi = (x.j, b.i) if x.i < b.i else (b.j, x.i)
    f["member_first" if x.i < b.i else "body_first"] = 1.0
    f["dist=" + bucket(max(hi - lo, 0), (2, 10, 30, 80))] = 1.0
    f["same_clause" if st.clause_start(x.i) == st.clause_start(b.i) else "other_clause"] = 1.0
    if st.in_list(b):
        f["body_in_list"] = 1.0
    if hi - lo <= FAR:
        for name, rx in CUES.items():
            if rx.search(key, lo, hi):
                f["between:" + name] = 1.0
        if any(is_body(y.ent) and y.ent is not body for y in st.orgs(lo, hi)):
            f["body_between"] = 1.0
    else:
        f["far"] = 1.0
    return f
