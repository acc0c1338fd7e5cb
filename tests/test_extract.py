"""kg extract: reading, organizations, relations, figures and candidates, on the seed and on the annotated texts."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT, SEED_STEM, SEEDS

from kg.cli import cli
from kg.extract import ArticleError, KnownEntities, decode, extract, extract_text, read_article, write_candidates
from kg.extract.score import from_extraction, read_gold, score
from kg.facts import load_facts
from kg.text import find_quote, match_key, name_key, normalize

DATA = ROOT / "tests" / "data" / "extract"
SEED_TXT = SEEDS / "sources" / f"{SEED_STEM}.txt"
UNSEEN = sorted(p.name[: -len(".gold.yaml")] for p in DATA.glob("*.gold.yaml") if not p.name.startswith(SEED_STEM))
HELDOUT = DATA / "heldout"
# Texts written blind to the rules (tests/data/extract/README.md): the rounds scored once and
# then used to improve the rules, and the last two, scored once with the rules frozen since.
TUNED_ROUNDS = {  # directory: (organizations P and R, membership F1) they are held to now
    "heldout": (0.95, 0.95, 0.95),  # rounds 3 and 4
    "dev": (0.95, 0.95, 0.95),
    "round5": (0.9, 0.95, 0.9),
    "round6": (0.9, 0.95, 0.9),
    "dev7": (0.85, 0.95, 0.75),
    "round7": (0.9, 0.95, 0.85),
    # 0.88: the statistical model (issue 17) adds company party committees (陇药康源党委) and media
    # named in a byline (珠江晚报), which the real-article guide counts and round 8's writers did not
    "round8": (0.88, 0.95, 0.9),
    "round9": (0.9, 0.95, 0.85),
}
UNTOUCHED_ROUNDS = ("round10",)


def _stems(where):
    return sorted(p.name[: -len(".gold.yaml")] for p in where.glob("*.gold.yaml"))


@pytest.fixture(scope="module")
def seed_ex():
    return extract(SEED_TXT)


def _orgs(ex) -> dict[str, object]:
    return {e.name: e for e in ex.orgs}


# ---------------------------------------------------------------- reading


def test_an_english_page_naming_chinese_bodies_in_gbk_is_read_and_a_european_legacy_encoding_is_not():
    text = ("Beijing hosted an event on June 12 on the development of sci-tech incubators in Zhongguancun. "
            "The speakers came from 中关村科技园区管理委员会 and 北京大学科技园, and 清华大学 signed an agreement.") * 3
    assert decode(text.encode("gbk")) == (text, "gb18030")  # Latin letters mostly, but its other characters Chinese
    german = "Die Größe der Fabrik in München überrascht: über 500 Mitarbeiter, Gebäude für Lösungen, Straße. " * 3
    with pytest.raises(ArticleError, match="not Chinese text"):
        decode(german.encode("cp1252"))


def test_decode_utf8_gbk_and_utf16():
    text = "兰州新区精细化工园区"
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("gbk")) == (text, "gb18030")
    assert decode(text.encode("utf-16"))[0] == text
    assert decode(("\ufeff" + text).encode("utf-8"))[0] == text


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00" * 50, "binary"),
        (bytes(range(0xA0, 0x100)) * 40, "save it as UTF-8"),
    ],
    ids=["empty", "blank", "binary", "neither-utf8-nor-gbk"],
)
def test_unreadable_articles_are_refused_with_a_reason(tmp_path, content, message):
    p = tmp_path / "a.txt"
    p.write_bytes(content)
    with pytest.raises(ArticleError, match=message):
        read_article(p)


def test_missing_article(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "nope.txt")


# ---------------------------------------------------------------- organizations on the seed


def test_seed_organizations_full_names_types_and_short_forms(seed_ex):
    orgs = _orgs(seed_ex)
    assert orgs["金诃藏药集团有限公司"].type == "Company"
    assert "金诃藏药" in orgs["金诃藏药集团有限公司"].aliases.values()  # 金诃藏药 ↔ 金诃藏药集团有限公司
    assert orgs["红领宁商党建共同体"].type == "PartyBuildingCommunity"  # “红领宁商”党建共同体, quotes dropped
    assert "红领宁商" in orgs["红领宁商党建共同体"].aliases.values()
    assert orgs["西宁城市职业技术学院"].type == "University"
    assert orgs["生物园区管委会"].type == "GovernmentBody"
    assert {"园区机关", "生物园区管委会机关"} <= set(orgs["生物园区管委会"].aliases.values())
    assert orgs["黄化电业电力科技专业化众创空间"].type == "MakerSpace"
    assert orgs["极地基金"].type == "Fund"  # not 园区科技成长股权投资基金极地基金
    park = orgs["西宁经济技术开发区生物科技产业园区"]
    assert park.type == "IndustrialPark" and "生物园区" in park.aliases.values()
    assert "党建联盟" in orgs["西宁经济技术开发区生物科技产业园区绿色算力党建联盟"].aliases.values()


def test_list_patterns_and_verb_objects_find_names_without_suffix(seed_ex):
    orgs = _orgs(seed_ex)
    assert orgs["偏转光电"].type == "Company"  # 指导偏转光电等10余家企业
    assert orgs["阿夏曼巴"].type == "Company"  # 阿夏曼巴等20余家企业
    assert {"光大健康", "泰康人寿"} <= set(orgs)  # 与光大健康、泰康人寿等社会投资人
    assert "东方美谷" in orgs  # 签约东方美谷


def test_generic_phrases_are_not_organizations(seed_ex):
    names = set(_orgs(seed_ex))
    for generic in ("基层党组织", "银行", "园区", "商会", "区域性商会党建共同体", "园区科技成长股权投资基金",
                    "科技金融机构", "中成药龙头企业"):
        assert generic not in names


def test_incubation_chain_stages_in_order(seed_ex):
    [chain] = seed_ex.chains
    assert chain.name == "孵化链"
    assert [s.name for s in chain.stages] == ["启迪众创空间", "生科孵化器", "食保区加速器", "青年创业园",
                                              "青海大学科技园", "产业园"]


# ---------------------------------------------------------------- relations and figures on the seed


def _stmts(ex, predicate):
    return {(s.subject.name, s.object.name if s.object else s.value, s.status) for s in ex.statements
            if s.predicate == predicate}


def test_memberships_active_and_planned(seed_ex):
    m = _stmts(seed_ex, "memberOf")
    assert ("青海大美中药科技有限公司", "红领宁商党建共同体", "active") in m
    assert ("生物园区管委会", "红领宁商党建共同体", "active") in m  # 生物园区管委会机关
    alliance = "西宁经济技术开发区生物科技产业园区绿色算力党建联盟"
    assert ("青海大学", alliance, "planned") in m  # 届时，党建联盟将积极吸纳…
    assert ("生物园区管委会", alliance, "planned") in m  # 园区机关 is the park's 管委会
    assert not any(o == alliance and s == "active" for _, o, s in m)  # planned never shown as active


def test_relations_of_the_seed(seed_ex):
    park = "西宁经济技术开发区生物科技产业园区"
    assert ("金诃藏药集团有限公司", park, "active") in _stmts(seed_ex, "locatedIn")  # 园区金诃藏药集团有限公司
    assert (park, "东方美谷", "active") in _stmts(seed_ex, "signedWith")
    assert (park, "阿里集团", "active") in _stmts(seed_ex, "negotiatesWith")
    assert ("金诃藏药集团有限公司", "新型研发机构", "active") in _stmts(seed_ex, "certifiedAs")
    assert ("金诃藏药集团有限公司", "青海省首家新型研发机构", "active") in _stmts(seed_ex, "distinction")
    assert ("偏转光电", "高新技术企业", "active") in _stmts(seed_ex, "appliesFor")
    assert ("西宁市科技局", "第三届黄河流域城市暨城市群科技成果转移转化对接会",
            "active") in _stmts(seed_ex, "coOrganized")
    assert ("园区科学技术协会", park, "active") in _stmts(seed_ex, "establishedIn")  # 在此成立
    assert (park, "西宁经济技术开发区", "active") in _stmts(seed_ex, "partOf")


def test_figures_with_unit_qualifier_and_subject(seed_ex):
    figs = {(f.metric, f.value, f.unit, f.qualifier): f for f in seed_ex.figures}
    f = figs[("各类业务办理量", 10000, "件", "余")]  # 上半年各类业务办理量达1万余件
    assert f.period == "上半年" and f.about.name == "西宁经济技术开发区生物科技产业园区"
    assert ("总投资", 33.13, "亿元", "约") in figs
    assert {("响应率", 100, "%", "exact"), ("解决率", 99.39, "%", "exact"),
            ("满意率", 96.36, "%", "exact")} <= set(figs)
    count = next(f for f in seed_ex.figures if f.measure == "memberCount")
    assert (count.value, count.about.name) == (13, "红领宁商党建共同体")


# ---------------------------------------------------------------- candidates file


def test_candidates_are_facts_with_review_state_quotes_and_offsets(seed_ex, tmp_path):
    out = tmp_path / "facts" / "c.yaml"
    counts = write_candidates(seed_ex, out)
    assert counts["memberships"] == 10 and counts["dropped"] == 0
    facts = load_facts(out.parent, SEEDS / "sources")  # the facts format, validated
    text = normalize(SEED_TXT.read_text(encoding="utf-8"))
    items = [it for ff in facts.files for sec in ("entities", "memberships", "relations", "chains", "indicators")
             for it in getattr(ff, sec)]
    assert items and all(it["review"] == "candidate" for it in items)
    for it in items:
        start, end = it["offsets"]
        assert match_key(text[start:end]) == match_key(it["quote"])
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["extraction"]["meta"]["id"] == "xnbio-2024-07a"  # the article's .meta.yaml beside it


def test_each_name_the_filter_weighed_says_how_sure_it_is(seed_ex):
    from kg.extract.orgfilter import using

    record: list = []
    with using(None, record):  # every name the filter would weigh, as found
        extract(SEED_TXT)
    weighed = {alt or e.key for e, _, alt in record}  # each boundary it weighs
    data, _ = seed_ex.candidates(set())
    sure = {name_key(it["name"]): it["confidence"] for it in data["entities"] if "confidence" in it}
    assert len(sure) >= 20 and all(0.0 <= c <= 1.0 for c in sure.values())
    assert set(sure) <= weighed, set(sure) - weighed
    assert sure[name_key("青海大学")] >= 0.8  # a full name the article writes on its own
    assert any(it["type"] == "IncubationChain" and "confidence" not in it for it in data["entities"])  # not weighed


def test_traditional_article_keeps_its_script_and_matches_simplified_rules(tmp_path):
    ex = extract(DATA / "hk_kexueyuan_trad.txt")
    orgs = _orgs(ex)
    assert "香港科技園公司" in orgs and "大灣區智慧城市產業聯盟" in orgs  # names as printed
    assert ("香港城市大學", "大灣區智慧城市產業聯盟", "planned") in _stmts(ex, "memberOf")
    out = tmp_path / "c.yaml"
    write_candidates(ex, out)
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    raw = (DATA / "hk_kexueyuan_trad.txt").read_text(encoding="utf-8")
    quotes = [it["quote"] for sec in ("entities", "memberships", "relations") for it in data[sec]]
    assert all(raw.find(q) >= 0 or find_quote(raw, q) for q in quotes)
    assert any("聯盟" in q for q in quotes)  # not rewritten to simplified


def test_graph_names_resolve_known_entities_without_duplicates(seed_ex, tmp_path):
    known = KnownEntities.from_facts(SEEDS / "facts")
    ex = extract(SEED_TXT, known=known)
    known_keys = {name_key(n) for e in known.entities for n in (e.name, *e.aliases)}
    new = [e for e in ex.entities if not e.known]
    assert not [e.name for e in new if e.key in known_keys]
    assert {e.known.id for e in ex.entities if e.known} >= {"company/jinhe-zangyao", "community/hongling-ningshang",
                                                            "university/qinghai-daxue"}
    data, counts = ex.candidates({e.id for e in known.entities})
    assert {m["organization"] for m in data["memberships"]} == {"community/hongling-ningshang",
                                                                "alliance/lvse-suanli-dangjian-lianmeng"}


def test_generic_alias_of_the_graph_needs_the_entity_named_in_the_article():
    known = KnownEntities.from_facts(SEEDS / "facts")
    ex = extract(DATA / "lanzhou_jingxi_huagong.txt", known=known)
    assert not [e.known.id for e in ex.orgs if e.known]  # 园区 here is 兰州新区精细化工园区, not the seed park
    # 高新技术企业 is the same concept
    assert "qualification/gaoxin-jishu-qiye" in {e.known.id for e in ex.entities if e.known}


# ---------------------------------------------------------------- quality on the annotated texts


def _scores(stems, where=DATA):
    total = {}
    for stem in stems:
        s = score(from_extraction(extract(where / f"{stem}.txt")), read_gold(where / f"{stem}.gold.yaml"))
        for k, v in s.items():
            total[k] = total[k] + v if k in total else v
    return total


def test_unseen_texts_meet_the_quality_bar():
    """The eight texts written for the evaluation (the rules were tuned on them: 0.99 / 0.99, F1 1.00)."""
    assert len(UNSEEN) >= 3
    s = _scores(UNSEEN)
    assert s["org_alias"].precision >= 0.95 and s["org_alias"].recall >= 0.95
    assert s["membership"].f1 >= 0.95
    assert s["relation"].f1 >= 0.85


@pytest.mark.parametrize("where", sorted(TUNED_ROUNDS))
def test_rounds_the_rules_were_improved_on(where):
    """Each round was scored once before any rule saw it, then its failure classes fixed (figures in README)."""
    p, r, f1 = TUNED_ROUNDS[where]
    s = _scores(_stems(DATA / where), DATA / where)
    assert s["org_alias"].precision >= p and s["org_alias"].recall >= r
    assert s["membership"].f1 >= f1


def test_untouched_round_meets_the_issue_bar():
    """Round 10 (9 texts) was scored once with the rules of 138cd92, after every other round had
    been used: organizations P 0.89 / R 0.93 alias-aware (exact 0.87 / 0.90), memberships
    P 0.86 / R 0.73 / F1 0.79. (Round 9, scored once at 5177307: 0.94 / 0.95, F1 0.78.)"""
    total = {}
    for where in UNTOUCHED_ROUNDS:
        for k, v in _scores(_stems(DATA / where), DATA / where).items():
            total[k] = total[k] + v if k in total else v
    assert total["org_alias"].n_gold >= 190 and total["membership"].n_gold >= 90
    assert total["org_alias"].precision >= 0.85 and total["org_alias"].recall >= 0.85
    assert total["org_exact"].precision >= 0.85 and total["org_exact"].recall >= 0.85
    assert total["membership"].f1 >= 0.7


def test_seed_organizations_and_memberships_recall():
    s = _scores([SEED_STEM])
    assert s["org_alias"].recall >= 0.9
    assert s["membership"].recall >= 0.9


def test_eval_script_prints_the_table():
    r = subprocess.run([sys.executable, "scripts/eval_extract.py", "--exclude", SEED_STEM], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "org_alias" in r.stdout and "ALL" in r.stdout and "relation:memberOf" not in r.stdout
    assert "organizations by confidence" in r.stdout and "memberships by confidence" in r.stdout
    assert all(stem[:28] in r.stdout for stem in UNSEEN)
    r = subprocess.run([sys.executable, "scripts/eval_extract.py", "--recursive"], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert all(stem[:28] in r.stdout for where in (*TUNED_ROUNDS, *UNTOUCHED_ROUNDS) for stem in _stems(DATA / where))


# ---------------------------------------------------------------- the command


def test_kg_extract_subprocess_writes_valid_candidates(tmp_path):
    out = tmp_path / "facts" / "c.yaml"
    r = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(SEED_TXT), "-o", str(out), "--no-graph"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "memberships" in r.stdout and str(out) in r.stdout
    load_facts(out.parent, SEEDS / "sources")


def test_kg_extract_to_stdout(tmp_path):
    from click.testing import CliRunner

    r = CliRunner().invoke(cli, ["extract", str(DATA / "suzhou_jianxun.txt"), "--no-graph"], catch_exceptions=False)
    assert r.exit_code == 0
    data = yaml.safe_load(r.stdout)
    assert data["source"] == "suzhou_jianxun" and data["entities"]
    assert "suzhou_jianxun.txt" in r.stderr


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02" * 100], ids=["empty", "binary"])
def test_kg_extract_bad_input_is_one_line_exit_1(tmp_path, content):
    from click.testing import CliRunner

    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    r = CliRunner().invoke(cli, ["extract", str(p), "-o", str(tmp_path / "c.yaml"), "--no-graph"])
    assert r.exit_code == 1
    assert r.output.startswith("Error: ") and len(r.output.strip().splitlines()) == 1 and "Traceback" not in r.output
    assert not (tmp_path / "c.yaml").exists()


def test_kg_extract_5mb_article_finishes_with_candidates(tmp_path):
    """A 5 MB article (every sentence distinct) is read, extracted
    and written; the time is in scripts/bench_extract.py."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_extract import article

    art = tmp_path / "big.txt"
    art.write_text(article(5_000_000), encoding="utf-8")
    assert art.stat().st_size >= 4_999_000
    out = tmp_path / "big.yaml"
    r = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(art), "-o", str(out), "--no-graph"], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(data["entities"]) > 500 and len(data["memberships"]) > 100


