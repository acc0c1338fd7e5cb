#!/usr/bin/env python3
"""Deterministic synthetic park graphs, in the facts format or directly as N-Quads.

    python scripts/synth.py --preset small -o /tmp/synth            # facts/ + sources/ (~10k triples)
    python scripts/synth.py --parks 100 --orgs 25000 --seed 7 -o DIR  # the province preset
    python scripts/synth.py --preset country --format nq -o DIR       # DIR/dataset.nq, no YAML

A province has parks of very different sizes (a Pareto draw: a few parks hold most of the
organizations). Each park has a 管委会, a 商会, party-building communities, industry
alliances, an incubation chain (众创空间 → 孵化器 → 加速器 → 科技园), funds, projects and its
companies, some with a 党支部. The province adds universities, province-wide alliances and
qualifications (高新技术企业…) that link the parks. Memberships are skewed (communities and
alliances drawn with Zipf weights, so a few are large and most are small) and are active,
planned (拟加入) or ended (已退出); relations (locatedIn, manages, supports, coBuilds,
signedWith, implements, certifiedAs) and indicators (企业数量, 工业总产值, 营业收入, member
counts) complete it.

Every entity and statement has its evidence: a sentence of a synthetic report
(``sources/<stem>.txt`` with its ``.meta.yaml``) that contains the quote verbatim, so the
output passes ``kg build`` exactly as curated facts do. The N-Quads output is compiled by
``kg.build``'s own compiler from the same facts, so it is the dataset ``kg build`` writes
(without the ontology graph). The same ``--seed`` gives the same bytes.

``DIR/synth.json`` records the counts and the probe names the benchmark queries with.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

__all__ = ["PRESETS", "Doc", "generate", "write_facts", "write_nquads", "main"]

# name: (parks, organizations) — about 10k, 1M and 10M triples
PRESETS = {"small": (3, 180), "district": (30, 6000), "province": (100, 20000), "country": (1000, 200000)}

PROVINCES = [
    "青海省",
    "甘肃省",
    "四川省",
    "云南省",
    "贵州省",
    "陕西省",
    "湖南省",
    "湖北省",
    "江西省",
    "安徽省",
    "河南省",
    "河北省",
    "山西省",
    "山东省",
    "江苏省",
    "浙江省",
    "福建省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "吉林省",
    "辽宁省",
    "黑龙江省",
    "内蒙古自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "西藏自治区",
]
CITIES = [
    "西宁",
    "海东",
    "格尔木",
    "德令哈",
    "玉树",
    "共和",
    "同仁",
    "门源",
    "大通",
    "湟中",
    "乐都",
    "平安",
    "民和",
    "互助",
    "化隆",
    "循化",
    "贵德",
    "尖扎",
    "泽库",
    "河南",
    "玛沁",
    "班玛",
    "甘德",
    "达日",
    "久治",
    "玛多",
    "称多",
    "治多",
    "杂多",
    "曲麻莱",
    "囊谦",
    "乌兰",
    "都兰",
    "天峻",
    "茫崖",
    "冷湖",
    "大柴旦",
    "刚察",
    "海晏",
    "祁连",
    "兴海",
    "同德",
    "贵南",
    "共和南",
    "湟源",
    "城东",
    "城中",
    "城西",
    "城北",
    "南川",
    "甘河",
    "多巴",
    "小峡",
    "北川",
    "东川",
    "临空",
    "曹家堡",
    "柴达木",
    "察尔汗",
    "锡铁山",
]
DISTRICTS = [
    "",
    "东",
    "南",
    "西",
    "北",
    "新",
    "滨河",
    "临湖",
    "高原",
    "河湟",
    "三江",
    "昆仑",
    "祁连山",
    "青海湖",
    "黄河",
    "湟水",
    "丝路",
    "唐蕃",
    "雪域",
    "金银滩",
]
PARK_KINDS = [
    ("经济技术开发区", "经开区"),
    ("高新技术产业开发区", "高新区"),
    ("工业园区", "工业园"),
    ("生物科技产业园区", "生物园区"),
    ("综合保税区", "综保区"),
    ("循环经济工业园", "循环园"),
    ("现代农业产业园", "农业园"),
    ("文化旅游产业园", "文旅园"),
]
BRAND = (
    "金诃藏药大美中塞奇光电创新高原健康丰泰瑞达恒通华信鼎盛宏远天成德昌鑫源隆兴嘉禾永安福泽昆仑雪峰三江源青稞牦牛枸杞沙棘"
    "盐湖锂能光伏风电绿能碳汇数智云链星河海纳博远卓越万象同创启明致远融汇弘毅"
)
INDUSTRIES = [
    ("藏药", "Tibetan medicine"),
    ("中药", "traditional Chinese medicine"),
    ("生物", "biotech"),
    ("食品", "food"),
    ("锂电", "lithium battery"),
    ("光伏", "photovoltaics"),
    ("新材料", "new materials"),
    ("装备", "equipment"),
    ("化工", "chemicals"),
    ("数据", "data"),
    ("算力", "computing"),
    ("物流", "logistics"),
    ("农牧", "agriculture"),
    ("乳业", "dairy"),
    ("纺织", "textiles"),
    ("建材", "building materials"),
    ("环保", "environmental"),
    ("电子", "electronics"),
    ("医疗器械", "medical devices"),
    ("文旅", "culture and tourism"),
]
SUFFIXES = [
    ("有限公司", "Co., Ltd."),
    ("科技有限公司", "Technology Co., Ltd."),
    ("股份有限公司", "Co., Ltd. (joint-stock)"),
    ("集团有限公司", "Group Co., Ltd."),
    ("实业有限公司", "Industrial Co., Ltd."),
]
QUALIFICATIONS = [
    ("高新技术企业", "High-tech enterprise"),
    ("专精特新中小企业", "Specialized SME"),
    ("科技型中小企业", "Tech-based SME"),
    ("新型研发机构", "New-type R&D institution"),
    ("省级企业技术中心", "Provincial enterprise technology centre"),
]
ROLES = ["会员单位", "理事单位", "副会长单位", "基层党组织", "成员单位"]
REPORTERS = ["师晓琼", "李明", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊"]
TOPICS = [
    "推动产业链和创新链深度融合",
    "优化营商环境服务企业发展",
    "党建引领园区高质量发展",
    "加快培育新质生产力",
    "打造创新创业生态",
]


@dataclass
class Doc:
    """One synthetic report: its text is built sentence by sentence; each statement quotes one."""

    stem: str
    meta: dict[str, Any]
    sentences: list[str] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    chains: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)

    def say(self, sentence: str) -> str:
        """Add a sentence to the text and return it as a quote."""
        self.sentences.append(sentence)
        return sentence

    @property
    def text(self) -> str:
        lines = [self.meta["title"]]
        for i in range(0, len(self.sentences), 3):
            lines.append("。".join(self.sentences[i : i + 3]) + "。")
        lines.append(f"（记者 {self.meta['reporter']}）")
        return "\n".join(lines) + "\n"

    def facts(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.stem}
        for sec in ("entities", "memberships", "relations", "chains", "indicators"):
            if getattr(self, sec):
                out[sec] = getattr(self, sec)
        return out


class _Names:
    """Unique Chinese names (and 简称) drawn from the pools above."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def unique(self, make) -> tuple[str, ...]:
        for _ in range(1000):
            parts = make()
            if parts[0] not in self.used:
                self.used.add(parts[0])
                return parts
        raise RuntimeError("name pools exhausted; add syllables")

    def brand(self) -> str:
        return "".join(self.rng.choice(BRAND) for _ in range(2))


