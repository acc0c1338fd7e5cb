"""Bad facts and sources thrown at `kg build`: each is refused as `file:line: reason`, exit 1, store untouched.

tests/test_facts.py checks the loader's message for each error kind; here every input goes
through the command a curator runs, against a built store that must not change, and the
catalogue adds what people hand us by accident: wrong encodings, wrong YAML types, files of
100 MB, values nested or aliased into bombs, invisible and control characters in names.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED_STEM, SEEDS

from kg.cli import cli

GOOD = f"""\
source: {SEED_STEM}
entities:
  - id: university/qinghai-daxue
    type: University
    name: 青海大学
    quote: 青海大学、青海理工学院
  - id: alliance/lianmeng
    type: Alliance
    name: 绿色算力党建联盟
    aliases: [党建联盟]
    quote: 积极打造西宁经济技术开发区生物科技产业园区绿色算力党建联盟
  - id: chain/fuhua
    type: IncubationChain
    name: 孵化链
    quote: 产业园孵化链
memberships:
  - member: university/qinghai-daxue
    organization: alliance/lianmeng
    status: planned
    quote: 党建联盟将积极吸纳园区信息技术企业党组织
relations:
  - subject: university/qinghai-daxue
    predicate: relatedTo
    object: alliance/lianmeng
    quote: 青海大学、青海理工学院
chains:
  - chain: chain/fuhua
    stages: [university/qinghai-daxue, alliance/lianmeng]
    quote: 产业园孵化链
indicators:
  - about: alliance/lianmeng
    metric: 成员单位数
    measure: count
    value: 4
    unit: 个
    quote: 青海大学、青海理工学院