def test_kg_extract_gbk_article(tmp_path):
    from click.testing import CliRunner

    p = tmp_path / "gbk_article.txt"
    p.write_bytes((DATA / "lanzhou_jingxi_huagong.txt").read_text(encoding="utf-8").encode("gbk"))
    out = tmp_path / "c.yaml"
    r = CliRunner().invoke(cli, ["extract", str(p), "-o", str(out), "--no-graph"], catch_exceptions=False)
    assert r.exit_code == 0 and "gb18030" in r.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "陇原精细化工产业创新联盟" in {e["name"] for e in data["entities"]}


def test_source_meta_option(tmp_path):
    from click.testing import CliRunner

    meta = tmp_path / "m.yaml"
    meta.write_text("id: suzhou-2024-06\ntitle: 苏州工业园区科创简讯\ndate: 2024-06\n", encoding="utf-8")
    art = tmp_path / "suzhou.txt"
    shutil.copyfile(DATA / "suzhou_jianxun.txt", art)
    out = tmp_path / "c.yaml"
    r = CliRunner().invoke(cli, ["extract", str(art), "-o", str(out), "--source-meta", str(meta), "--no-graph"],
                           catch_exceptions=False)
    assert r.exit_code == 0
    meta = yaml.safe_load(out.read_text(encoding="utf-8"))["extraction"]["meta"]
    assert meta == {"id": "suzhou-2024-06", "title": "苏州工业园区科创简讯", "date": "2024-06"}


