"""Short forms of organization names: what an article may call one for short, and whether one name abbreviates another.

Used by :mod:`~kg.extract.orgs` to link a short form to the full name it stands for
(生物园区 → 西宁经济技术开发区生物科技产业园区, 南科管理局 → 科技部南部科学工业园区管理局,
金诃藏药 → 金诃藏药集团有限公司).
"""

from __future__ import annotations

import re

from kg.extract.lexicon import LEGAL_FORMS, PARTS
from kg.extract.tokens import SUFFIX_ENDS, is_generic_name, name_words

__all__ = ["GLUE", "added", "unplaced", "company_short_forms", "in_order", "is_tail", "is_initials",
           "drops_qualifiers", "abbreviate", "is_short_form", "NameIndex"]

# words that glue a clause to a name and are never inside one: a verb, a title, a date (…副主任X代表示范区,
# 嘉宾为联盟, 充分发挥党支部, 年度开发者联盟)
GLUE = re.compile(r"代表|认为|兼任?|为|反馈|加入|申请|组建|设置|设立|累计|祝贺|发挥|响应|牵线|利用好?"
                  r"|书记|主任|院长|局长|部长|董事长|总经理|主席|秘书长|会长|表示|指出|介绍|积极|充分|进一步|下属|龙头|共建|计划|计画|伙伴|缔结|携手|联手|签约")
# what the finder glues before a body's name and is never a name's start: a byline (本报讯), a date, a verb, a title
_GLUED = re.compile(r"(?:讯|电|\d|月|日|服务|" + GLUE.pattern + r")$")
_CUT = re.compile(f"[{PARTS}]$")  # 浙江省高分子材料及|辐射加工产业联盟: the finder cut the name at a conjunction
_PLACE = re.compile(r"[省市]$")  # 宁波市|海曙区企业联合会: the name in full, with the city or province of its district
_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:区|县|镇|乡|街道)")  # 海曙区…: a body named by its district

# compared as their usual short forms (管委会 for 管理委员会, 高新区 for 新技术开发区)
# (科大, 科协, 中科院 …所, 发改委: the usual short forms of university, association, academy and commission names)
_ABBREVIATIONS = (("管理委员会", "管委会"), ("农村商业银行", "农商银行"), ("经济技术开发区", "经开区"),
                  ("经济开发区", "经开区"), ("科学技术协会", "科协"), ("科学技术", "科技"), ("科技大学", "科大"),
                  ("高新技术产业开发区", "高新区"), ("新技术产业开发区", "高新区"), ("新技术开发区", "高新区"),
                  ("中国科学院", "中科院"), ("研究所", "所"), ("发展和改革委员会", "发改委"),
                  ("发展改革委员会", "发改委"), ("发展改革委", "发改委"), ("中国新闻网", "中新网"))


def added(prefix: str, name: str) -> str | None:
    """What ``prefix``, written before a body's ``name``, is: "glued" (a byline 讯, a date, a verb 服务 the finder
    glued to it), "cut" (the rest of a name cut at a conjunction: 浙江省高分子材料及|辐射加工产业联盟), "place" (the
    city or province of the district the name opens with: 宁波市|海曙区企业联合会), or None: perhaps a name of its
    own (宁波|温州商会, Wenzhou's chamber in Ningbo: another body).

    >>> added("宁波市", "海曙区企业联合会"), added("宁波", "温州商会"), added("本报讯", "温州商会")
    ('place', None, 'glued')
    """
    if _GLUED.search(prefix):
        return "glued"
    if _CUT.search(prefix):
        return "cut"
    return "place" if _PLACE.search(prefix) and _DISTRICT.match(name) else None


def unplaced(key: str) -> str:
    """A name without the place it starts with (哈尔滨龙冰新材料股份有限公司 → 龙冰新材料股份有限公司)."""
    ws = name_words(key)
    a = 0
    while a < len(ws) - 1 and (ws[a].pos == "ns" or ws[a].text.endswith(("省", "市", "自治区"))):
        a += 1
    return key[ws[a].start :] if ws else key


def company_short_forms(key: str) -> list[str]:
    """What an article may call a company for short: its name without the legal form, then also
    without the place in front and the generic trade word behind (深圳市讯邦智联科技股份有限公司 →
    深圳市讯邦智联科技, 讯邦智联科技, 讯邦智联). Each form is distinctive; a cut one at least 3 characters.

    >>> company_short_forms("深圳市讯邦智联科技股份有限公司")
    ['深圳市讯邦智联科技', '讯邦智联科技', '讯邦智联']
    """
    stem = next((key[: -len(lf)] for lf in LEGAL_FORMS if key.endswith(lf)), None)
    if not stem or key.endswith("分公司"):
        return []  # a branch is not called by its parent's short name
    group = next((key[: -len(lf)] for lf in ("有限公司", "有限责任公司", "股份有限公司")
                  if key.endswith(lf) and key[: -len(lf)].endswith("集团")), None)
    stem = re.sub(r"\([^()]{2,4}\)", "", stem)  # 本源量子计算科技(合肥)
    bare = unplaced(stem)
    forms = [stem, bare] + ([group] if group else [])  # …, 广州港集团 for 广州港集团有限公司
    ws = name_words(bare)
    b = len(ws)
    while b > 1 and ws[b - 1].generic:
        b -= 1
        forms.append("".join(w.text for w in ws[:b]))  # 蒙氢能源科技 → 蒙氢能源 (→ 蒙氢, too short)
    out = []
    for n, f in enumerate(dict.fromkeys(forms)):
        fw = name_words(f)
        if len(f) >= (2 if n == 0 else 3) and not is_generic_name(fw) and not all(w.pos == "ns" for w in fw):
            out.append(f)
    return out


