"""`kg ingest` as an attacker and a full disk would try it: nothing is written outside the facts and
sources directories, nothing before the whole candidates file is valid, nothing at all with
--dry-run; after any failure the facts and the store agree; staging left by a killed run is removed.

Each test runs on a copy of the seeds with its own store (``project``), and the system's
temporary directory is the test's own, so what ingest stages there is seen too.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEED_STEM

from kg.errors import KgError
from kg.facts import FactsError, load_facts
from kg.workflows.ingest import ingest
from robustness.conftest import run_kg
from robustness.diskfull import fill
from robustness.ingestproject import ARTICLE, Project, candidates, error_line, project, seed_candidates, sha  # noqa: F401 - project is a fixture

# ---------------------------------------------------------------- 1. validate first, write only inside

PATH_STEMS = ["../../outside/evil", "../evil", "/tmp/evil-abs", "sub/evil", "..", ".hidden", "evil\x00x", "a\\b", ""]


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "real"])
@pytest.mark.parametrize(
    "stem", PATH_STEMS, ids=["dotdot2", "dotdot", "absolute", "subdir", "parent", "hidden", "nul", "backslash", "empty"]
)
def test_a_source_that_is_a_path_writes_nothing_anywhere(project, stem, dry_run):
    cand = project.write(candidates(stem, article=str(project.secret), sha256=None))
    before, gen = project.tree(), project.current()
    r = project.ingest(cand, *(["--dry-run"] if dry_run else []))
    assert r.returncode == 1
    line = error_line(r)
    assert str(cand) in line and "source" in line and "file name" in line
    assert project.tree() == before and project.current() == gen


def test_the_article_named_by_the_candidates_is_read_only_when_its_checksum_matches(project):
    """A candidates file from someone else cannot copy any readable file (a key, a password file) into sources/."""
    before = project.tree()
    for checksum, why in ((None, "sha256"), (sha("something else"), "changed since extraction")):
        cand = project.write(candidates("leak", article=str(project.secret), sha256=checksum))
        r = project.ingest(cand)
        assert r.returncode == 1 and why in error_line(r)
        cand.unlink()
    assert project.tree() == before
    assert not (project.sources / "leak.txt").exists()


def test_whole_file_validated_before_anything_is_written(project):
    """A bad item far down the file: the article is not installed, no facts file is made."""
    data = candidates(article=str(project.article))
    data["relations"].append(
        {
            "subject": "fund/hecheng-jijin",
            "predicate": "supports",
            "object": "university/qinghai-daxue",
            "quote": "这句话原文里没有",
            "review": "accepted",
        }
    )
    cand = project.write(data)
    before = project.tree()
    with pytest.raises(FactsError) as err:
        ingest(cand, project.facts, project.store, shacl=False)
    assert f"{cand}:" in str(err.value) and "not found in source" in str(err.value)
    assert project.tree() == before


def test_dry_run_writes_nothing_anywhere(project):
    cand = project.write(candidates(article=str(project.article)))
    before, gen = project.tree(), project.current()
    r = project.ingest(cand, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert b"would add" in r.stdout
    assert project.tree() == before and project.current() == gen


def test_a_missing_facts_directory_is_an_error_not_a_new_graph(project):
    """A typo in --facts would otherwise rebuild the store from the one new file: the graph would lose everything
    else."""
    cand = project.write(candidates(article=str(project.article)))
    before, gen = project.tree(), project.current()
    r = run_kg(
        "ingest",
        str(cand),
        "--facts",
        str(project.seeds / "fatcs"),
        store=project.store,
        env={"TMPDIR": str(project.tmp)},
    )
    assert r.returncode == 1 and "no such facts directory" in error_line(r)
    assert project.tree() == before and project.current() == gen


# ---------------------------------------------------------------- 12. malformed candidates: one line each

MALFORMED = {
    "nul-in-source": 'source: "mini\\0x"\nentities: []\n',
    "extraction-a-list": "source: mini\nextraction: [1, 2]\n",
    "extraction-a-string": "source: mini\nextraction: somewhere\n",
    "article-a-number": "source: mini\nextraction:\n  article: 5\n  sha256: abc\n",
    "article-a-list": "source: mini\nextraction:\n  article: [a, b]\n",
    "article-with-nul": 'source: mini\nextraction:\n  article: "a\\0b"\n',
    "sha256-a-mapping": "source: mini\nextraction:\n  article: x.txt\n  sha256: {a: 1}\n",
    "meta-a-list": "source: mini\nextraction:\n  article: x.txt\n  meta: [1]\n",
    "source-a-list": "source: [a]\n",
    "source-missing": "entities: []\n",
    "top-level-list": "- source: mini\n",
    "section-a-string": "source: mini\nentities: many\n",
    "item-a-string": "source: mini\nentities: [just text]\n",
    "deep-list": "source: mini\nentities: " + "[" * 20000 + "]" * 20000 + "\n",
    "deep-mapping": "source: mini\nx:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(3000)),
    "not-utf8": b"source: mini\nentities: [\xff\xfe]\n",
    "binary": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("content", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_candidates_are_one_line(project, content):
    cand = project.root / "c.yaml"
    cand.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before, gen = project.tree(), project.current()
    r = project.ingest(cand)
    assert r.returncode == 1, r.stdout
    assert str(cand) in error_line(r)
    assert project.tree() == before and project.current() == gen


@pytest.mark.parametrize("what", ["directory", "fifo"])
def test_a_candidates_path_that_is_not_a_file(project, what):
    p = project.root / "c.yaml"
    if what == "directory":
        p.mkdir()
    else:
        os.mkfifo(p)
    r = project.ingest(p, timeout=60)
    assert r.returncode == 1 and "not a regular file" in error_line(r)


# ---------------------------------------------------------------- 11. staging, errors, failures, links, styles


def _stages(p: Project) -> list[Path]:
    return sorted(p.tmp.glob("kg-ingest-*")) + sorted(p.seeds.glob(".ingest-*"))


def test_staging_left_by_a_killed_ingest_is_removed_by_the_next(project):
    cand = project.write(candidates(article=str(project.article)))
    # a legacy staging directory of an older kg, and one a live process owns
    legacy = project.seeds / ".ingest-ab12cd34"
    for d in ("facts", "sources", "check"):
        (legacy / d).mkdir(parents=True)
    sleeper = subprocess.Popen(["sleep", "120"])
    try:
        from kg.files import _start_time

        live = project.tmp / f"kg-ingest-{sleeper.pid}-{_start_time(sleeper.pid)}-live"
        live.mkdir()
        # an ingest killed while it rebuilds (the stage exists then)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kg.cli",
                "--store",
                str(project.store),
                "ingest",
                str(cand),
                "--facts",
                str(project.facts),
            ],
            cwd=ROOT,
            env={**os.environ, "TMPDIR": str(project.tmp)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while (
            not [s for s in _stages(project) if s not in (live, legacy)]
            and proc.poll() is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.01)
        proc.kill()
        proc.wait()
        left = [s for s in _stages(project) if s not in (live, legacy)]
        assert left, "the ingest finished before it could be killed"
        r = project.ingest(cand)
        assert r.returncode == 0, r.stderr
        assert _stages(project) == [live]
        assert not [p for p in project.seeds.rglob("*") if ".kg-" in p.name]
    finally:
        sleeper.kill()
        sleeper.wait()


def test_no_staging_directory_is_left_after_success_or_failure(project):
    cand = project.write(candidates(article=str(project.article)))
    with pytest.raises(KgError):
        ingest(project.write(candidates("nothing-here"), "bad.yaml"), project.facts, project.store)
    ingest(cand, project.facts, project.store, shacl=False)
    assert _stages(project) == []
    assert not list(project.tmp.iterdir())


def _no_stage_path(message: str) -> None:
    assert "kg-ingest-" not in message and ".ingest-" not in message and "/check/" not in message, message


def test_errors_name_the_users_file_and_line_never_a_staging_path(project):
    # a quote not in the article: the candidates file and the line of the quote
    data = candidates(article=str(project.article))
    data["relations"][0]["quote"] = "原文里没有"
    cand = project.write(data)
    with pytest.raises(FactsError) as err:
        ingest(cand, project.facts, project.store, shacl=False)
    line = cand.read_text(encoding="utf-8").splitlines().index("  quote: 原文里没有") + 1
    assert f"{cand}:{line}:" in str(err.value)
    _no_stage_path(str(err.value))
    # metadata from the candidates file that is wrong: the candidates file, at its extraction.meta
    cand = project.write(candidates(article=str(project.article), meta={"id": "Not A Slug", "title": "t"}))
    with pytest.raises(FactsError) as err:
        ingest(cand, project.facts, project.store, shacl=False)
    meta_line = cand.read_text(encoding="utf-8").splitlines().index("    id: Not A Slug") + 1
    assert f"{cand}:{meta_line}:" in str(err.value) and "slug" in str(err.value)
    _no_stage_path(str(err.value))
    # the article is in sources/ but its metadata is not: the real sources directory
    (project.sources / "mini.txt").write_text(ARTICLE, encoding="utf-8")
    cand = project.write(candidates())
    with pytest.raises(FactsError) as err:
        ingest(cand, project.facts, project.store, shacl=False)
    assert str(project.sources / "mini.meta.yaml") in str(err.value)
    _no_stage_path(str(err.value))


def _swap_fails(monkeypatch):
    from kg.stores.embedded import StoreDir

    def swap(self, gen):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(StoreDir, "swap", swap)


@pytest.mark.parametrize("where", ["facts", "sources", "store-files", "store-swap"])
def test_a_full_disk_leaves_the_facts_and_the_store_agreeing(project, monkeypatch, where):
    """The disk fills up while ingest writes the facts, the article or the store: everything is as before."""
    cand = project.write(candidates(article=str(project.article)))
    before, gen = project.tree(), project.current()
    if where == "store-swap":
        _swap_fails(monkeypatch)
    else:
        fill(
            {"facts": project.facts, "sources": project.sources, "store-files": project.store}[where],
            monkeypatch.setattr,
        )
    with pytest.raises((KgError, OSError)) as err:
        ingest(cand, project.facts, project.store, shacl=False)
    monkeypatch.undo()
    assert "No space left" in str(err.value) or "no space" in str(err.value).lower()
    _no_stage_path(str(err.value))
    assert project.current() == gen
    after = {k: v for k, v in project.tree().items() if not k.startswith("proj/store/")}
    assert after == {k: v for k, v in before.items() if not k.startswith("proj/store/")}


def test_a_full_disk_is_one_line_from_the_command(project):
    cand = project.write(candidates(article=str(project.article)))
    before, gen = project.tree(), project.current()
    hook = project.root / "hook.py"
    hook.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'tests')!r})\nfrom robustness.diskfull import fill\n"
        f"fill({str(project.facts)!r})\nsys.argv[0] = 'kg'\nfrom kg.cli import main\nmain()\n",
        encoding="utf-8",
    )
    r = subprocess.run(
        [
            sys.executable,
            str(hook),
            "--store",
            str(project.store),
            "ingest",
            str(cand),
            "--facts",
            str(project.facts),
            "--no-shacl",
        ],
        cwd=ROOT,
        capture_output=True,
        env={**os.environ, "TMPDIR": str(project.tmp)},
        timeout=120,
    )
    assert r.returncode == 1
    assert "space" in error_line(r)
    assert project.current() == gen
    assert {k: v for k, v in project.tree().items() if not k.startswith(("proj/store/", "hook"))} == {
        k: v for k, v in before.items() if not k.startswith("proj/store/")
    }


def test_a_failed_rebuild_puts_the_new_files_back(project, monkeypatch):
    """The rebuild runs on the facts as they will be; when it fails (SHACL, a bug), the files go back."""
    import kg.build

    cand = project.write(candidates(article=str(project.article)))
    before, gen = project.tree(), project.current()

    def build(facts_dir, *a, **kw):
        assert (project.facts / "mini.yaml").is_file() and (project.sources / "mini.txt").is_file()
        raise KgError("the compiled graph violates the SHACL shapes (as a test would have it)")

    monkeypatch.setattr(kg.build, "build", build)
    with pytest.raises(KgError, match="SHACL"):
        ingest(cand, project.facts, project.store)
    assert project.tree() == before and project.current() == gen


def test_temporary_and_backup_files_of_a_dead_process_are_removed_live_ones_kept(project):
    from kg.files import _start_time

    dead = subprocess.Popen(["true"])
    dead.wait()
    sleeper = subprocess.Popen(["sleep", "120"])
    try:
        live_tag = f"{sleeper.pid}-{_start_time(sleeper.pid)}"
        stale = [
            project.facts / f".x.yaml.kg-{dead.pid}-1234-abcd.tmp",
            project.facts / f".x.yaml.kg-{dead.pid}-1234-abce.bak",
            project.sources / f".x.txt.kg-{dead.pid}-1234-abcd.tmp",
        ]
        live = [project.facts / f".y.yaml.kg-{live_tag}-abcd.tmp", project.sources / f".y.txt.kg-{live_tag}-abcd.tmp"]
        for p in stale + live:
            p.write_text("left over\n")
        ingest(project.write(candidates(article=str(project.article))), project.facts, project.store, shacl=False)
        assert [p for p in stale if p.exists()] == [] and all(p.exists() for p in live)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_failed_rename_rolls_back_the_files_already_replaced(project, monkeypatch):
    import kg.files

    cand = project.write(candidates(article=str(project.article)))
    before, gen = project.tree(), project.current()
    real_replace, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "I/O error")
        return real_replace(src, dst)

    monkeypatch.setattr(kg.files.os, "replace", replace)
    with pytest.raises(KgError, match="I/O error"):
        ingest(cand, project.facts, project.store, shacl=False)
    monkeypatch.undo()
    assert project.tree() == before and project.current() == gen


def test_a_symlinked_facts_file_gets_its_target_updated(project):
    seed = project.facts / f"{SEED_STEM}.yaml"
    (project.facts / "curated").mkdir()
    shutil.move(seed, project.facts / "curated" / seed.name)
    seed.symlink_to(Path("curated") / seed.name)
    before = load_facts(project.facts).counts()
    ingest(seed_candidates(project), project.facts, project.store, shacl=False)
    assert seed.is_symlink() and os.readlink(seed) == str(Path("curated") / seed.name)
    assert "added by `kg ingest`" in (project.facts / "curated" / seed.name).read_text(encoding="utf-8")
    assert load_facts(project.facts).counts()["relations"] == before["relations"] + 1


def test_a_facts_file_linked_from_outside_is_refused_not_replaced(project):
    seed = project.facts / f"{SEED_STEM}.yaml"
    elsewhere = project.outside / seed.name
    shutil.move(seed, elsewhere)
    seed.symlink_to(elsewhere)
    cand = seed_candidates(project)
    before, gen = project.tree(), project.current()
    with pytest.raises(KgError, match="outside the facts directory") as err:
        ingest(cand, project.facts, project.store, shacl=False)
    assert str(seed) in str(err.value)
    assert project.tree() == before and project.current() == gen


def test_a_source_already_in_place_is_compared_as_kg_extract_read_it(project):
    """A byte-order mark and CRLF line ends in sources/ are the same text kg extract hashed."""
    raw = "\ufeff合成基金支持青海大学。\r\n".encode("utf-8")
    (project.sources / "crlf.txt").write_bytes(raw)
    (project.sources / "crlf.meta.yaml").write_text("id: crlf\ntitle: crlf\n", encoding="utf-8")
    from kg.extract import decode

    data = candidates("crlf")
    data["extraction"] = {"sha256": sha(decode(raw)[0])}
    report = ingest(project.write(data), project.facts, project.store, shacl=False)
    assert report.added["relations"] == 1 and not report.source_installed


def test_a_new_article_without_metadata_gets_an_id_that_is_a_slug(project):
    art = project.outside / "Mini_Article.txt"
    shutil.copyfile(project.article, art)
    data = candidates("Mini_Article", article=str(art))
    report = ingest(project.write(data), project.facts, project.store, shacl=False)
    assert report.source_installed
    assert "id: mini-article" in (project.sources / "Mini_Article.meta.yaml").read_text(encoding="utf-8")
