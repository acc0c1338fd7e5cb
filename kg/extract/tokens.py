"""A sentence key cut into words, with character positions, and the rule that ends a name on its left."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.extract.lexicon import BOUNDARY_WORDS, GENERIC_WORDS, SUFFIXES, TIME_WORDS
from kg.extract.segment import is_generic_word, word_freq, words

__all__ = ["Tokens", "Word", "name_words", "MAX_NAME", "PREPOSITION_CHARS", "FUNCTION_CHARS", "SUFFIX_ENDS",
           "is_generic_name"]

MAX_NAME = 32  # key characters; a longer run is not taken for one name
_NUMERAL_START = set("0123456789一二三四五六七八九十百千万亿两几多首第各每数")
# not zg: a bound morpheme is part of an unknown word
_STOP_POS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "d", "ad", "q", "f", "y", "e", "o"})
FUNCTION_CHARS = frozenset("将还也都又并就才已正再更最很均皆共同与和及或由被在对向把为从于以的了着过等其该此这那各每仍"
                           "曾亦即便所")
_PROPER_POS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "eng"})
_VERBISH_POS = frozenset({"v", "vd", "vi", "vq", "a", "ad", "d", "p", "c", "u", "uj", "r"})
_ABBREVIATING_NUMERALS = frozenset("一二三四五六七八九十两双")
_MEASURE_CHARS = frozenset("家个所名位批项件次年月日天亿万千百余多届期座支户人元")
_SUFFIX_WORDS = frozenset(SUFFIXES)
SUFFIX_ENDS = tuple(SUFFIXES)  # for str.endswith
_LEGAL_ENDS = ("有限公司", "有限责任公司")
_UNITS = ("wh", "kw", "mw", "gw", "km", "kg", "mm", "cm", "nm", "ghz", "mhz", "gb", "tb", "pb", "flops")
# glued by jieba to a name's first character: 由鲁|东…
PREPOSITION_CHARS = frozenset("由经被在向对把从将与为和及同跟暨")
_DASHES = frozenset({"—", "-", "－", "–"})
_PLACE_POS = frozenset({"ns", "j"})
_REGION_PREFIXES = frozenset("东南西北中前后")  # 中|台湾, 南|台湾: a direction before a place is part of the place
_NOUN_TOO = frozenset({"组织", "建设", "联合"})  # boundary verbs that are also nouns in names
_generic = lru_cache(maxsize=1 << 16)(is_generic_word)


@dataclass(frozen=True, slots=True)  # an article has a million of them
class Word:
    text: str
    pos: str
    start: int
    end: int

    @property
    def generic(self) -> bool:
        return _generic(self.text, self.pos)

    @property
    def proper(self) -> bool:
        """True for a word that can make a name distinctive: a proper noun, or a rare non-verb."""
        if self.text in GENERIC_WORDS:
            return False  # 智慧 is generic even when jieba takes it for a person's name
        return self.pos in _PROPER_POS or not (self.generic or self.pos in _VERBISH_POS)

    def is_letters(self) -> bool:
        """Chinese characters, or ASCII letters and digits with a
        letter in a name's style (GreenH2, 5G; not 5GWh, 2024)."""
        if not all("\u4e00" <= c <= "\u9fff" or c.isascii() and c.isalnum() for c in self.text):
            return False
        return not self.text[0].isdigit() or (self.text.isascii() and any(c.isalpha() for c in self.text)
                                              and not self.text.endswith(_UNITS))


