"""Bad facts files: every kind of error is reported as file:line with the reason."""

from __future__ import annotations

import textwrap

import pytest
from conftest import SEED_STEM, SEEDS

from kg.facts import FactsError, load_facts
from kg.text import find_quote

GOOD = f"""\
source: {SEED_STEM}
entities:
  - id: university/qinghai-daxue
    type: University
    name: 青海大学
    name_en: Qinghai University
    quote: 青海大学、青海理工学院
  - id: alliance/lianmeng
    type: Alliance
    name: 绿色算力党建联盟
    quote: 积极打造西宁经济技术开发区生物科技产业园区绿色算力党建联盟
memberships:
  - member: university/qinghai-daxue
    organization: alliance/lianmeng
    status: planned
    date: 2024
    quote: 党建联盟将积极吸纳园区信息技术企业党组织
"""


def _dir(seeds_copy, text: str, name: str = "x.yaml"):
    facts = seeds_copy / "facts"
    for p in facts.glob("*.yaml"):
        p.unlink()
    (facts / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return facts


def _problems(seeds_copy, text: str) -> list[str]:
    with pytest.raises(FactsError) as e:
        load_facts(_dir(seeds_copy, text))
    return [str(p) for p in e.value.problems]


def test_minimal_good_file_loads(seeds_copy):
    facts = load_facts(_dir(seeds_copy, GOOD))
    assert set(facts.entities) == {"university/qinghai-daxue", "alliance/lianmeng"}


def test_a_membership_may_say_how_sure_the_extractor_was(seeds_copy):
    sure = GOOD.replace("    status: planned\n", "    status: planned\n    confidence: 0.8\n")
    facts = load_facts(_dir(seeds_copy, sure))
    assert len(facts.files[0].memberships) == 1


def test_seed_facts_load():
    facts = load_facts(SEEDS / "facts")
    assert facts.counts()["entities"] >= 60


@pytest.mark.parametrize(
    "old,new,line,reason",
    [
        ("    name: 青海大学\n", "    name: 青海大学\n    founded: 1958\n", 6, "unknown field 'founded'"),
        ("    quote: 青海大学、青海理工学院\n", "", 3, "missing required field 'quote'"),
        (
            "    organization: alliance/lianmeng\n",
            "    organization: alliance/lianmen\n",
            14,
            "'alliance/lianmen' is not a defined entity (did you mean alliance/lianmeng?)",
        ),
        ("    quote: 青海大学、青海理工学院\n", "    quote: 青海大学已经加入联盟\n", 7, "not found in source"),
        ("    type: University\n", "    type: Univercity\n", 4, "unknown type 'Univercity' (did you mean University?)"),
        ("    status: planned\n", "    status: maybe\n", 15, "status 'maybe' is not one of active, planned, ended"),
        ("    date: 2024\n", "    date: 2024-13\n", 16, "'2024-13' is not a valid date"),
        ("    name: 青海大学\n", "    name: 青海大学\n    confidence: 1.3\n", 6,
         "confidence must be a number from 0 to 1, got 1.3"),
        ("    status: planned\n", "    status: planned\n    confidence: -0.2\n", 16,
         "memberships[0]: confidence must be a number from 0 to 1, got -0.2"),
        ("    status: planned\n", "    status: planned\n    confidence: high\n", 16,
         "confidence must be a number from 0 to 1, got 'high'"),
        ("    date: 2024\n", "    date: next year\n", 16, "is not a date"),
        (
            "  - id: alliance/lianmeng\n",
            "  - id: university/qinghai-daxue\n",
            8,
            "duplicate entity id 'university/qinghai-daxue' (first defined at",
        ),
        ("  - id: alliance/lianmeng\n", "  - id: Alliance/联盟\n", 8, "must be <kind>/<ascii-slug>"),
        ("    name: 青海大学\n", "    name: 北京大学\n", 5, "name '北京大学' not found in source"),
        ("    name: 青海大学\n", "    name: 青海大学\n    aliases: [青大]\n", 6, "aliases '青大' not found in source"),
        ("    name: 青海大学\n", '    name: "青海\\u0007大学"\n', 5, "contains control characters"),
        ("memberships:\n", "memberships:\n  - just a string\n", 13, "must be a mapping"),
        ("source:", "sauce: x\nsource:", 1, "unknown section 'sauce'"),
    ],
)
def test_each_error_kind_gives_file_line_and_reason(seeds_copy, old, new, line, reason):
    assert old in GOOD
    probs = _problems(seeds_copy, GOOD.replace(old, new, 1))
    assert any(p.startswith(f"{seeds_copy / 'facts' / 'x.yaml'}:") and reason in p for p in probs), probs
    hit = next(p for p in probs if reason in p)
    assert int(hit.split(":")[1]) == line, hit


def test_relation_predicates_are_checked(seeds_copy):
    text = GOOD + textwrap.dedent("""\
        relations:
          - subject: university/qinghai-daxue
            predicate: locatedInn
            object: alliance/lianmeng
            quote: 青海大学
          - subject: university/qinghai-daxue
            predicate: distinction
            object: alliance/lianmeng
            quote: 青海大学
        """)
    probs = _problems(seeds_copy, text)
    assert any(":20: relations[0]: unknown predicate 'locatedInn' (did you mean locatedIn?)" in p for p in probs), probs
    assert any(":23: relations[1]: distinction takes a text 'value:'" in p for p in probs), probs


def test_malformed_yaml_reports_its_line(seeds_copy):
    probs = _problems(seeds_copy, GOOD.replace("    type: Alliance\n", "    type: [Alliance\n"))
    assert len(probs) == 1 and "malformed YAML" in probs[0]
    assert int(probs[0].split(":")[1]) in (10, 11)


def test_duplicate_yaml_key_is_an_error(seeds_copy):
    probs = _problems(seeds_copy, GOOD.replace("    name: 青海大学\n", "    name: 青海大学\n    name: 青海理工学院\n"))
    assert "duplicate key 'name'" in probs[0] and ":6:" in probs[0]


def test_non_utf8_file(seeds_copy):
    facts = _dir(seeds_copy, "")
    (facts / "x.yaml").write_bytes(GOOD.encode("gbk"))
    with pytest.raises(FactsError, match=r"x.yaml:1: not UTF-8"):
        load_facts(facts)


def test_missing_source_file(seeds_copy):
    probs = _problems(seeds_copy, GOOD.replace(f"source: {SEED_STEM}", "source: no-such-article"))
    assert any(":1: source file" in p and "no-such-article.txt not found" in p for p in probs)


def test_empty_dir_and_empty_file(seeds_copy, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FactsError, match="no \\*.yaml facts files"):
        load_facts(empty)
    assert any("empty facts file" in p for p in _problems(seeds_copy, ""))


def test_all_problems_are_reported_at_once(seeds_copy):
    bad = GOOD.replace("type: University", "type: Nope").replace("status: planned", "status: soon")
    assert len(_problems(seeds_copy, bad)) == 2


def test_every_seed_quote_occurs_in_its_source():
    """Independent of the loader: scan the YAML text for every quote/name/alias."""
    import yaml

    raw = (SEEDS / "sources" / f"{SEED_STEM}.txt").read_text(encoding="utf-8")
    data = yaml.safe_load((SEEDS / "facts" / f"{SEED_STEM}.yaml").read_text(encoding="utf-8"))
    checked = 0
    for section in ("entities", "memberships", "relations", "chains", "indicators"):
        for item in data.get(section) or []:
            values = [item["quote"]] if isinstance(item["quote"], str) else list(item["quote"])
            values += [item["name"]] if "name" in item else []
            values += item.get("aliases", [])
            for v in values:
                assert find_quote(raw, v) is not None, (section, v)
                checked += 1
    assert checked > 150


def test_records_carry_their_file_line_and_the_span_of_each_quote(seeds_copy):
    from kg.model.records import Entity, Membership

    facts = load_facts(_dir(seeds_copy, GOOD))
    e = facts.entities["university/qinghai-daxue"]
    m = facts.files[0].memberships[0]
    assert isinstance(e, Entity) and isinstance(m, Membership)
    assert e.file.name == "x.yaml" and (e.line, e.line_of("name"), e.line_of("quote")) == (3, 5, 7)
    assert (m.line, m.line_of("status"), m.date) == (13, 15, "2024")  # a bare year stays text
    text = facts.files[0].source.text
    assert find_quote(text, m.quote) == m.span and text[slice(*e.spans[0])].startswith("青海大学")
    with pytest.raises(AttributeError):
        e.name = "改名"  # records are frozen


def test_files_read_in_parallel_give_the_same_records_and_problems(tmp_path):
    """Forked processes (a large build) and one process read the same records and report the same problems."""
    from conftest import write_synth

    from kg.facts import facts_paths, load_files

    write_synth(tmp_path, seed=3)
    paths = facts_paths(tmp_path / "facts")
    assert len(paths) >= 4
    one = load_files(paths, tmp_path / "sources", workers=1)
    assert load_files(paths, tmp_path / "sources", workers=2) == one
    paths[1].write_text(
        paths[1].read_text(encoding="utf-8").replace("status: active", "status: maybe", 1), encoding="utf-8"
    )
    errors = []
    for workers in (1, 2):
        with pytest.raises(FactsError) as e:
            load_files(paths, tmp_path / "sources", workers=workers)
        errors.append(str(e.value))
    assert errors[0] == errors[1] and "status 'maybe' is not one of" in errors[0]
