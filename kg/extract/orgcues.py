"""Cues in and around a proposed name that it names an official's title, a kind or a set of bodies, or a project.

They feed the organization filter (:func:`kg.extract.orgfilter.ent_features`): the annotation guide lists a body
that acts, not one named only in a person's title (省工信厅|原巡视员张毅), nor a generic mention (建材企业, 各支部,
五家协会) nor a project (签署…电子产业园|项目).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kg.extract.entities import Ent
from kg.extract.lexicon import (
    COUNTED,
    GROUPS,
    HALLS,
    KIND_NOUNS,
    OFFICIAL_TITLES,
    QUANTIFIER,
    REGIONS,
    SUFFIXES,
    TITLE_PREFIX,
    VENUES,
    suffix_of,
)

__all__ = ["title_after", "title_later", "name_cues", "project_after", "names_a_project", "never_listed", "a_venue",
           "a_set_or_kind", "in_its_party_name", "only_in_its_party_name", "held_at",
           "only_after_a_count"]

_TITLE = re.compile(TITLE_PREFIX + "(?:" + "|".join(sorted(OFFICIAL_TITLES, key=len, reverse=True)) + ")")
_QUANTIFIED = re.compile(QUANTIFIER)
_COUNTED = re.compile(COUNTED)
_LOCAL = re.compile("当地|属地")  # 当地街道: the one where it is (but 所在属地|苏州市…党总支 is named after it)
_KIND_ENDS = tuple(KIND_NOUNS)
_VENUE_ENDS = tuple(VENUES)
_GROUP_ENDS = tuple(GROUPS)
_PROJECT = re.compile("项目|[一二三]期")
_REGION_PARKS = re.compile("(?:" + "|".join(sorted(REGIONS, key=len, reverse=True)) + ")(?:省|自治区|壮族自治区|地区)?"
                           "(?:国家级|国家|省级)?"
                           "(?:产业园区|工业园区|科技园区|经济开发区|园区|开发区|高新区|经开区|工业区)")
_ONLY_PROJECT = re.compile("项目(?![合部组])")  # 产业园|项目合作, 项目部: no project named


def title_after(key: str, j: int) -> bool:
    """True when an official's title follows position ``j`` of ``key``, maybe after 原, a party group or a post.

    >>> title_after("省工信厅原巡视员张毅", 4), title_after("市工信局党组书记、局长", 4), title_after("市工信局发布", 4)
    (True, True, False)
    """
    return _TITLE.match(key, j, j + 14) is not None


_GAP_STOP = re.compile(r"[^\u4e00-\u9fff]|相关|有关|主要|等|与|和|及|在|的")  # what no name nor unit between holds
# what the body does, then a meeting or the people it acts on (县委|召开|常委会议, 区政协|组织|委员视察,
# 市科技局|邀请|院士): the body acts, it is no name nor unit before a title (组织部 is a unit: 区委|组织部|部长)
_ACTS = re.compile("(?:召开|举行|主持|组织(?!部)|邀请|聘请|带领|率领|陪同|走访|慰问|看望|会见|接待|表彰|听取|召集"
                   "|推荐|选举)")


def title_later(key: str, j: int) -> bool:
    """True when an official's title follows position ``j`` of ``key`` after two or three characters that are a
    person's name or a unit of the body (尉氏县统战部|张冀|副部长, 科技部|高新司|原巡视员, 区委|组织部|部长), not
    right after it (:func:`title_after`) nor after 相关 / 有关 (市科技局相关负责人: a spokesman of the body) nor after
    what the body does (县委|召开|常委会议, 市科技局|邀请|院士: the body acts).

    >>> title_later("县统战部张冀副部长", 4), title_later("科技部高新司原巡视员", 3), title_later("市局相关负责人", 2)
    (True, True, False)
    """
    if title_after(key, j) or _ACTS.match(key, j):
        return False
    return any(not _GAP_STOP.search(key[j : j + n]) and title_after(key, j + n) for n in (2, 3) if j + n < len(key))


def project_after(key: str, j: int) -> bool:
    """True when 项目 (or a phase, 二期) follows position ``j`` of ``key``: what precedes is a project's name.

    >>> project_after("签署南岭电子产业园项目", 9), project_after("入驻南岭电子产业园", 9)
    (True, False)
    """
    return _PROJECT.match(key, j) is not None


def names_a_project(key: str, j: int) -> bool:
    """True when 项目 follows position ``j`` of ``key`` as the word a project's name ends in (not 项目合作, 项目部).

    >>> names_a_project("签署南岭电子产业园项目；", 9), names_a_project("南岭电子产业园项目部", 7)
    (True, False)
    """
    return _ONLY_PROJECT.match(key, j) is not None


def name_cues(f: dict[str, float], k: str) -> None:
    """Whether name ``k`` holds a quantifier (各, 众多, 五家, 八大: a set of bodies; 当地: the local one) or ends
    in a noun for a kind of body that is no organization suffix (建材企业, 市属单位, 高等院校)."""
    if _QUANTIFIED.search(k) or _COUNTED.search(k) or _LOCAL.search(k):
        f["quantified"] = 1.0
    if k.endswith(_KIND_ENDS):
        f["kind_noun_end"] = 1.0


_TITLED = frozenset({"GovernmentBody", "PartyOrganization"})
_TITLED_ENDS = ("委", "政协", "人大常委会")  # 南岭市委, 区政协 as the model types them (Organization)


def never_listed(e: Ent, keys: Mapping[int, str]) -> bool:
    """True for a name the annotation never lists, whatever else the filter weighs, in an article whose sentences'
    keys are ``keys``: a body named only in officials' titles, only as a project, a room an event is held in or a
    hall named only as where one is held (…在南岭大酒店举行), a group
    of people a body sends (党政代表团, 招商小队: on the 269-text dev none of 4 was listed), a set or a kind of
    bodies."""
    return (_only_in_titles(e, keys) or _only_a_project(e, keys) or a_venue(e.key) or e.key.endswith(_GROUP_ENDS)
            or a_set_or_kind(e.key, e.type == "Company") or _only_where_held(e, keys))


# a party organization's name after its unit's: 南岭科技有限公司|党支部, 南岭学院|联合党总支, 联想集团有限公司|第一党委
_PARTY_AFTER = re.compile("(?:联合|临时|机关|第[一二三四五六七八九十]+)?(?:党委|党支部|党总支|党工委|党组(?!织))")


def in_its_party_name(key: str, j: int) -> bool:
    """True when the unit ending at ``j`` of ``key`` is named there only as the start of its party organization's
    name (南岭科技有限公司|党支部、…, 联想集团有限公司|第一党委), not in an official's title
    (南岭科技有限公司|党委书记张明, |党组成员: the company of an official, which the guide lists).

    >>> in_its_party_name("南岭科技有限公司党支部、", 8), in_its_party_name("南岭科技有限公司党委副书记张明", 8)
    (True, False)
    """
    m = _PARTY_AFTER.match(key, j)
    return m is not None and not title_after(key, j) and not title_after(key, m.end()) \
        and not key.startswith(("成员", "委员"), m.end())


def only_in_its_party_name(e: Ent, keys: Mapping[int, str]) -> bool:
    """True for a unit named only as the start of its party organization's name (南岭科技有限公司|党支部): the party
    organization is the one body named, as a company's branch is (the guide's convention since session 13, which the
    majority of the annotated names followed before it: 27 of 44). The filter drops such a name unless a boundary it
    prefers takes the party organization in (新桥镇市场监督管理所|党支部 found without its last word)."""
    return e.type != "PartyOrganization" and all(in_its_party_name(keys.get(m.sent, ""), m.j) for m in e.mentions)


# 在/于/假 before the hall, maybe with a place of up to four characters between (假宜兰礁溪|中天温泉度假饭店); a
# sentence's key writes its commas half-width (年会在南岭大酒店,会员…)
_AT = re.compile("(?:在|于|假)[^,;:!?，；：！？。、]{0,4}$")
# the event after the hall's name, within the clause (在南岭大酒店|隆重举行, 于南岭会议中心|召开)
_HELD = re.compile("[^,;:!?，；：！？。]{0,12}?(?:举行|召开|举办|开幕|闭幕|开班|揭牌|落幕)")


def held_at(key: str, i: int, j: int) -> bool:
    """True when ``key[i:j]`` is where an event is held: 在/于/假 before it (after at most a place of four
    characters), the event after it in the clause.

    >>> held_at("年会在南岭大酒店隆重举行", 3, 8), held_at("南岭大酒店与公司签约", 0, 5)
    (True, False)
    """
    return _AT.search(key, max(0, i - 5), i) is not None and _HELD.match(key, j) is not None


def _only_where_held(e: Ent, keys: Mapping[int, str]) -> bool:
    """True for a hotel, hall or conference centre named only as where an event is held (…在南岭大酒店举行): a place
    (the guide's convention since session 13: of the 29 such in the corpus before it, 23 were not listed); a hall that
    signs or hosts is named elsewhere too, and kept."""
    return e.key.endswith(HALLS) and all(held_at(keys.get(m.sent, ""), m.i, m.j) for m in e.mentions)


_COUNT_BEFORE = re.compile(f"(?:{COUNTED})$")


def only_after_a_count(e: Ent, keys: Mapping[int, str]) -> bool:
    """True for a name every mention of which follows a count of bodies (牵头组建10家|企业创新联合体,
    组建五个|创新联合体): several bodies of a kind, not one, so no name (:func:`a_set_or_kind` reads the count
    inside a name). The filter asks it of the boundary it keeps (17个|研发法人筹组法人汇智联盟 moves to
    法人汇智联盟, a name); a name with an alias (a quoted 「法人汇智联盟」) is one body all the same."""
    return not e.aliases and all(_COUNT_BEFORE.search(keys.get(m.sent, ""), max(0, m.i - 6), m.i) is not None
                                 for m in e.mentions)


def _only_in_titles(e: Ent, keys: Mapping[int, str]) -> bool:
    """True for a government or party body named only in officials' titles (苏州市委|常委…, 区工信局|局长…, also
    after the official's name or a unit: 县统战部|张冀|副部长) in the sentence ``keys``: the annotation lists a body
    that acts, not one a title names (on the 188-text dev 38 of 40 such names were not listed; on the 269-text dev 7
    of 8 named with a name or a unit between)."""
    if e.type not in _TITLED and not e.key.endswith(_TITLED_ENDS):
        return False

    def in_a_title(key: str, j: int) -> bool:
        return title_after(key, j) or title_later(key, j)

    return all(in_a_title(keys.get(m.sent, ""), m.j) for m in e.mentions)


# not an incubator: 青山产业孵化园|项目投资额为12亿元 is the incubator's own figure (test_extract_fig_subject)
_PROJECTS = frozenset({"IndustrialPark", "ResearchInstitute", "Organization"})


def _only_a_project(e: Ent, keys: Mapping[int, str]) -> bool:
    """True for a park, institute or centre (not an incubator) named only as a project (签署南岭电子产业园|项目): the
    annotation lists no project (on the 269-text dev 1 of 10 such names was listed); a company's 项目 is its project,
    the company acts."""
    return e.type in _PROJECTS and all(names_a_project(keys.get(m.sent, ""), m.j) for m in e.mentions)


def a_venue(key: str) -> bool:
    """True for a room or hall an event is held in (南岭国际宴会厅, 东湖青年创意体验馆): a place, not a body.

    >>> a_venue("南岭国际宴会厅"), a_venue("南岭省文化和旅游发展厅")
    (True, False)
    """
    return key.endswith(_VENUE_ENDS)


def a_set_or_kind(key: str, company: bool = False) -> bool:
    """True for a set of bodies (各支部, 五家协会, 八大产业联盟) or a kind of body with no organization suffix
    (建材企业, 券商): a generic mention, which the annotation never lists (no name of the 269-text dev is a set;
    one ends in a kind noun: 樹德企業 — in Taiwan a company is named …企業, so 企业 is only the filter's cue), or the
    parks of a province or region (广西园区, 京津冀国家高新区: on the 269-text dev none of 12 was listed), or a body
    only praised (世界知名大学). The
    number in a ``company``'s name is no set (百大集团, 六个核桃: the filter's ``quantified`` cue weighs them).

    >>> a_set_or_kind("南岭五家协会"), a_set_or_kind("两岸一家亲大联盟"), a_set_or_kind("众多孵化器")
    (True, False, True)
    >>> a_set_or_kind("广西园区"), a_set_or_kind("京津冀国家高新区"), a_set_or_kind("天津开发区")
    (True, True, False)
    """
    quantified = not company and (_QUANTIFIED.search(key) is not None or _counted(key))
    kind = key.endswith(_KIND_ENDS) and not key.endswith("企业") or _of_a_quality(key)
    return quantified or kind or _REGION_PARKS.fullmatch(key) is not None


_QUALITY = re.compile("(?:一流|知名|高水平|顶级|顶尖|著名|优秀)$")


def _of_a_quality(key: str) -> bool:
    """True when a word of praise stands right before the suffix, whatever precedes it (世界知名|大学, 江苏高水平|大学,
    南岭理工知名|大学): a kind of body described, not one named (no name of the 269-text dev is such; 重点, 龙头 are in
    names: …重点实验室).

    >>> _of_a_quality("世界知名大学"), _of_a_quality("南岭理工知名大学"), _of_a_quality("世界顶尖科学家协会")
    (True, True, False)
    """
    sf = suffix_of(key)
    return bool(sf) and _QUALITY.search(key, 0, len(key) - len(sf)) is not None


def _counted(key: str) -> bool:
    """True when a number of bodies opens the kind words ``key`` ends in (南岭五家协会, 八大产业联盟), not when a
    proper word follows it (五大连池市人民政府) or nothing does (中电科38所, 十四所)."""
    from kg.extract.segment import is_generic_word, words

    m = _COUNTED.search(key)
    rest = key[m.end() :] if m else ""
    return bool(rest) and all(w in SUFFIXES or is_generic_word(w, pos) for w, pos in words(rest))