class Tokens:
    """The words of one sentence key (jieba), addressable by character position."""

    def __init__(self, key: str):
        self.key = key
        self.words: list[Word] = _cut(key)
        self._at = [0] * (len(key) + 1)
        for k, w in enumerate(self.words):
            for c in range(w.start, w.end):
                self._at[c] = k
        self._at[len(key)] = len(self.words)
        self.ends = {w.end for w in self.words}
        self.starts = {w.start for w in self.words}

    def index_at(self, pos: int) -> int:
        """Index of the word covering character ``pos``."""
        return self._at[pos]

    def is_boundary(self, k: int) -> bool:
        """True when word ``k`` cannot be part of a name that ends to its right."""
        w = self.words[k]
        if (w.text in _NOUN_TOO or w.pos == "n") and self._noun_inside_name(k):
            return False  # 两新|组织|党建工作委员会, 中国|建设|银行, 产业|协同(n)|创新联盟: the verb is a noun here
        if self._misread_inside_name(k) or self._dash_between_places(k):
            return False
        if not w.is_letters() or w.text in BOUNDARY_WORDS or w.text in TIME_WORDS:
            return True
        if len(w.text) == 2 and w.text[0] in "了是" and w.pos.startswith("v"):
            return True  # 了以, 是从: jieba glued a particle or copula to a preposition
        if len(w.text) >= 4 and any(w.text[:n] in BOUNDARY_WORDS and w.text[n:] in BOUNDARY_WORDS
                                    for n in range(2, len(w.text) - 1)):
            return True  # 申请加入, 正式加入: two such verbs jieba took as one word
        if w.pos == "f":  # 内, 中, 区内 end a name; 北方 (民族大学) and 中(台湾) do not
            if w.text in _REGION_PREFIXES and k + 1 < len(self.words) and self.words[k + 1].pos == "ns":
                return False
            return len(w.text) == 1 or w.text.endswith(("内", "外", "间", "中"))
        if len(w.text) == 1 and w.pos in ("d", "ad", "a") and w.text not in FUNCTION_CHARS:
            return False  # 光|迅|科技: a lone character jieba could not place is part of an unknown name
        if w.pos == "t":  # 前三季, 三季度 end a name; 青年 (企业家协会) does not
            return any(c in _NUMERAL_START or c.isdigit() for c in w.text)
        if w.pos in _STOP_POS or (w.pos.startswith("m") and w.text[0] in _NUMERAL_START):
            return True
        if w.pos in ("v", "vd", "a", "ad") and k + 1 < len(self.words) and self.words[k + 1].pos in ("ns", "nr", "nrt"):
            return True  # 慰问|青海…, 壮大|香港… : a verb or adjective right before a place or a person's name
        return False

    def _misread_inside_name(self, k: int) -> bool:
        """True when jieba split an unknown name and tagged a piece as adverb, measure word or numeral.

        浙江|华|鼎新(d)|材料有限公司, 澳门|同德|堂(q)|药业有限公司, 贵阳|块(zg)|数据: the piece sits between a
        proper noun and a noun; 昆明高新区|两(m)|新|组织: a Chinese numeral before a word that
        is not a measure word abbreviates a phrase (两新组织, 三农).
        """
        w = self.words
        if not 0 < k < len(w) - 1 or w[k].text in TIME_WORDS or not w[k].is_letters():
            return False
        left, right = w[k - 1], w[k + 1]
        if w[k].text in FUNCTION_CHARS:  # 合肥|幺(nr)|正|量子: only after a piece jieba took for a person's name
            return (w[k].pos == "d" and left.pos in ("nr", "nrt", "nz", "j") and len(left.text) == 1
                    and right.pos in ("n", "ns", "nz"))
        if w[k].text in BOUNDARY_WORDS:
            return False
        if (w[k].pos in ("d", "ad", "q", "zg") and (left.pos in _PROPER_POS or left.pos == "j") and left.is_letters()
            and right.pos.startswith("n")):
            return True  # 宁波甬(j)|钧(q)|伺服电机
        if (w[k].pos.startswith("m") and w[k].text.startswith("第") and left.text.endswith(SUFFIX_ENDS)
            and right.is_letters()):
            return True  # 自然资源部|第一|海洋研究所, 中国电子科技集团公司|第十四|研究所: a numbered unit of a body
        if w[k].pos in ("d", "a",
                        "ad") and left.text.endswith(_LEGAL_ENDS) and right.text in ("支行", "分行", "分公司"):
            return True  # 洛阳银行股份有限公司|高新(d)|支行: a branch's place
        if (len(w[k].text) == 1 and w[k].pos in ("q", "zg") and w[k].text not in _MEASURE_CHARS and right.is_letters()
            and word_freq(w[k].text + right.text)):
            return True  # 江南大学|物(zg)|联网|工程学院: the piece starts a word jieba knows (物联网)
        if (w[k].text in _REGION_PREFIXES and len(w[k].text) == 1 and right.pos in ("n", "nr", "nrt", "nz", "yg")
                and right.is_letters()):
            # 澳门|中|药业商会, 北京|中|科睿, …股份有限公司|南|崁分行
            if left.pos == "ns" or left.text.endswith(_LEGAL_ENDS):
                return True
        return (
            w[k].pos == "m" and len(w[k].text) == 1 and w[k].text in _ABBREVIATING_NUMERALS
            and (left.pos in _PROPER_POS or left.text in _SUFFIX_WORDS)
            and right.pos not in ("m", "q") and right.is_letters() and right.text[0] not in _MEASURE_CHARS
        )

    def _dash_between_places(self, k: int) -> bool:
        """中国—东盟(南宁)数字经济产业园: a dash joining two places is part of the name."""
        w = self.words
        return 0 < k < len(w) - 1 and w[k].text in _DASHES and w[k - 1].pos in _PLACE_POS and w[k + 1].pos in _PLACE_POS

    def _noun_inside_name(self, k: int) -> bool:
        w = self.words
        if not 0 < k < len(w) - 1:
            return False
        left, right = w[k - 1], w[k + 1]
        if w[k].pos == "n" and w[k].text not in _NOUN_TOO:  # 产业|协同(n)|创新联盟; not 落户(n)|园区, 隶属于|烟台
            return (
                left.pos == "n" and left.is_letters() and left.text not in _SUFFIX_WORDS
                and right.pos in ("n", "v", "vn") and right.text not in _SUFFIX_WORDS
                and right.text not in BOUNDARY_WORDS
            )
        modifier = left.pos in _PROPER_POS or (len(left.text) == 1 and left.pos == "a")
        return modifier and right.pos.startswith(("n", "j")) and right.text not in BOUNDARY_WORDS

    def left_edge(self, k: int, limit: int = MAX_NAME) -> int:
        """Index of the first word of the name whose first suffix word is ``k``.

        A place in brackets inside a name is part of it: 本源量子计算科技(合肥)股份有限公司.
        """
        end = self.words[k].end
        j = k
        while j > 0 and end - self.words[j - 1].start <= limit:
            if self._bracketed_place_before(j):
                j -= 3
            elif self.words[j - 1].text.endswith(_LEGAL_ENDS) and self.words[j].text[0] in PREPOSITION_CHARS:
                break  # …有限公司|经竹科管理局: a company's name ends there (…有限公司|稀金支行 is a branch)
            elif not self.is_boundary(j - 1):
                j -= 1
            else:
                break
        return j

    def _bracketed_place_before(self, j: int) -> bool:
        w = self.words
        return (j >= 4 and w[j - 1].text in (")", "）") and w[j - 3].text in ("(", "（")
                and 2 <= len(w[j - 2].text) <= 4 and w[j - 2].is_letters() and not self.is_boundary(j - 2)
                and not self.is_boundary(j - 4))

    def span_words(self, i: int, j: int) -> list[Word]:
        """The words overlapping key span ``[i, j)``."""
        if i >= j:
            return []
        return self.words[self.index_at(i) : self.index_at(j - 1) + 1]