def _zipf_pick(rng: random.Random, items: list, k: int, s: float = 1.1) -> list:
    """``k`` distinct items, item i drawn with weight 1/(i+1)^s (a few large, many small)."""
    if not items:
        return []
    weights = [1 / (i + 1) ** s for i in range(len(items))]
    out: list = []
    for _ in range(k * 3):
        x = rng.choices(items, weights)[0]
        if x not in out:
            out.append(x)
            if len(out) == k:
                break
    return out


def _date(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}"


def _ym(date: str) -> str:
    y, m = date.split("-")
    return f"{y}年{int(m)}月"


class _Gen:
    def __init__(self, parks: int, orgs: int, seed: int, per_doc: int):
        self.rng = random.Random(seed)
        self.names = _Names(self.rng)
        self.parks, self.orgs, self.per_doc = parks, orgs, per_doc
        self.docs: list[Doc] = []
        self.ent: dict[str, dict[str, Any]] = {}
        self.member_sets: dict[str, set[str]] = {}  # org id -> named members (for declared counts)
        self.probes: dict[str, Any] = {}
        self.counter = 0

    def new_id(self, kind: str) -> str:
        self.counter += 1
        return f"{kind}/s{self.counter:07d}"

    def doc(self, stem: str, title: str, year: int) -> Doc:
        d = Doc(
            stem,
            {
                "id": stem,
                "title": title,
                "date": _date(self.rng, year),
                "reporter": self.rng.choice(REPORTERS),
                "outlet": "园区发展报（合成）",
                "language": "zh",
                "note": "Synthetic report generated by scripts/synth.py; not a real article.",
            },
        )
        self.docs.append(d)
        return d

    def entity(self, d: Doc, kind: str, type_: str, name: str, alias: str | None, en: str | None, intro: str) -> str:
        eid = self.new_id(kind)
        mention = f"{name}（简称{alias}）" if alias else name
        e: dict[str, Any] = {"id": eid, "type": type_, "name": name}
        if en:
            e["name_en"] = en
        if alias:
            e["aliases"] = [alias]
        e["quote"] = d.say(intro.format(x=mention))
        d.entities.append(e)
        self.ent[eid] = e
        return eid

    def n(self, eid: str) -> str:
        return self.ent[eid]["name"]

    def member(self, d: Doc, who: str, org: str, status: str, role: str | None = None) -> None:
        if who in self.member_sets.setdefault(org, set()) or who == org:
            return
        self.member_sets[org].add(who)
        m: dict[str, Any] = {"member": who, "organization": org, "status": status}
        verb = {"active": "加入", "planned": "拟加入", "ended": "已退出"}[status]
        head = ""
        if self.rng.random() < 0.5:
            m["date"] = _date(self.rng, self.rng.randint(2018, 2025))
            head = _ym(m["date"]) + "，"
        tail = ""
        if role:
            m["role"] = role
            tail = f"，作为{role}"
        m["quote"] = d.say(f"{head}{self.n(who)}{verb}{self.n(org)}{tail}")
        d.memberships.append(m)

    def relate(self, d: Doc, s: str, pred: str, o: str, sentence: str, status: str = "active") -> None:
        r: dict[str, Any] = {"subject": s, "predicate": pred, "object": o}
        if status != "active":
            r["status"] = status
        r["quote"] = d.say(sentence)
        d.relations.append(r)

    def indicator(
        self,
        d: Doc,
        about: str,
        metric: str,
        en: str,
        measure: str,
        value,
        unit: str,
        qualifier: str | None,
        period: str,
        sentence: str,
    ) -> None:
        i: dict[str, Any] = {
            "about": about,
            "metric": metric,
            "metric_en": en,
            "measure": measure,
            "value": value,
            "unit": unit,
        }
        if qualifier:
            i["qualifier"] = qualifier
        i["period"] = period
        i["quote"] = d.say(sentence)
        d.indicators.append(i)

    def status(self) -> str:
        x = self.rng.random()
        return "active" if x < 0.8 else "planned" if x < 0.95 else "ended"

    # --- the province ---------------------------------------------------------------------

    def province(self, p: int, prov: str) -> dict[str, list[str]]:
        rng = self.rng
        d = self.doc(f"prov{p:02d}-00", f"{prov}：园区协同发展综述", 2024)
        hub: dict[str, list[str]] = {"universities": [], "alliances": [], "qualifications": [], "gov": []}
        gov = self.entity(
            d,
            "gov",
            "GovernmentBody",
            f"{prov}科学技术厅",
            f"{prov[:2]}科技厅",
            f"{prov} Department of Science and Technology",
            "{x}统筹全省园区科技创新工作",
        )
        hub["gov"].append(gov)
        for name, en in QUALIFICATIONS:
            hub["qualifications"].append(
                self.entity(
                    d,
                    "qualification",
                    "Qualification",
                    f"{prov[:2]}{name}",
                    None,
                    f"{en} ({prov[:2]})",
                    "{x}认定工作持续推进",
                )
            )
        for _ in range(max(3, self.parks // 8)):
            u = self.names.unique(
                lambda: (
                    f"{prov[:2]}{rng.choice(CITIES)}{rng.choice(['大学', '职业技术学院', '师范大学', '理工学院'])}",
                )
            )[0]
            hub["universities"].append(self.entity(d, "university", "University", u, None, None, "{x}服务园区企业创新"))
        for ind, ind_en in INDUSTRIES[: max(4, min(len(INDUSTRIES), self.parks // 5))]:
            a = self.entity(
                d,
                "alliance",
                "Alliance",
                f"{prov}{ind}产业联盟",
                f"{prov[:2]}{ind}联盟",
                f"{prov} {ind_en} industry alliance",
                "{x}由" + self.n(gov) + "指导成立",
            )
            self.relate(d, gov, "guides", a, f"{self.n(gov)}指导{self.n(a)}开展工作")
            hub["alliances"].append(a)
        return hub

    # --- one park -------------------------------------------------------------------------

    def park(self, p: int, prov: str, size: int, hub: dict[str, list[str]]) -> None:
        rng = self.rng
        city = rng.choice(CITIES)
        kind, short = rng.choice(PARK_KINDS)
        name, alias = self.names.unique(lambda: (f"{city}{rng.choice(DISTRICTS)}{kind}", None))
        alias = name.replace(kind, short)
        year = rng.randint(2019, 2025)
        docs = max(1, round(size / self.per_doc))
        d = self.doc(f"park{p:04d}-00", f"{alias}：{rng.choice(TOPICS)}", year)
        park = self.entity(
            d, "park", "IndustrialPark", name, alias, f"Synthetic industrial park {p}", "{x}锚定高质量发展新目标"
        )
        gov = self.entity(
            d,
            "gov",
            "GovernmentBody",
            f"{alias}管理委员会",
            f"{alias}管委会",
            f"Administrative Committee of park {p}",
            "{x}深化放管服改革",
        )
        self.relate(d, gov, "manages", park, f"{self.n(gov)}负责{self.n(park)}的建设管理")
        chamber = self.entity(d, "chamber", "ChamberOfCommerce", f"{city}市{alias}商会", None, None, "{x}服务会员企业")
        groups = [chamber]
        for _ in range(1 + int(rng.paretovariate(1.5)) % 4):
            b = self.names.brand()
            c = self.entity(
                d,
                "community",
                "PartyBuildingCommunity",
                f"{alias}{b}党建共同体",
                f"{b}{rng.choice('红领先锋联心')}",
                None,
                "{x}在" + name + "成立",
            )
            groups.append(c)
        for ind, ind_en in rng.sample(INDUSTRIES, 1 + int(rng.paretovariate(1.3)) % 5):
            a = self.entity(
                d,
                "alliance",
                "Alliance",
                f"{alias}{ind}产业联盟",
                None,
                f"{ind_en} industry alliance of park {p}",
                "{x}正式揭牌",
            )
            groups.append(a)
        for g in groups[1:]:
            self.member(d, gov, g, "active")
        stages = []
        for kind_, type_, word in (
            ("maker-space", "MakerSpace", "众创空间"),
            ("incubator", "Incubator", "孵化器"),
            ("accelerator", "Accelerator", "加速器"),
            ("science-park", "SciencePark", "科技园"),
        ):
            b = self.names.brand()
            stages.append(self.entity(d, kind_, type_, f"{alias}{b}{word}", None, None, "{x}投入运营"))
        chain = self.entity(
            d, "chain", "IncubationChain", f"{alias}孵化链条", None, f"Incubation chain of park {p}", "{x}日趋完善"
        )
        d.chains.append(
            {
                "chain": chain,
                "stages": stages,
                "quote": d.say("—".join(self.n(s) for s in stages) + "的全链条孵化体系已经形成"),
            }
        )
        fund = self.entity(
            d,
            "fund",
            "Fund",
            f"{alias}产业引导基金",
            None,
            None,
            "{x}首期规模{v}亿元".replace("{v}", str(rng.randint(1, 20))),
        )
        self.relate(d, gov, "develops", fund, f"{self.n(gov)}设立{self.n(fund)}")
        n_companies = 0
        for k in range(docs):
            if k:
                d = self.doc(f"park{p:04d}-{k:02d}", f"{alias}：{rng.choice(TOPICS)}（{k}）", year)
            share = size // docs + (1 if k < size % docs else 0)
            for _ in range(share):
                self.company(d, park, gov, groups, stages, hub)
                n_companies += 1
            self.indicator(
                d,
                park,
                "入驻企业数量",
                "enterprises in the park",
                "count",
                n_companies + rng.randint(0, 50),
                "家",
                "余",
                f"{d.meta['date'][:4]}年",
                f"截至{_ym(d.meta['date'])}，{alias}入驻企业{n_companies}余家",
            )
            out = round(rng.uniform(5, 500), 2)
            self.indicator(
                d,
                park,
                "工业总产值",
                "gross industrial output",
                "amount",
                out,
                "亿元",
                "约",
                f"{d.meta['date'][:4]}年上半年",
                f"{alias}{d.meta['date'][:4]}年上半年完成工业总产值约{out}亿元",
            )
        for g in groups[1:]:
            named = len(self.member_sets.get(g, ()))
            total = named + rng.randint(0, max(1, named // 3))
            self.indicator(
                d,
                g,
                "成员单位数",
                "member units",
                "memberCount",
                total,
                "个",
                None,
                f"{d.meta['date'][:4]}年",
                f"{self.n(g)}现有成员单位{total}个",
            )
        if p == 0:
            biggest = max(groups[1:], key=lambda g: len(self.member_sets.get(g, ())))
            self.probes.update(
                {
                    "park": name,
                    "community": self.n(biggest),
                    "chamber": self.n(chamber),
                    "chain": self.n(chain),
                    "gov": self.n(gov),
                }
            )

    def company(
        self, d: Doc, park: str, gov: str, groups: list[str], stages: list[str], hub: dict[str, list[str]]
    ) -> None:
        rng = self.rng
        city = rng.choice(CITIES)
        ind, ind_en = rng.choice(INDUSTRIES)
        suf, suf_en = rng.choice(SUFFIXES)
        name, brand = self.names.unique(
            lambda: (lambda b: (f"{city}{b}{ind}{suf}", b))(self.names.brand() + rng.choice(BRAND))
        )
        alias = f"{brand}{ind}"
        en = f"{city} {brand} {ind_en} {suf_en}" if rng.random() < 0.5 else None
        c = self.entity(
            d, "company", "Company", name, alias if rng.random() < 0.7 else None, en, "{x}专注" + ind + "领域"
        )
        self.relate(d, c, "locatedIn", park, f"{self.n(c)}位于{self.n(park)}")
        k = min(len(groups), int(rng.paretovariate(1.6)) - 1 + (rng.random() < 0.4))
        for g in _zipf_pick(rng, groups, k):
            self.member(d, c, g, self.status(), rng.choice(ROLES) if rng.random() < 0.3 else None)
        if rng.random() < 0.05:
            self.member(d, c, rng.choice(hub["alliances"]), self.status(), "会员单位")
        if rng.random() < 0.002:  # across provinces
            self.member(d, c, rng.choice(self.all_alliances), self.status(), "会员单位")
        if rng.random() < 0.15:
            po = self.entity(d, "party-org", "PartyOrganization", f"{name}党支部", None, None, "{x}积极开展组织生活")
            self.member(d, po, rng.choice(groups[1:] or groups), "active", "基层党组织")
        if rng.random() < 0.2:
            q = rng.choice(hub["qualifications"])
            self.relate(d, c, "certifiedAs", q, f"{self.n(c)}被认定为{self.n(q)}")
        if rng.random() < 0.05:
            self.relate(d, gov, "supports", c, f"{self.n(gov)}支持{self.n(c)}扩大产能")
        if rng.random() < 0.03:
            u = rng.choice(hub["universities"])
            self.relate(
                d,
                u,
                "coBuilds",
                c,
                f"{self.n(u)}与{self.n(c)}共建研发平台",
                "planned" if rng.random() < 0.3 else "active",
            )
        if rng.random() < 0.05:
            s = rng.choice(stages)
            self.relate(d, c, "establishedIn", s, f"{self.n(c)}入驻{self.n(s)}孵化")
        if rng.random() < 0.08:
            prj = self.entity(d, "project", "Project", f"{brand}{ind}建设项目", None, None, "{x}开工建设")
            self.relate(d, c, "implements", prj, f"{self.n(c)}实施{self.n(prj)}")
        if rng.random() < 0.2:
            rev, q = rng.randint(100, 90000), rng.choice([None, "约", "余"])
            self.indicator(
                d,
                c,
                "营业收入",
                "operating revenue",
                "amount",
                rev,
                "万元",
                q,
                f"{d.meta['date'][:4]}年",
                f"{self.n(c)}{d.meta['date'][:4]}年营业收入{q or ''}{rev}万元",
            )
        self._last_company = c

    def run(self) -> list[Doc]:
        rng = self.rng
        sizes = [rng.paretovariate(1.2) for _ in range(self.parks)]
        scale = self.orgs / sum(sizes)
        sizes = [max(3, round(s * scale)) for s in sizes]
        n_prov = max(1, self.parks // 100)
        hubs = [self.province(p, PROVINCES[p % len(PROVINCES)]) for p in range(n_prov)]
        self.all_alliances = [a for h in hubs for a in h["alliances"]]
        for p, size in enumerate(sizes):
            self.park(p, PROVINCES[(p % n_prov) % len(PROVINCES)], size, hubs[p % n_prov])
            if p == 0:
                self.probes["company"] = self.n(self._last_company)
        # a company of the last park: the path probe crosses the province's shared nodes
        self.probes["path"] = [self.probes["company"], self.n(self._last_company)]
        # the entity with the most memberships
        counts: dict[str, int] = {}
        for d in self.docs:
            for m in d.memberships:
                counts[m["member"]] = counts.get(m["member"], 0) + 1
        busiest = max(sorted(counts), key=lambda k: counts[k])
        self.probes["member"] = self.n(busiest)
        return self.docs


def generate(parks: int, orgs: int, seed: int = 1, per_doc: int = 60) -> tuple[list[Doc], dict[str, Any]]:
    """The documents of a synthetic province (or country) and the probe names for benchmarks."""
    g = _Gen(parks, orgs, seed, per_doc)
    docs = g.run()
    return docs, g.probes


def _dump_yaml(data: Any) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=200)


def write_facts(docs: list[Doc], out: Path) -> None:
    """``out/facts/<stem>.yaml`` and ``out/sources/<stem>.{txt,meta.yaml}``, one per document."""
    (out / "facts").mkdir(parents=True, exist_ok=True)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    for d in docs:
        (out / "sources" / f"{d.stem}.txt").write_text(d.text, encoding="utf-8")
        (out / "sources" / f"{d.stem}.meta.yaml").write_text(_dump_yaml(d.meta), encoding="utf-8")
        (out / "facts" / f"{d.stem}.yaml").write_text(_dump_yaml(d.facts()), encoding="utf-8")


def as_facts(docs: list[Doc]):
    """The documents as a :class:`kg.facts.Facts` (what ``load_facts`` would return), without YAML."""
    from kg.facts import Facts, FactsFile, Source, record_of

    files, entities = [], {}
    for d in docs:
        src = Source(stem=d.stem, path=Path(f"{d.stem}.txt"), text=d.text, **d.meta)
        path = Path(f"{d.stem}.yaml")
        secs = {
            sec: tuple(record_of(sec, x, path) for x in getattr(d, sec))
            for sec in ("entities", "memberships", "relations", "chains", "indicators")
        }
        files.append(FactsFile(path, src, **secs))
        entities.update({e.id: e for e in secs["entities"]})
    return Facts(files, entities)


def write_nquads(docs: list[Doc], out: Path) -> int:
    """``out/dataset.nq``: the data graphs ``kg build`` would write (no ontology); returns the quad count."""
    import pyoxigraph as ox

    from kg.build import compile_facts

    out.mkdir(parents=True, exist_ok=True)
    quads = list(compile_facts(as_facts(docs)))
    ox.serialize(quads, output=str(out / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return len(quads)


def counts(docs: list[Doc]) -> dict[str, int]:
    c = {"documents": len(docs)}
    for sec in ("entities", "memberships", "relations", "chains", "indicators"):
        c[sec] = sum(len(getattr(d, sec)) for d in docs)
    return c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        help="small (~10k triples), district (~310k), province (~1M), country (~10M)",
    )
    ap.add_argument("--parks", type=int, help="number of parks")
    ap.add_argument("--orgs", type=int, help="number of companies over all parks")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=["facts", "nq", "both"], default="facts")
    ap.add_argument("-o", "--out", type=Path, required=True, help="output directory")
    args = ap.parse_args(argv)
    parks, orgs = PRESETS[args.preset] if args.preset else (None, None)
    parks, orgs = args.parks or parks, args.orgs or orgs
    if not parks or not orgs:
        ap.error("give --preset or both --parks and --orgs")
    t0 = time.perf_counter()
    docs, probes = generate(parks, orgs, args.seed)
    info: dict[str, Any] = {
        "preset": args.preset,
        "parks": parks,
        "orgs": orgs,
        "seed": args.seed,
        "counts": counts(docs),
        "probes": probes,
    }
    if args.format in ("facts", "both"):
        write_facts(docs, args.out)
    if args.format in ("nq", "both"):
        info["counts"]["quads"] = write_nquads(docs, args.out)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "synth.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    print(
        json.dumps({**info["counts"], "seconds": round(time.perf_counter() - t0, 1)}, ensure_ascii=False),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