"""
MB = 1024 * 1024


@dataclass(frozen=True)
class Bad:
    id: str
    mutate: Callable[[Path], Path | None]  # edits a copy of seeds/ (facts/x.yaml = GOOD); may return another facts dir
    expect: str  # a fragment of the message


def edit(old: str, new: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        f = root / "facts" / "x.yaml"
        text = f.read_text(encoding="utf-8")
        assert old in text, old
        f.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def write(rel: str, data: str | bytes | Callable[[Path], bytes]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        content = data(root) if callable(data) else data
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    return mutate


def both(*mutations) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        for m in mutations:
            m(root)

    return mutate


def _second_source(root: Path) -> None:
    """sources/second.txt: the seed article again, as another document (id second-doc)."""
    shutil.copy(root / "sources" / f"{SEED_STEM}.txt", root / "sources" / "second.txt")
    (root / "sources" / "second.meta.yaml").write_text("id: second-doc\ntitle: 第二篇\n", encoding="utf-8")


def _bomb(levels: int = 9) -> str:
    """A YAML 'billion laughs': 9 levels of 9 aliases each would be 387 million strings if expanded."""
    parts = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    parts += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


def _padded_source(root: Path) -> bytes:
    text = (root / "sources" / f"{SEED_STEM}.txt").read_bytes()
    return text * (100 * MB // len(text) + 1)


CATALOGUE = [
    # malformed YAML
    Bad("yaml-unclosed-bracket", edit("    type: Alliance\n", "    type: [Alliance\n"), "malformed YAML"),
    Bad("yaml-tab-indentation", edit("    type: Alliance\n", "\ttype: Alliance\n"), "malformed YAML"),
    Bad("yaml-nul-byte", edit("    name: 青海大学\n", "    name: 青海\x00大学\n"), "malformed YAML"),
    Bad(
        "yaml-python-object-tag",
        edit("    name: 青海大学\n", "    name: !!python/object/apply:os.system [touch pwned]\n"),
        "malformed YAML",
    ),
    Bad(
        "yaml-duplicate-key",
        edit("    name: 青海大学\n", "    name: 青海大学\n    name: 青海理工学院\n"),
        "duplicate key 'name'",
    ),
    Bad(
        "yaml-top-level-list", write("facts/x.yaml", "- source: x\n- entities: []\n"), "a facts file must be a mapping"
    ),
    Bad("yaml-top-level-scalar", write("facts/x.yaml", "just some text\n"), "a facts file must be a mapping"),
    Bad("yaml-only-comments", write("facts/x.yaml", "# nothing yet\n"), "empty facts file"),
    Bad(
        "yaml-alias-bomb",
        edit("    name: 青海大学\n", f"    name: 青海大学\n    note: {_bomb()}\n"),
        "note must be non-empty text, got [['lol', 'lol', 'lol', ...], [[...], [...], [...], ...]",
    ),
    Bad(
        "yaml-nested-100000-deep",
        edit("    name: 青海大学\n", "    name: 青海大学\n    note: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        "nested too deeply",
    ),
    Bad(
        "yaml-nested-60-deep",
        edit("    name: 青海大学\n", "    name: " + "[" * 60 + "青海大学" + "]" * 60 + "\n"),
        "name must be non-empty text, got [[[...]]]",
    ),
    # wrong types
    Bad(
        "type-section-not-a-list",
        edit("memberships:\n", "memberships:\n  member: university/qinghai-daxue\nx:\n"),
        "memberships must be a list",
    ),
    Bad(
        "type-item-not-a-mapping",
        edit("memberships:\n", "memberships:\n  - 42\n"),
        "memberships[0]: must be a mapping, got int",
    ),
    Bad("type-name-number", edit("    name: 青海大学\n", "    name: 1958\n"), "name must be non-empty text, got 1958"),
    Bad("type-name-empty", edit("    name: 青海大学\n", "    name: ''\n"), "name must be non-empty text, got ''"),
    Bad(
        "type-type-nested-list",
        edit("    type: University\n", "    type: [University, [Company]]\n"),
        "unknown type ['Company']",
    ),
    Bad(
        "type-aliases-not-a-list",
        edit("    aliases: [党建联盟]\n", "    aliases: 党建联盟\n"),
        "aliases must be a list of names",
    ),
    Bad(
        "type-member-is-a-list",
        edit("  - member: university/qinghai-daxue\n", "  - member: [university/qinghai-daxue]\n"),
        "member ['university/qinghai-daxue'] is not a defined entity",
    ),
    Bad(
        "type-organization-is-a-mapping",
        edit("    organization: alliance/lianmeng\n", "    organization: {id: alliance/lianmeng}\n"),
        "organization {'id': 'alliance/lianmeng'} is not a defined entity",
    ),
    Bad(
        "type-predicate-is-a-list",
        edit("    predicate: relatedTo\n", "    predicate: [relatedTo]\n"),
        "unknown predicate ['relatedTo']",
    ),
    Bad(
        "type-membership-quote-list",
        edit("    quote: 党建联盟将积极吸纳园区信息技术企业党组织\n", "    quote: [党建联盟将积极吸纳, 青海大学]\n"),
        "quote must be one text (only entities take a list of quotes)",
    ),
    Bad(
        "type-note-number",
        edit("    status: planned\n", "    status: planned\n    note: 2024\n"),
        "note must be non-empty text, got 2024",
    ),
    Bad("type-value-text", edit("    value: 4\n", "    value: '4'\n"), "value must be a number, got '4'"),
    Bad("type-value-yes", edit("    value: 4\n", "    value: yes\n"), "value must be a number, got True"),
    Bad(
        "type-value-infinite",
        edit("    value: 4\n", "    value: .inf\n"),
        "value must be a finite number below 10^18, got inf",
    ),
    Bad(
        "type-value-nan",
        edit("    value: 4\n", "    value: .nan\n"),
        "value must be a finite number below 10^18, got nan",
    ),
    Bad("type-value-huge", edit("    value: 4\n", "    value: 1.0e+30\n"), "value must be a finite number below 10^18"),
    Bad(
        "type-date-list",
        edit("    status: planned\n", "    status: planned\n    date: [2024]\n"),
        "date [2024] is not a date",
    ),
    Bad(
        "type-stages-text",
        edit(
            "    stages: [university/qinghai-daxue, alliance/lianmeng]\n",
            "    stages: university/qinghai-daxue, alliance/lianmeng\n",
        ),
        "stages must be a list of at least two entity ids",
    ),
    Bad(
        "type-status-mapping",
        edit("    status: planned\n", "    status: {planned: true}\n"),
        "status {'planned': True} is not one of active, planned, ended",
    ),
    Bad(
        "type-meta-title-number",
        write(f"sources/{SEED_STEM}.meta.yaml", "id: xnbio-2024-07a\ntitle: 2024\n"),
        "source metadata: title must be non-empty text, got 2024",
    ),
    Bad(
        "type-meta-not-a-mapping",
        write(f"sources/{SEED_STEM}.meta.yaml", "- id: xnbio-2024-07a\n"),
        "source metadata must be a mapping",
    ),
    # duplicates
    Bad(
        "duplicate-entity-id-across-files",
        both(
            _second_source,
            write(
                "facts/y.yaml",
                "source: second\nentities:\n  - id: university/qinghai-daxue\n"
                "    type: University\n    name: 青海大学\n    quote: 青海大学\n",
            ),
        ),
        "duplicate entity id 'university/qinghai-daxue' (first defined at",
    ),
    Bad(
        "duplicate-source-in-two-files",
        write("facts/y.yaml", f"source: {SEED_STEM}\nentities: []\n"),
        "source id 'xnbio-2024-07a' is also used by",
    ),
    # dangling references
    Bad(
        "dangling-member",
        edit("  - member: university/qinghai-daxue\n", "  - member: university/qinghai-daxu\n"),
        "member 'university/qinghai-daxu' is not a defined entity (did you mean university/qinghai-daxue?)",
    ),
    Bad(
        "dangling-relation-object",
        edit("    object: alliance/lianmeng\n", "    object: alliance/nowhere\n"),
        "object 'alliance/nowhere' is not a defined entity",
    ),
    Bad(
        "dangling-indicator-about",
        edit("  - about: alliance/lianmeng\n", "  - about: park/nowhere\n"),
        "about 'park/nowhere' is not a defined entity",
    ),
    Bad(
        "dangling-chain-stage",
        edit(
            "    stages: [university/qinghai-daxue, alliance/lianmeng]\n",
            "    stages: [university/qinghai-daxue, incubator/ghost]\n",
        ),
        "stage 'incubator/ghost' is not a defined entity",
    ),
    Bad(
        "chain-on-a-non-chain",
        edit("  - chain: chain/fuhua\n", "  - chain: alliance/lianmeng\n"),
        "'alliance/lianmeng' is not an IncubationChain entity",
    ),
    # evidence
    Bad(
        "quote-not-in-source",
        edit("    quote: 青海大学、青海理工学院\n", "    quote: 青海大学是全国第一\n"),
        "'青海大学是全国第一' not found in source",
    ),
    Bad(
        "alias-not-in-source",
        edit("    aliases: [党建联盟]\n", "    aliases: [算力联盟]\n"),
        "aliases '算力联盟' not found in source",
    ),
    Bad(
        "source-file-missing", edit(f"source: {SEED_STEM}", "source: no-such-article"), "no-such-article.txt not found"
    ),
    Bad(
        "source-metadata-missing",
        lambda root: (root / "sources" / f"{SEED_STEM}.meta.yaml").unlink(),
        ".meta.yaml not found",
    ),
    Bad(
        "source-path-traversal",
        edit(f"source: {SEED_STEM}", "source: ../../../../etc/hostname"),
        "must be the stem of a file in",
    ),
    Bad(
        "source-name-too-long", edit(f"source: {SEED_STEM}", "source: " + "文" * 300), "must be the stem of a file in"
    ),  # found by scripts/fuzz.py
    # encodings and binaries
    Bad("encoding-facts-gbk", write("facts/x.yaml", GOOD.encode("gbk")), "x.yaml:1: not UTF-8"),
    Bad("encoding-facts-utf16", write("facts/x.yaml", GOOD.encode("utf-16")), "x.yaml:1: not UTF-8"),
    Bad(
        "encoding-source-gbk",
        write(
            f"sources/{SEED_STEM}.txt",
            lambda root: (SEEDS / "sources" / f"{SEED_STEM}.txt").read_text(encoding="utf-8").encode("gb18030"),
        ),
        "source is not UTF-8",
    ),
    Bad(
        "binary-png-as-facts",
        write("facts/x.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
        "not UTF-8",
    ),
    # empty and missing
    Bad(
        "facts-dir-empty",
        lambda root: [p.unlink() for p in (root / "facts").glob("*.yaml")] and None,
        "no *.yaml facts files",
    ),
    Bad("facts-dir-missing", lambda root: root / "no-such-dir", "facts directory not found"),
    Bad("facts-file-empty", write("facts/x.yaml", ""), "empty facts file"),
    Bad(
        "facts-yaml-is-a-directory",
        lambda root: [(root / "facts" / "x.yaml").unlink(), (root / "facts" / "x.yaml").mkdir()] and None,
        "no *.yaml facts files",
    ),
    # size
    Bad(
        "facts-file-100MB",
        write("facts/x.yaml", GOOD.encode("utf-8") + b"# padding to 100 MB\n" * (100 * MB // 20)),
        "is 100 MB, more than the 16 MB",
    ),
    Bad("source-text-100MB", write(f"sources/{SEED_STEM}.txt", _padded_source), "is 100 MB, more than the 16 MB"),
    # names people cannot see or read
    Bad(
        "name-terminal-escape",
        edit("    name: 青海大学\n", '    name: "\\e[2J\\e[31m青海大学"\n'),
        "name contains control characters",
    ),
    Bad(
        "name-right-to-left-override",
        edit("    name: 青海大学\n", '    name: "青海\\u202e大学"\n'),
        "name contains the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)",
    ),
    Bad(
        "name-zero-width-space",
        edit("    name: 青海大学\n", '    name: "青海\\u200b大学"\n'),
        "invisible character U+200B (ZERO WIDTH SPACE)",
    ),
    Bad(
        "alias-zero-width-joiner",
        edit("    aliases: [党建联盟]\n", '    aliases: ["党建\\u200d联盟"]\n'),
        "alias '党建\\u200d联盟' contains the invisible character U+200D",
    ),
    Bad(
        "name-line-break",
        edit("    name: 青海大学\n", '    name: "青海\\n大学"\n'),
        "name contains a line break or control character",
    ),
    Bad(
        "name-emoji-not-in-source",
        edit("    name: 青海大学\n", "    name: 青海大学🎓\n"),
        "name '青海大学🎓' not found in source",
    ),
    Bad(
        "name-10000-characters",
        edit("    name: 青海大学\n", "    name: " + "青海大学" * 2500 + "\n"),
        "name is 10,000 characters long; a name has at most 200",
    ),
    Bad(
        "name-en-10000-characters",
        edit("    name: 青海大学\n", "    name: 青海大学\n    name_en: " + "Qinghai " * 1250 + "\n"),
        "name_en is 9,999 characters long",
    ),
]


def _seeds(tmp_path: Path) -> Path:
    root = tmp_path / "seeds"
    (root / "facts").mkdir(parents=True)
    shutil.copytree(SEEDS / "sources", root / "sources")
    (root / "facts" / "x.yaml").write_text(GOOD, encoding="utf-8")
    return root


def test_the_template_is_good(tmp_path):
    """Every case changes one thing in GOOD, so GOOD itself must build."""
    from kg.build import build

    report = build(_seeds(tmp_path) / "facts", tmp_path / "store")
    assert report.counts["entities"] == 3 and report.counts["statements"] == 4


def test_the_catalogue_has_one_test_per_input():
    assert len({c.id for c in CATALOGUE}) == len(CATALOGUE) >= 60


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.id for c in CATALOGUE])
def test_bad_facts_are_refused_with_file_and_line(case: Bad, tmp_path, unchanged):
    root = _seeds(tmp_path)
    facts = case.mutate(root) or root / "facts"
    t0 = time.perf_counter()
    r = CliRunner().invoke(cli, ["--store", str(unchanged), "build", "--facts", str(facts)], catch_exceptions=False)
    seconds = time.perf_counter() - t0
    assert r.exit_code == 1, r.output
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("… ")]
    assert re.fullmatch(r"Error: \d+ problem\(s\) in the facts:", lines[0]), lines[0]
    assert all(re.match(r"\S[^:]*:\d+: \S", ln) for ln in lines[1:]), lines  # file:line: reason
    assert case.expect in r.stderr, r.stderr[:2000]
    assert len(r.stderr) < 5000  # one short line per problem, whatever the size of the input
    assert not (tmp_path / "pwned").exists()
    assert seconds < 60  # generous: a 100 MB file is refused, not parsed


def test_problem_list_is_capped(tmp_path, unchanged):
    """Ten thousand bad items: every one is counted, the first ones are shown, the rest summed up."""
    root = _seeds(tmp_path)
    bad = "".join(
        f"  - member: ghost/n{i}\n    organization: alliance/lianmeng\n    status: active\n    quote: 青海大学\n"
        for i in range(10_000)
    )
    edit("memberships:\n", "memberships:\n" + bad)(root)
    r = CliRunner().invoke(
        cli, ["--store", str(unchanged), "build", "--facts", str(root / "facts")], catch_exceptions=False
    )
    assert r.exit_code == 1
    assert "Error: 10000 problem(s) in the facts:" in r.stderr
    assert "… and 9900 more" in r.stderr and len(r.stderr.splitlines()) < 110


def test_unusual_but_valid_names_build(tmp_path):
    """Emoji, a UTF-8 byte-order mark, 《》 and full-width letters are fine when the source has them."""
    from kg.build import build
    from kg.stores.embedded import EmbeddedStore

    root = _seeds(tmp_path)
    src = root / "sources" / f"{SEED_STEM}.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n🎓青海大学🎓与《ＡＩ联盟》签约。\n", encoding="utf-8")
    edit("    name: 青海大学\n", "    name: 🎓青海大学🎓\n    aliases: [《ＡＩ联盟》]\n")(root)
    f = root / "facts" / "x.yaml"
    f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes())
    build(root / "facts", tmp_path / "store")
    assert EmbeddedStore(tmp_path / "store").names.resolve("🎓青海大学🎓").id == "university/qinghai-daxue"
    assert (
        EmbeddedStore(tmp_path / "store").names.resolve("AI联盟").id == "university/qinghai-daxue"
    )  # width and 《》 folded