def _cut(key: str) -> list[Word]:
    """The words of ``key`` (jieba's, with a type word or a 5G it split joined again), with their positions."""
    out: list[Word] = []
    pos = 0
    for w, flag in words(key):
        prev = out[-1] if out else None
        if prev is not None and prev.text + w in _SUFFIX_WORDS and len(prev.text) < 3:
            out[-1] = Word(prev.text + w, "n", prev.start, pos + len(w))  # 经|开区: jieba split a type word
        elif prev is not None and prev.text.isdigit() and prev.text.isascii() and w.isascii() and w.isalpha():
            out[-1] = Word(prev.text + w, "eng", prev.start, pos + len(w))  # 5|gaiot: one name, 5G AIoT
        else:
            out.append(Word(w, flag, pos, pos + len(w)))
        pos += len(w)
    return out


@lru_cache(maxsize=1 << 14)
def name_words(key: str) -> tuple[Word, ...]:
    """``Tokens(key).words`` of a name, cut once: a company's short forms cut its name and the
    same name without its place several times over (:mod:`~kg.extract.shortforms`). Without the rest of
    a :class:`Tokens` (where each character's word is, the words' ends): the forms only read their words."""
    return tuple(_cut(key))


def is_generic_name(words) -> bool:
    """True when no word distinguishes the name (a suffix word inside a core is generic too).

    Two single characters in a row that are not function words are an unknown name jieba
    cut up (新|禾|材料科技), which distinguishes it.
    """
    if any(len(x.text) == 1 == len(y.text) and x.is_letters() and y.is_letters()
           and not {x.text, y.text} & FUNCTION_CHARS for x, y in zip(words, words[1:])):
        return False
    return not any(w.proper and w.text not in SUFFIXES for w in words)
