"""Memberships from trigger words, in four families (one function each):

* absorbed: “Y吸纳A、B…为成员单位”, “Y(将)吸纳A和B(加入)”;
* joined: “A加入Y”, “A计划…加入” (the body the article speaks of), applications and intentions
  as planned (“A递交入盟申请”, “A表达加入意愿”), roles taken (“A出任理事长单位”, “A被吸纳为成员
  单位”, “A也位列其中”); 入盟/加盟 join an alliance, 入会 an association or chamber named there;
* listed: “成员单位14家：(除A外，)B、C”, “企业会员（21家）：…”, “(二)拟吸纳成员单位：8．A；” and
  the items of the sentences that follow, “成员单位…包括A、B”, “A成为Y成员单位”;
* founded: “由A牵头(联合B、C)成立Y”, “X携手A、B成立Y”, “A发起成立Y”, “Y由A、B…组成”, “由A、B共同发起的Y”.

An organization that guides (由X指导、Y牵头组建, 在X指导下) is not a member; a statement is
planned when an intent marker precedes its trigger (:meth:`SentenceView.status`).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from kg.extract.clause import BODIES, CLAUSE, COLLAB, PLACES, SentenceView, Statement, add_statement, evidence, span_of
from kg.extract.lexicon import COUNT, COUNT_FOUNDED
from kg.extract.orgs import Mention
from kg.extract.shapes import find_by_shape, is_guide, list_before_deng

__all__ = ["find_memberships"]

_MEMBER_WORD = r"(?:成员单位|会员单位|理事单位|副理事长单位|理事长单位|副会长单位|会长单位|发起单位|牵头单位|成员|会员)"


def find_memberships(st: SentenceView, out: list[Statement]) -> None:
    """Append the memberships stated in the sentence ``st`` to ``out``."""
    _absorbed(st, out)
    _joined(st, out)
    _listed(st, out)
    _founded(st, out)
    _formed_by(st, out)
    _signed_into(st, out)
    find_by_shape(st, out)  # last: only where the wording rules found nothing


def _items_of_groups(st: SentenceView, start: int) -> list[Mention]:
    """The organizations listed in the counted groups that follow ``start`` up to the end of the sentence
    (30家央企总部、…，3家开发主体，A、B等8家职能部门以及C、D等4个街道); a clause that says more stops them."""
    key, out = st.key, []
    for clause in re.finditer(r"[^,;。]+", key[start:]):
        a, b = start + clause.start(), start + clause.end()
        if _SAYS_MORE.search(key, a, b):
            break
        out += [x for x in st.orgs(a, b) if x.ent.is_org
                and (key[x.i - 1 : x.i] in ("、", "及", "和") or _IN_RUN.match(key, x.j))]
    return out


def _signed_into(st: SentenceView, out: list[Statement]) -> None:
    """A与B等进行Y签约 ; A、B举行Y签约仪式: the parties sign into the alliance or community Y named right before."""
    for m in _SIGNS.finditer(st.key):
        ys = [y for y in st.mentions.ending_at(m.start())
              if y.ent.type in _ALLIANCES and st.key[y.i - 2 : y.i] in ("进行", "举行", "开展")]
        word = _SIGNED_BODY.search(st.key, max(0, m.start() - 10), m.start()) if not ys else None
        body = st.recent.ending_with(word.group(1), _ALLIANCES) if word else None
        if body is not None:  # 进行党建联盟签约: the alliance named before by its full name
            ys = [Mention(st.s.index, word.start(1), word.end(1), body, "alias")]
        if not ys:
            continue  # A与B签约 signs with B; only 进行Y签约 signs into the alliance Y
        y = ys[0]
        for x in st.orgs(st.clause_start(y.i), y.i):
            if x.ent is not y.ent and x.ent.is_org and not is_guide(st, x):
                add_statement(out, x, "memberOf", y, st, span_of(x, y, (m.start(), m.end())), st.status(m.start()),
                              role="成员单位")


def _absorbed(st: SentenceView, out: list[Statement]) -> None:
    """Y 吸纳 A、B…为成员单位 ; Y 吸纳 A、B 加入 ; Y (将)吸纳 A、B."""
    key = st.key
    # Y 吸纳 A、B… 为(Y的)成员单位 ; Y 吸纳 A、B 加入 ; Y (将)吸纳 A、B
    # the subject of the previous 吸纳 in the sentence (…为成员单位，下半年还将吸纳X加入)
    carried: Mention | None = None
    triggers = [m for m in re.finditer(r"(?:吸纳|吸收|纳入|发展)", key) if not st.inside_name(m.start())]
    # 为(Y的)成员单位
    as_members = [w.start() for w in _AS.finditer(key) if _member_word_after(st, w.end())] if triggers else []
    for m in triggers:
        k = bisect_left(as_members, m.end())
        w = _AS.match(key, as_members[k]) if k < len(as_members) else None
        bare = False
        if not w:  # 吸纳 A、B 加入
            j = st.find("加入", m.end())  # in the clause
            w = _JOINING.match(key, j) if 0 <= j <= st.clause_end(m.end()) - 1 else None
            if not w or key[w.end() : w.end() + 1] not in ("", ",", ";", "。", ":"):
                run = st.list_after(m.end()) if m.group() != "发展" else []
                if not run or run[0].i > m.end() + 1 or not _LIST_ENDS.match(key, run[-1].j):
                    continue
                w, bare = re.compile(".?").match(key, run[-1].j), True  # Y 拟吸纳 A和B，届时…
        named = [x for x in st.at(w.end()) if x.ent.type in COLLAB] if not bare else []
        members = [x for x in st.orgs(m.end(), w.start())]
        own = [x for x in st.list_before(m.start(), st.clause_start(m.start()))
               if x.ent.type in COLLAB - {"IndustrialPark"}]
        orgs = named or own[-1:] or ([carried] if carried else [])
        if not orgs:  # 联盟由A牵头…，首批吸纳B、C为成员单位 ; 联盟召集人表示，预计明年再纳入A与B: the body spoken of
            orgs = [b for b in (st.body_before(m.start(), tuple(members)),) if b is not None]
        if not orgs and not bare:
            orgs = [x for x in [st.last_org(0, m.start(), among=st.orgs_of(_COLLAB_BODIES))] if x is not None]
        if not members or not orgs:
            continue
        org = orgs[-1] if not named else named[0]
        carried = org
        role = re.search(r"等\d*[余多]?[个家所名]?([^\d、,，为]{2,8})$", key[m.end() : w.start()])
        for x in members:
            add_statement(out, x, "memberOf", org, st,
                          span_of(org, x, (w.start(), max(w.end(), _member_word_after(st, w.end())))),
                          st.status(m.start()), role=role.group(1) if role else "成员单位")
            if org.i == org.j and st.first_of(org.ent):  # carried from an earlier clause: quote from where it is named
                out[-1].i, out[-1].j = evidence((min(out[-1].i, st.first_of(org.ent).i), out[-1].j), x)


def _joined(st: SentenceView, out: list[Statement]) -> None:
    """A 加入 Y ; A (计划)加入 ; A 递交入盟申请 ; A 被吸纳为成员单位 ; A 出任理事长单位 ; A 位列其中."""
    key = st.key
    # A、B 加入 Y ; A、B (计划)加入 (Y named before, or the body the article speaks of) ; A 递交入盟申请
    for m in _JOINS.finditer(key):
        if st.inside_name(m.start()):
            continue
        applies = m.group(1) is None
        after = [x for x in st.orgs(m.end(), min(st.clause_end(m.end()), m.end() + 40))
                 if x.ent.type in COLLAB and (not applies or x.i == m.end())]
        if m.group(1) == "进入" and not (after and after[0].i == m.end()):
            continue  # 进入联盟 joins; 进入市场 does not
        _join(st, out, m.start(), m.end(), after[0] if after else None, "planned" if applies else None,
              _joined_kind(m.group()))
    # A、B 已经和我们对接过，准备年内吸纳进来
    for m in re.finditer(r"(?:吸纳|吸收|纳入)进来", key):
        _join(st, out, m.start(), m.end(), None, None)
    # A、B 也位列其中 ; A 担任会长单位
    for m in _HAS_ROLE.finditer(key):
        _join(st, out, m.start(), m.end(), None, None, _joined_kind(m.group()))


def _listed(st: SentenceView, out: list[Statement]) -> None:
    """member lists: 成员单位14家：A、B ; (二)高校(3家)：A ; 成员单位…包括A、B ; A成为Y成员单位 ; Y成员单位包括A."""
    key = st.key
    # (牵头|成员|会员…)单位(N家)：A、B ; Y(的)副会长单位 A ; 会员企业 A
    for m in _ROLE_LIST.finditer(key):
        if m.group(2):  # …单位14家：(除A外,)B、C
            besides = _BESIDES.match(key, m.end())
            members = (st.orgs(m.end(),
                               besides.end(1)) + st.list_after(besides.end())) if besides else st.list_after(m.end())
        else:
            members = [x for x in st.at(m.end()) if x.ent.is_org]
        body = st.body_before(m.start(), tuple(members))
        for x in members:
            if body is not None and x.ent is not body.ent:
                add_statement(out, x, "memberOf", body, st, span_of(body, x, (m.start(), m.end())),
                              st.status(m.start()), role=m.group(1))
    # A、B、C等首批成员(代表)…: the list before names members
    for m in re.finditer(r"等(?:\d+家)?(?:首批|新一批|新)(?:成员|会员)", key):
        members = st.list_before(m.start(), st.clause_start(m.start()))
        body = st.body_before(members[0].i, tuple(members)) if members else None
        for x in members if body is not None else ():
            if x.ent is not body.ent:
                add_statement(out, x, "memberOf", body, st, span_of(x, (m.start(), m.end())), st.status(m.start()),
                              role="成员单位")
    # under a heading of members (一、首批成员单位): (二)高校及科研院所(3家)：A、B
    for m in _SECTION_ITEM.finditer(key):
        if not st.section and not re.search(_MEMBER_WORD, m.group()):
            continue
        status = "planned" if re.search(r"拟|将|计划|待", m.group(1)) else st.section or st.status(m.start())
        members = st.list_after(m.end())
        body = st.body_before(m.start(), tuple(members))
        if body is None:
            continue
        st.listing = (body.ent, status)
        for x in members:
            if x.ent is not body.ent:
                add_statement(out, x, "memberOf", body, st, span_of(x, (m.start(), m.end())), status, role="成员单位")
    _listed_after_word(st, out)


def _listed_after_word(st: SentenceView, out: list[Statement]) -> None:
    """成员单位…包括A、B ; A成为Y成员单位 ; Y囊括/网罗A、B等 ; Y成员单位包括/是A、B."""
    key = st.key
    # 成员单位(共)N家，(…)包括/还有 A、B
    first_word = _MEMBER_RE.search(key)  # a member word before the trigger: none can start before the first one
    for m in re.finditer(r"(?:包括|包含|还有|既有|也有|分别是|分别为|涵盖)", key):
        word = _MEMBER_RE.search(key, first_word.start(), m.start()) if first_word else None
        members = st.list_after(m.end())
        if word and _COUNTED_GROUP.match(key, m.end()):  # 包括30家央企总部、…，A、B等8家职能部门以及C、D等4个街道
            members = _items_of_groups(st, m.end())
        if not word or not members or members[0].i != m.end() and not _COUNTED_GROUP.match(key, m.end()):
            continue
        between = st.orgs(word.end(), m.start())
        if not all(_EXCEPT.search(key, max(word.end(), x.i - 8), x.i) for x in between):  # 除了链主A，还有B、C
            continue
        members = between + members
        body = st.body_before(word.start(), tuple(members))
        for x in members:
            if body is not None:
                add_statement(out, x, "memberOf", body, st, span_of(body, x, (word.start(), m.end())),
                              st.status(m.start()), role="成员单位")
    for m in re.finditer(r"(?:成为|为|是)", key):
        orgs = [x for x in st.at(m.end()) if x.ent.type in COLLAB]
        end = _member_word_after(st, m.end())
        if not end or not _ONE_OF.match(key, end):
            continue  # 为联盟成员单位提供授信: for the members, not becoming one
        if not orgs:  # A、B等19家单位成为首批成员 ; A等均为其成员单位: the body spoken of
            _join(st, out, m.start(), end, None, None)
            continue
        members = st.list_before(m.start(), st.clause_start(m.start()))
        if not members:
            members = st.list_before(m.start(), 0)
        for x in members:
            add_statement(out, x, "memberOf", orgs[0], st, span_of(x, (m.start(), end)), st.status(m.start()),
                          role="成员单位")
    # Y (则)囊括/包括/网罗/涵盖了 A、B 等企业(，以及 C、D 等高校)
    for m in re.finditer(r"(?:则|还|也|已|目前|现已?|共)?(?:囊括|包括|包含|网罗|涵盖|汇聚|集聚)了?", key):
        ys = [x for x in st.mentions.ending_at(m.start()) if x.ent.type in BODIES]
        members = st.list_after(m.end())
        if not ys or not members or members[0].i != m.end():
            continue
        more = _AND_MORE.match(key, members[-1].j)
        if more:
            members += st.list_after(more.end())
        for x in members:
            if x.ent is not ys[0].ent:
                add_statement(out, x, "memberOf", ys[0], st, span_of(ys[0], x), st.status(m.start()), role="成员单位")
    # Y(的)成员单位包括/有 A、B
    for m in re.finditer(_MEMBER_WORD + r"(?:包括|包含|有|为|是)[:：]?", key):
        # Y成员单位: Y ends right there
        y = st.last_org(max(0, m.start() - 1 - st.mentions.longest), m.start(), lambda x: x.j >= m.start() - 1)
        members = st.list_after(m.end())
        if y and members:
            for x in members:
                add_statement(out, x, "memberOf", y, st, span_of(y, x), st.status(m.start()), role="成员单位")


def _founded(st: SentenceView, out: list[Statement]) -> None:
    """founders: 由A牵头(联合B、C)成立Y ; X携手A、B成立Y ; A发起成立Y ; Y由A、B组成."""
    key = st.key
    # 由 A 牵头(联合 B、C)成立/组建/发起 Y ; X 携手 A、B 及 C 成立 Y ; Y …, 由 A 牵头, 联合 B、C 共同发起
    done = 0  # the end of the last body founded: the next founders come after it (由A牵头组建的Y、由B牵头成立的Z)
    for lead in re.finditer(r"牵头|携手|联手|会同|联合(?=[^;。]{2,200}?(?:共同)?(?:缔结形成|缔结|结成|发起成立|组建))",
                            key):
        v = _FOUNDS.search(key, lead.end(), lead.end() + 166)  # within 160 characters, or not at all
        if (st.inside_name(lead.start()) or not v or v.start() - lead.end() > 160
            or len(CLAUSE.findall(key, lead.end(), v.start())) > 2 or _FOUNDS_A_SET.match(key, v.end())):
            continue  # …牵头组建10家企业创新联合体: several bodies, none of which the article's body need be
        ys = [x for x in [st.first_org(v.end(), st.clause_end(v.end()), among=st.orgs_of(_COLLAB_BODIES))]
              if x is not None]
        ys = ys or [x for x in st.orgs(lead.end(), v.start())
                    if x.ent.type in BODIES and not st.in_list(x) and v.start() - x.j <= 4][-1:]  # 由A牵头，Y正式成立
        if lead.group() == "联合" and not ys:
            # X联合A、B…缔结形成Y: only with Y named after the verb (由商会牵头，联合A、B…组建 is the 牵头 rule's)
            continue
        first = [x for x in [st.last_org(0, lead.start())] if x is not None] if lead.group() == "牵头" else []
        y = ys[0] if ys else st.body_before(lead.start(), tuple(first))  # 党建联盟…，由航空商会牵头: not the leader
        if y is None:
            continue
        for x in st.orgs(max(y.j if not ys and y.i < lead.start() else 0, done), v.start()):
            if (x.ent is y.ent or is_guide(st, x) or x.ent.type in PLACES and key[x.i - 1 : x.i] == "在"
                    or x.ent.how == "byline"):
                # 由X指导、Y牵头组建 / 在X指导下: X guides, it does not join; 在P成立: P is the place;
                continue  # 南岭日报讯…由A牵头发起的Y: a byline founds nothing
            role = "牵头单位" if first and x is first[0] else "成员单位"
            add_statement(out, x, "memberOf", y, st, span_of(x, y, (v.start(), v.end())), st.status(lead.start()),
                          role=role)
        done = max(done, y.j if ys else v.end())
    # A(、B)(共同)发起成立 Y: the founders right before the verb
    for v in _FOUNDED_BY.finditer(key):
        ys = [x for x in st.at(v.end()) if x.ent.type in BODIES]
        founders = st.list_before(v.start(), st.clause_start(v.start()))
        if v.group(1):  # A、B等企业和C、D等园区共同发起倡议，拟成立Y: every organization of the clause
            founders = [x for x in st.orgs(st.clause_start(v.start()), v.start())
                        if not is_guide(st, x) and not _AFTER_DENG.search(key, max(0, x.i - 5), x.i)]
        elif founders and not _JUST_BEFORE.fullmatch(key, founders[-1].j, v.start()):
            founders = []
        status = "planned" if v.group(2) else st.status(v.start())
        for x in founders if ys else ():
            if x.ent is not ys[0].ent and not (x.ent.type in PLACES and key[x.i - 1 : x.i] == "在"):
                add_statement(out, x, "memberOf", ys[0], st, span_of(x, ys[0]), status, role="发起单位")


def _formed_by(st: SentenceView, out: list[Statement]) -> None:
    """Y由A、B(牵头)(共同)组成/发起 ; 由A、B共同发起的Y."""
    key = st.key
    for m in re.finditer(r"由", key):  # Y 由 A、B (牵头)(共同)组成/发起
        v = _FORMED.search(key, m.end(), m.end() + 246)  # within 240 characters (a long list of founders) or not
        if not v or v.start() - m.end() > 240:
            continue
        ys = [x for x in [st.last_org(0, m.start(), lambda x: not is_guide(st, x) and x.ent.how != "byline",
                                      st.orgs_of(_COLLAB_BODIES))] if x is not None]
        after = v.end() + (key[v.end() : v.end() + 1] in ("的", "了"))
        if not ys:  # 由A、B共同发起的Y ; 由A、B等29家单位发起成立了Y
            ys = [x for x in st.at(after) if x.ent.type in BODIES]
        if ys and not CLAUSE.search(key, m.end(), v.start()):
            lead = "牵头" in key[m.end() : v.start()]
            if lead and (max(st.find(w, v.end()) for w in ("成立", "组建", "发起", "筹建", "打造")) >= 0
                         and st.first_org(v.end(), len(key), among=st.orgs_of(COLLAB))
                         or any(x.ent.type in BODIES for x in st.at(after))):
                continue  # 由 A 牵头组建(的) Y: handled above
            for x in st.orgs(m.end(), v.start()):
                if is_guide(st, x):
                    continue
                add_statement(out, x, "memberOf", ys[-1], st, span_of(ys[-1], x, (v.start(), v.end())),
                              st.status(m.start()), role="牵头单位" if lead else "成员单位")


# 加入 (not 加入申请: an application), 入盟, 入会; group 1 is None for an application or an intention
_JOINS = re.compile(
    r"(?:递交|提交|提出|递件|送交|提)了?(?:入盟|入会|入共|入体|加入)?(?:申请书?|意向书)(?:加入|入盟|入会)?"
    r"|申请(?:加入|入盟|入会)|办理(?:入盟|入会|加入)(?:手续|程序)|表达了?(?:入盟|入会|加入|加盟)(?:意向|意愿)"
    r"|(?:洽谈|商谈|商议)(?:加入|入盟|入会)(?:事宜)?|(?:正式|成功)?(?:完成|履行)?(加入|入盟|入会|入共|入体|加盟|进入)"
    r"(?!申请|意向|意愿|事宜|事项|工作|仪式|企业|单位|成员|会员|门槛|条件)(?:手续|程序)?"
)
# A、B 也位列其中 ; A 出任/当选/受聘为(首任)(副)理事长单位 ; A 成为最早一批结对单位 ; A 被正式吸纳为成员单位
_HAS_ROLE = re.compile(
    r"(?:也|均|都|亦)?(?:位列其中|在其列|名列其中|在其中|在[^,;。]{0,6}(?:之列|名单中)|位列[^,;。]{0,8}(?:名单|之列))"
    r"|(?:担任|当选|出任|分任|接任|受聘为|担起了?|作为|成为|转为|被?(?:推举|推选|选举|选)为)[^,;。]{0,8}?"
    r"(?:会长|理事长|理事|常务理事|监事长|秘书长|主席|成员|会员|结对|共建|轮值主席|发起|牵头)单位"
    r"|被(?:正式)?(?:吸纳|吸收|接纳|批准)为(?:成员|会员)(?:单位)?"
    r"|列名(?:为)?[^,;。]{0,6}(?:成员|会员)"
)
# (二)拟吸纳成员单位(待…)：
_SECTION_ITEM = re.compile(r"\([一二三四五六七八九十]+\)([^:：,;。()]{0,16})(?:\([^()]{0,40}\))?[:：]")
_ROLE_LIST = re.compile(
    r"(?:\([一二三四五六七八九十]+\))?((?:牵头|发起|成员|会员|理事|常务理事|副理事长|理事长|会长|副会长)(?:单位|企业)|"
    r"[\u4e00-\u9fff]{1,4}(?:成员|会员)(?!单位|企业))"
    r"(?:\(\d+[家个所]\)|共?\d+[家个所])?([:：]|如下:)?"
)  # 成员单位(18家)：A、B ; 企业会员（21家）：A、B


def _joined_kind(trigger: str) -> frozenset[str]:
    """What a trigger joins: 入盟/加盟 an alliance, 入会 an association or chamber, 入共 a community, else any body."""
    for word, kinds in _JOINED_KINDS:
        if word in trigger:
            return kinds
    return BODIES


_JOINED_KINDS = (
    ("盟", frozenset({"Alliance"})), ("入体", frozenset({"Alliance"})),
    ("入会", frozenset({"Association", "ChamberOfCommerce"})),
    ("入共", frozenset({"PartyBuildingCommunity"})),
)


def _join(st: SentenceView, out: list[Statement], a: int, b: int, body: Mention | None, status: str | None,
          kinds: frozenset[str] = BODIES) -> None:
    """The organizations named right before ``[a, b)`` join ``body``: the one named after the trigger,
    or 向/对 Y before it, or the body the sentence or the article speaks of."""
    key = st.key
    start = st.clause_start(a)
    to = st.last_org(start, a, among=st.addressed)  # 向园区党工委递交申请: the addressee
    if body is None and to and to.ent.type in BODIES:
        body = to
    end = to.i - 1 if to else a
    cands = st.last_orgs(start, end, 2)
    if (len(cands) >= 2 and cands[-1].ent.type in BODIES and key[cands[-1].i - 1 : cands[-1].i] in ("的", "在")
        and re.match(r"[\u4e00-\u9fff]", key[cands[-1].j : cands[-1].j + 1])):
        end = cands[-1].i  # A在9月的共同体联席会上被吸纳为成员单位: 共同体 names the meeting, A is the member
    members = list_before_deng(st, start, end) or st.list_before(end, start)
    if not members and start > 0 and not st.last_org(start, a):  # A、B正与共同体对接，预计年底前正式加入
        members = st.previous_clause_run(a)
    if not members:
        return
    body = body or st.body_before(members[0].i, tuple(members), kinds) or st.body_before(a, tuple(members), kinds)
    if body is None:
        return
    for x in members:
        if x.ent is not body.ent and x.ent.is_org:
            add_statement(out, x, "memberOf", body, st, span_of(x, body, (a, b)), status or st.status(a),
                          role="成员单位")


# A(、B)(共同)发起成立 Y ; A、B等共同发起倡议，拟成立 Y (group 1: the proposal; group 2: not yet founded)
_FOUNDED_BY = re.compile(r"(?:共同|联合)?(?:发起成立|发起组建|倡议成立|倡议组建|"
                         r"(发起倡议|倡议)[,，]?(拟|计划|将|筹备|筹划)?(?:成立|组建))了?")
# A、B等首批示范园区: the kind of the list, not one more founder
_AFTER_DENG = re.compile(rf"等(?:{COUNT})?$")  # COUNT covers 首批, 第一批, 8家, 4个
_SIGNED_BODY = re.compile(r"(?:进行|举行|开展)([\u4e00-\u9fff]{0,4}(?:联盟|共同体))$")  # at most 10 characters
_COUNTED_GROUP = re.compile(COUNT)
_FOUNDS_A_SET = re.compile(COUNT_FOUNDED)
_IN_RUN = re.compile(r"、|等|以及|和|及")
_SAYS_MORE = re.compile(r"成立|表示|围绕|推进|推动|开展|累计|实现|举办|召开|签约|旨在|负责|以来")
_ALLIANCES = frozenset({"Alliance", "PartyBuildingCommunity"})
_SIGNS = re.compile(r"(?:签约|签订协议|签署协议|入盟签约)")
_FOUNDS = re.compile(r"(?:共同)?(?:发起成立|成立|组建|发起|筹建|组成|缔结形成|缔结|结成)")
_FORMED = re.compile(r"(?:共同)?(?:组成|发起成立|发起|组建|成立)")
_COLLAB_BODIES = COLLAB - {"IndustrialPark"}
_AS = re.compile("为")
_AND_MORE = re.compile(r"等[^,;。、]{0,12}[,，]?(?:以及|及|和|还有)")
_JOINING = re.compile("加入")
_LIST_ENDS = re.compile(r"(?:等[^,;。:]{0,10})?(?:[,;。:]|$)")
_MEMBER_RE = re.compile(_MEMBER_WORD)
_BESIDES = re.compile(r"除([^,;。]{2,40})(?:以)?外,?(?:另有|还有|尚有)?")
_EXCEPT = re.compile(r"除了?[^,;。]{0,6}$")  # at most 8 characters
_ONE_OF = re.compile(r"(?:之一|[,;。:]|$)")
_JUST_BEFORE = re.compile(r"(?:\([^()]{0,24}\))?[\u4e00-\u9fff]{0,4}")
# (Y的)(首批)(团体)会员: 团体会员, 单位会员 and 企业会员 are a body's members as 会员 are (A是Y的团体会员)
_MEMBER_AFTER = re.compile(r"(?:其|该)?的?(?:首批|第一批|新|正式)?(?:团体|单位|企业)?" + _MEMBER_WORD)


def _member_word_after(st: SentenceView, pos: int) -> int:
    """End of “(Y的)(首批)成员单位” starting at ``pos`` (Y an organization named there), or 0."""
    at = st.at(pos)
    m = _MEMBER_AFTER.match(st.key, at[0].j if at else pos)
    return m.end() if m else 0