def test_extract_help_does_not_import_jieba():
    code = ("from kg.cli import cli\ntry:\n    cli(['extract', '--help'], prog_name='kg')\nexcept SystemExit:\n    "
            "pass\nimport sys\nprint('jieba' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert r.stdout.strip().splitlines()[-1] == "False"


def test_a_name_a_rule_decides_carries_no_confidence_of_the_filter():
    ex = extract_text("会上发布了2023年度开发者联盟名单，南岭星河电子有限公司入选。", "t")
    sure = {e.name: e.confidence for e in ex.orgs}
    assert sure.get("开发者联盟", 1) is None  # the date rule cut it, not the filter
    assert sure["南岭星河电子有限公司"] >= 0.5


def test_the_extractors_confidence_is_no_part_of_a_fact():
    from kg.decompile import canonical

    item = {"id": "university/qinghai-daxue", "type": "University", "name": "青海大学", "quote": "青海大学"}
    assert canonical({"entities": [{**item, "confidence": 0.93}]}) == canonical({"entities": [item]})


def test_organizations_are_counted_right_by_the_band_of_their_confidence():
    from kg.extract.score import Predicted, by_confidence

    pred = Predicted(orgs=[("青海大学", []), ("西宁某某", []), ("金诃藏药", []), ("园区", [])],
                     org_confidence=[0.95, 0.92, 0.55, None])
    gold = {"organizations": [{"name": "青海大学"}, {"name": "青海金诃藏药股份有限公司", "aliases": ["金诃藏药"]}]}
    assert by_confidence(pred, gold) == {"≥ 0.9": (1, 2), "≥ 0.5": (1, 1), "none": (0, 1)}