def in_order(short: str, full: str) -> bool:
    """Every character of ``short`` occurs in ``full``, in order (国科会 in 国家科学及技术委员会)."""
    pos = 0
    for ch in short:
        pos = full.find(ch, pos) + 1
        if pos == 0:
            return False
    return True


def is_tail(short: str, full: str) -> bool:
    """``short`` is ``full`` as abbreviated (合肥高新区) or its last part after at least two characters."""
    return short == full or (len(full) >= len(short) + 2 and full.endswith(short))


def is_initials(short: str, full: str) -> bool:
    """``short`` abbreviates ``full`` by initials before a shared ending: 南科管理局 ← 科技部南部科学工业园区管理局.

    The ending (≥ 2 characters) must end in an organization suffix; the 2–4 initials occur in
    order in the rest of ``full``, not as one piece (青海大学 does not abbreviate 青海民族大学).

    >>> is_initials("南科管理局", "科技部南部科学工业园区管理局"), is_initials("青海大学", "青海民族大学")
    (True, False)
    """
    n = 0
    while n < min(len(short), len(full)) and short[-1 - n] == full[-1 - n]:
        n += 1
    ending = short[len(short) - n :]
    head, body = short[: len(short) - n], full[: len(full) - n]
    if (n < 2 or not ending.endswith(SUFFIX_ENDS) or not 2 <= len(head) <= 4 or len(body) < 2 * len(head)
        or head in body):
        return False
    return in_order(head, body)


_QUALIFIERS = ("股份有限公司", "有限责任公司", "有限公司", "自治区", "国家", "国际", "中国", "股份", "集团", "产业",
               "园", "区", "市", "省", "县")


def drops_qualifiers(short: str, full: str) -> bool:
    """``short`` is ``full`` with qualifiers left out (国家, 国际, 园, 股份有限公司…), at least one.

    >>> drops_qualifiers("贵阳高新区", "贵阳国家高新区")
    True
    >>> drops_qualifiers("霍尔果斯陆港物流党建共同体", "霍尔果斯国际陆港物流园党建共同体")
    True
    >>> drops_qualifiers("青海大学", "青海民族大学")
    False
    >>> drops_qualifiers("长沙市政府", "长沙市人民政府"), drops_qualifiers("中国银行", "中国人民银行")
    (True, False)
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
        if full.startswith("人民政府", j):  # 长沙市政府 of 长沙市人民政府 (not 中国银行 of 中国人民银行)
            stack.append((i, j + 2))
    return False


def abbreviate(name: str) -> str:
    for full, short in _ABBREVIATIONS:
        name = name.replace(full, short)
    return name


def is_short_form(s: str, f: str) -> bool:
    """True when ``s`` is ``f`` with parts left out: at most three pieces of f, in order, each ≥ 2 characters.

    >>> is_short_form("生物园区", "西宁经济技术开发区生物科技产业园区"), is_short_form("园区商会", "西宁市生物园区商会")
    (True, True)
    >>> is_short_form("青海大学", "青海理工学院")
    False
    """
    return any(_fits_in_pieces(s, v) for v in dict.fromkeys((abbreviate(f), f)))


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


class NameIndex:
    """The full names of an article by type and character, so a name is tested as the short form only of
    the names holding every one of its characters (each test above needs that), not of every name.

    >>> class E:
    ...     def __init__(self, key, type): self.key, self.type = key, type
    >>> ix = NameIndex([E("西宁市生物园区商会", "ChamberOfCommerce"), E("青海大学", "University"),
    ...                 E("青海民族大学", "University")])
    >>> [e.key for e in ix.holding("青海大学", "University")]
    ['青海大学', '青海民族大学']
    """

    def __init__(self, full: list):
        self.full = full
        self._chars: list[frozenset[str]] = []
        self._postings: dict[tuple[str, str], list[int]] = {}  # (type, character) -> positions in full, ascending
        self._of_type: dict[str, list[int]] = {}
        self._unplaced: dict[int, str] = {}
        for n, f in enumerate(full):
            chars = frozenset(f.key) | frozenset(abbreviate(f.key))
            self._chars.append(chars)
            self._of_type.setdefault(f.type, []).append(n)
            for c in chars:
                self._postings.setdefault((f.type, c), []).append(n)

    def holding(self, key: str, type_: str) -> list:
        """The names of type ``type_`` (in the order given) whose
        key or abbreviation holds every character of ``key``."""
        if not key:
            return [self.full[n] for n in self._of_type.get(type_, ())]
        need = frozenset(key)
        postings = sorted((self._postings.get((type_, c), ()) for c in need), key=len)
        rarest = postings[0]
        if len(postings) > 1 and len(rarest) > 16:  # a list's names share their characters: the two rarest, met
            rarest = sorted(set(rarest).intersection(postings[1]))  # (n names each holding one: n² tests)
        return [self.full[n] for n in rarest if need <= self._chars[n]]

    def types(self) -> list[str]:
        """The types of the names."""
        return list(self._of_type)

    def unplaced(self, f) -> str:
        """:func:`unplaced` of ``f``'s key, computed once."""
        k = id(f)
        if k not in self._unplaced:
            self._unplaced[k] = unplaced(f.key)
        return self._unplaced[k]
