"""kg ingest and kg diff, on copies of the seeds (the real seeds/facts is never written)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, SEED_STEM

from kg.cli import cli
from kg.errors import BuildLocked, KgError
from kg.extract import KnownEntities, extract, write_candidates
from kg.extract.lexicon import ORG_TYPES
from kg.extract.score import from_facts, read_gold, score
from kg.facts import FactsError, load_facts
from kg.stores.embedded import EmbeddedStore, StoreDir
from kg.text import name_key
from kg.workflows.ingest import diff, ingest

DATA = ROOT / "tests" / "data" / "extract"


def _tree_hash(*dirs: Path) -> str:
    h = hashlib.sha256()
    for d in dirs:
        for p in sorted(d.rglob("*")):
            if p.is_file():
                h.update(str(p.relative_to(d)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def _candidates(article: Path, out: Path, facts_dir: Path | None = None) -> Path:
    known = KnownEntities.from_facts(facts_dir) if facts_dir else None
    write_candidates(extract(article, known=known), out, known)
    return out


def _duplicates(facts) -> list[tuple[str, list[str]]]:
    """Name keys carried by more than one entity (as name or alias)."""
    owners: dict[str, set[str]] = {}
    for eid, e in facts.entities.items():
        for n in (e["name"], *e.get("aliases", [])):
            owners.setdefault(name_key(n), set()).add(eid)
    return [(k, sorted(v)) for k, v in owners.items() if len(v) > 1]


# ---------------------------------------------------------------- the done-when checks


def test_seed_article_extracted_and_ingested_unedited_reproduces_the_curated_graph(seeds_copy, tmp_path):
    """Start without the curated seed facts; extract the seed article; ingest every candidate."""
    curated = read_gold(DATA / f"{SEED_STEM}.gold.yaml")
    (seeds_copy / "facts" / f"{SEED_STEM}.yaml").unlink()
    cand = _candidates(seeds_copy / "sources" / f"{SEED_STEM}.txt", tmp_path / "c.yaml")
    report = ingest(cand, seeds_copy / "facts", tmp_path / "store", accept_all=True)
    assert report.build is not None and not report.build.noop
    facts = load_facts(seeds_copy / "facts")
    s = score(from_facts(facts, ORG_TYPES), curated)
    assert s["org_alias"].recall >= 0.9, s["org_alias"]
    assert s["membership"].recall >= 0.9, s["membership"]
    assert not _duplicates(facts)
    store = EmbeddedStore(tmp_path / "store")
    from kg import queries

    members = {r["member_name"] for r in queries.members(store, "红领宁商").tables[0].rows}
    assert {"生物园区管委会", "西宁市生物园区商会", "青海大美中药科技有限公司", "青海塞奇食品有限公司"} <= members
    planned = queries.members(store, "党建联盟", "active")
    assert planned.empty  # the alliance's members are planned, never active


def test_ingest_against_the_graph_creates_no_duplicate_of_a_known_entity(seeds_copy, tmp_path):
    facts_dir = seeds_copy / "facts"
    before = load_facts(facts_dir)
    known_keys = {name_key(n): eid for eid, e in before.entities.items() for n in (e["name"], *e.get("aliases", []))}
    seed_file = facts_dir / f"{SEED_STEM}.yaml"
    curated_text = seed_file.read_text(encoding="utf-8")
    cand = _candidates(seeds_copy / "sources" / f"{SEED_STEM}.txt", tmp_path / "c.yaml", facts_dir)
    ingest(cand, facts_dir, tmp_path / "store", accept_all=True, shacl=False)
    after = load_facts(facts_dir)
    new = {eid: e for eid, e in after.entities.items() if eid not in before.entities}
    clashes = [
        (eid, n) for eid, e in new.items() for n in (e["name"], *e.get("aliases", [])) if name_key(n) in known_keys
    ]
    assert not clashes
    assert not _duplicates(after)
    merged = seed_file.read_text(encoding="utf-8")
    assert merged.startswith(curated_text.rstrip("\n")[:2000])  # curated text and comments kept
    assert "# ---- 红领宁商 party-building community and its members ----" in merged
    assert sum(len(ff.memberships) for ff in after.files) == sum(
        len(ff.memberships) for ff in before.files
    )  # nothing twice


def test_new_article_is_installed_with_its_source_and_queryable(seeds_copy, tmp_path):
    article = tmp_path / "in" / "yinchuan_kechuang.txt"
    article.parent.mkdir()
    shutil.copyfile(DATA / "yinchuan_kechuang.txt", article)
    cand = _candidates(article, tmp_path / "c.yaml", seeds_copy / "facts")
    assert "confidence: " in cand.read_text(encoding="utf-8")  # the reviewer sees how sure the filter was
    report = ingest(cand, seeds_copy / "facts", tmp_path / "store", accept_all=True)
    assert report.source_installed and report.target == seeds_copy / "facts" / "yinchuan_kechuang.yaml"
    assert (seeds_copy / "sources" / "yinchuan_kechuang.txt").read_text(encoding="utf-8") == article.read_text(
        encoding="utf-8"
    )
    meta = yaml.safe_load((seeds_copy / "sources" / "yinchuan_kechuang.meta.yaml").read_text(encoding="utf-8"))
    assert meta["id"] == "yinchuan-kechuang" and meta["title_is_descriptive"] is True
    text = report.target.read_text(encoding="utf-8")
    assert "review:" not in text and "offsets:" not in text and "extraction:" not in text  # plain facts
    assert "confidence:" not in text
    from kg import queries

    store = EmbeddedStore(tmp_path / "store")
    members = queries.members(store, "银川市科技创新服务联盟")
    assert "宁夏软件行业协会" in {r["member_name"] for r in members.tables[0].rows}
    assert all(r["quote"] for r in members.tables[0].rows)


def test_a_memberships_confidence_is_for_the_reviewer_and_no_part_of_the_fact(seeds_copy, tmp_path):
    """Candidates (the model's memberships with their confidence) → ingest → store → decompiled: the same facts."""
    from kg.decompile import canonical, decompile

    article = tmp_path / "in" / "binjiang_lianmeng.txt"
    article.parent.mkdir()
    article.write_text("近日，滨江新材料产业联盟的队伍再添新丁：宁波恒泰新材料有限公司和浙江华鑫化工股份有限公司。\n",
                       encoding="utf-8")
    cand = _candidates(article, tmp_path / "c.yaml", seeds_copy / "facts")
    proposed = yaml.safe_load(cand.read_text(encoding="utf-8"))["memberships"]
    assert len(proposed) == 2 and all(0.5 <= m["confidence"] <= 1 for m in proposed)  # the model kept them
    report = ingest(cand, seeds_copy / "facts", tmp_path / "store", accept_all=True)
    written = yaml.safe_load(report.target.read_text(encoding="utf-8"))["memberships"]
    assert not any("confidence" in m for m in written)
    assert canonical({"memberships": written}) == canonical({"memberships": proposed})
    back = decompile(EmbeddedStore(tmp_path / "store").data_quads())["binjiang-lianmeng"]
    assert canonical(back)["memberships"] == canonical({"memberships": proposed})["memberships"]


def test_gbk_article_is_stored_as_utf8(seeds_copy, tmp_path):
    article = tmp_path / "gbk_news.txt"
    article.write_bytes((DATA / "lanzhou_jingxi_huagong.txt").read_text(encoding="utf-8").encode("gbk"))
    cand = _candidates(article, tmp_path / "c.yaml", seeds_copy / "facts")
    ingest(cand, seeds_copy / "facts", tmp_path / "store", accept_all=True, shacl=False)
    assert (seeds_copy / "sources" / "gbk_news.txt").read_text(encoding="utf-8").startswith("兰州新区精细化工园区")
    load_facts(seeds_copy / "facts")


# ---------------------------------------------------------------- review states and resolution


def _edit(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_only_accepted_items_by_default_and_their_entities_come_along(seeds_copy, tmp_path):
    cand = _candidates(DATA / "lanzhou_jingxi_huagong.txt", tmp_path / "c.yaml", seeds_copy / "facts")
    with pytest.raises(KgError, match="nothing accepted"):
        ingest(cand, seeds_copy / "facts", tmp_path / "store")

    def accept_first_membership(d):
        d["memberships"][0]["review"] = "accepted"
        d["relations"][0]["review"] = "rejected"

    _edit(cand, accept_first_membership)
    report = ingest(cand, seeds_copy / "facts", tmp_path / "store", shacl=False)
    assert report.added["memberships"] == 1 and report.added["entities"] == 2 and report.added["relations"] == 0
    assert report.skipped["rejected"] == 1 and report.skipped["not accepted"] > 0


def test_accepted_statement_about_a_rejected_entity_is_an_error(seeds_copy, tmp_path):
    cand = _candidates(DATA / "lanzhou_jingxi_huagong.txt", tmp_path / "c.yaml", seeds_copy / "facts")

    def contradict(d):
        m = d["memberships"][0]
        m["review"] = "accepted"
        next(e for e in d["entities"] if e["id"] == m["member"])["review"] = "rejected"

    _edit(cand, contradict)
    before = _tree_hash(seeds_copy)
    with pytest.raises(KgError, match="rejected entity"):
        ingest(cand, seeds_copy / "facts", tmp_path / "store")
    assert _tree_hash(seeds_copy) == before


def test_a_new_entity_named_like_a_known_one_is_resolved_to_it(seeds_copy, tmp_path):
    """A reviewer (or --no-graph extraction) proposes 金诃藏药 as new: ingest links it to company/jinhe-zangyao."""
    (seeds_copy / "facts" / f"{SEED_STEM}.yaml").rename(tmp_path / "curated.yaml")
    cand = _candidates(seeds_copy / "sources" / f"{SEED_STEM}.txt", tmp_path / "c.yaml")  # no graph
    shutil.move(tmp_path / "curated.yaml", seeds_copy / "facts" / f"{SEED_STEM}.yaml")
    report = ingest(cand, seeds_copy / "facts", tmp_path / "store", accept_all=True, shacl=False)
    assert "company/jinhe-zangyao" in report.resolved.values()
    assert report.resolved["gov/xiningshi-kejiju"] == "gov/xining-kejiju"  # another id, the same name
    after = load_facts(seeds_copy / "facts")
    assert not _duplicates(after)


# ---------------------------------------------------------------- failures leave seeds untouched


def test_bad_quote_is_reported_at_the_candidates_line_and_changes_nothing(seeds_copy, tmp_path):
    cand = _candidates(DATA / "suzhou_jianxun.txt", tmp_path / "c.yaml", seeds_copy / "facts")
    text = cand.read_text(encoding="utf-8")
    first_quote = next(ln for ln in text.splitlines() if ln.strip().startswith("quote:") and "entities" not in ln)
    cand.write_text(
        text.replace(first_quote, first_quote.split("quote:")[0] + "quote: 这句话原文里没有", 1), encoding="utf-8"
    )
    line = (
        cand.read_text(encoding="utf-8").splitlines().index(first_quote.split("quote:")[0] + "quote: 这句话原文里没有")
        + 1
    )
    before = _tree_hash(seeds_copy)
    with pytest.raises(FactsError) as err:
        ingest(cand, seeds_copy / "facts", tmp_path / "store", accept_all=True)
    assert f"{cand}:{line}:" in str(err.value) and "not found in source" in str(err.value)
    assert _tree_hash(seeds_copy) == before
    assert not list(seeds_copy.glob(".ingest-*"))


def test_failed_rebuild_leaves_seeds_and_store_untouched(seeds_copy, tmp_path):
    store = tmp_path / "store"
    from kg.build import build

    build(seeds_copy / "facts", store, shacl=False)
    gen = StoreDir(store).current
    cand = _candidates(DATA / "wuhan_guanggu.txt", tmp_path / "c.yaml", seeds_copy / "facts")
    before = _tree_hash(seeds_copy)
    held, release = threading.Event(), threading.Event()

    def hold_lock():
        with StoreDir(store).lock():
            held.set()
            release.wait(60)

    t = threading.Thread(target=hold_lock)
    t.start()
    held.wait(10)
    try:
        with pytest.raises(BuildLocked):
            ingest(cand, seeds_copy / "facts", store, accept_all=True)
    finally:
        release.set()
        t.join()
    assert _tree_hash(seeds_copy) == before
    assert not (seeds_copy / "sources" / "wuhan_guanggu.txt").exists()
    assert StoreDir(store).current == gen


# ---------------------------------------------------------------- dry run and diff


def test_dry_run_shows_the_diff_and_writes_nothing(seeds_copy, tmp_path):
    from kg.build import build

    build(seeds_copy / "facts", tmp_path / "store", shacl=False)
    cand = _candidates(DATA / "chengdu_shengwucheng.txt", tmp_path / "c.yaml", seeds_copy / "facts")
    before = _tree_hash(seeds_copy, tmp_path / "store")
    report = ingest(cand, seeds_copy / "facts", tmp_path / "store", accept_all=True, dry_run=True)
    assert _tree_hash(seeds_copy, tmp_path / "store") == before
    assert report.diff.added > 0 and report.diff.removed == 0
    rows = report.diff.report.tables[0].rows
    assert any(r["kind"] == "membership" and "成都生物医药产业投资联盟" in r["detail"] for r in rows)


def test_diff_is_empty_after_build_and_shows_removals(seeds_copy, tmp_path):
    from kg.build import build

    store = tmp_path / "store"
    build(seeds_copy / "facts", store, shacl=False)
    same = diff(seeds_copy / "facts", store)
    assert same.unchanged and same.report.empty
    seed_file = seeds_copy / "facts" / f"{SEED_STEM}.yaml"
    text = seed_file.read_text(encoding="utf-8")
    seed_file.write_text(
        text.replace(
            "  - member: company/saiqi-shipin\n    organization: community/hongling-ningshang\n",
            "  - member: company/saiqi-shipin\n    organization: community/hongling-ningshang\n",
            1,
        ).replace(
            "status: active\n    date: 2024-06\n    role: 基层党组织\n",
            "status: ended\n    date: 2024-06\n    role: 基层党组织\n",
            1,
        ),
        encoding="utf-8",
    )
    changed = diff(seeds_copy / "facts", store)
    assert changed.added > 0 and changed.removed > 0
    kinds = {(r["change"], r["kind"]) for r in changed.report.tables[0].rows}
    assert ("-", "membership") in kinds and ("+", "membership") in kinds


def test_diff_without_a_store_says_everything_is_new(seeds_copy, tmp_path):
    d = diff(seeds_copy / "facts", tmp_path / "nostore")
    assert not d.store_built and d.removed == 0 and d.added > 1000
    assert any("no graph built" in n for n in d.report.notes)


# ---------------------------------------------------------------- the commands


def test_kg_ingest_and_kg_diff_subprocess(seeds_copy, tmp_path):
    store = tmp_path / "store"
    cand = _candidates(DATA / "tainan_kexue_trad.txt", tmp_path / "c.yaml", seeds_copy / "facts")
    env_args = ["--store", str(store)]
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg.cli",
            *env_args,
            "ingest",
            str(cand),
            "--facts",
            str(seeds_copy / "facts"),
            "--accept-all",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    assert "added to" in r.stdout and "rebuilt" in r.stdout
    r = subprocess.run(
        [sys.executable, "-m", "kg.cli", *env_args, "diff", "--facts", str(seeds_copy / "facts"), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    import json

    data = json.loads(r.stdout)
    assert data["changes"] == [] and any("0 quad(s) would be added and 0 removed" in n for n in data["notes"])
    r = subprocess.run(
        [sys.executable, "-m", "kg.cli", *env_args, "members", "南臺灣半導體產學聯盟", "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0 and "國立中山大學" in r.stdout


def test_kg_ingest_errors_are_one_line(seeds_copy, tmp_path):
    runner = CliRunner()
    r = runner.invoke(
        cli,
        [
            "--store",
            str(tmp_path / "s"),
            "ingest",
            str(tmp_path / "missing.yaml"),
            "--facts",
            str(seeds_copy / "facts"),
        ],
    )
    assert r.exit_code == 1 and r.output.startswith("Error: ") and "no such candidates file" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("source: x\nentities: [\n", encoding="utf-8")
    r = runner.invoke(cli, ["--store", str(tmp_path / "s"), "ingest", str(bad), "--facts", str(seeds_copy / "facts")])
    assert r.exit_code == 1 and f"{bad}:" in r.output and "malformed YAML" in r.output and "Traceback" not in r.output


def test_kg_ingest_dry_run_cli(seeds_copy, tmp_path):
    cand = _candidates(DATA / "suzhou_jianxun.txt", tmp_path / "c.yaml", seeds_copy / "facts")
    r = CliRunner().invoke(
        cli,
        [
            "--store",
            str(tmp_path / "s"),
            "ingest",
            str(cand),
            "--facts",
            str(seeds_copy / "facts"),
            "--accept-all",
            "--dry-run",
            "--format",
            "json",
        ],
        catch_exceptions=False,
    )
    assert r.exit_code == 0
    assert r.stdout.startswith("would add to")
    import json

    changes = json.loads(r.stdout[r.stdout.index("{") :])["changes"]
    assert any(c["kind"] == "membership" and "苏州工业园区人工智能产业联盟" in c["detail"] for c in changes)
    assert not (seeds_copy / "facts" / "suzhou_jianxun.yaml").exists()


def test_one_ingest_at_a_time(seeds_copy, tmp_path):
    import fcntl
    import os

    cand = _candidates(DATA / "suzhou_jianxun.txt", tmp_path / "c.yaml", seeds_copy / "facts")
    fd = os.open(seeds_copy / "facts", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as another ingest would hold it
        with pytest.raises(KgError, match="another kg ingest"):
            ingest(cand, seeds_copy / "facts", tmp_path / "store", accept_all=True)
    finally:
        os.close(fd)
    ingest(cand, seeds_copy / "facts", tmp_path / "store", accept_all=True, shacl=False)
