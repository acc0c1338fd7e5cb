"""Terminal control and bidi characters (issue 13, item 6).

ESC and U+009B (CSI) make a terminal execute what follows; U+202E and U+2066–U+2069 make
text read in another order than it is stored. They are

* refused in every curated field of a facts file or of its source metadata, as
  ``file:line: reason`` (not only in names: quotes, roles, notes, periods, metadata…);
* stripped from extracted text by ``kg extract``, whose quotes and offsets still point at the
  right characters of the article (normalization drops them, see :mod:`kg.text`);
* escaped as ``\\uXXXX`` on everything a command prints, whatever the format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED_STEM

from kg.cli import cli
from kg.text import BIDI_CONTROLS, find_control
from robustness.test_bad_facts import _seeds

CSI, RLO, RLI = "\x9b", "\u202e", "\u2067"
# every character a terminal or a bidi algorithm acts on, as YAML double-quoted escapes
_YAML_ESCAPES = {
    "\x1b": "\\e",
    "\x9b": "\\x9b",
    "\x07": "\\a",
    "\x7f": "\\x7f",
    "\r": "\\r",
    "\x85": "\\N",
    "\x00": "\\0",
}


def yaml_escape(c: str) -> str:
    return _YAML_ESCAPES.get(c) or f"\\u{ord(c):04x}"


@dataclass(frozen=True)
class Field:
    id: str
    file: str  # facts/x.yaml or sources/<stem>.meta.yaml
    old: str  # a regular expression: the text of the file to replace (its first match)
    new: str  # what replaces it, with {c} where the character goes (inside a double-quoted YAML string)
    expect: str  # "<item>: <key>" named in the message


META = f"sources/{SEED_STEM}.meta.yaml"
FIELDS = [
    Field(
        "entity-quote",
        "facts/x.yaml",
        "    quote: 青海大学、青海理工学院\n",
        '    quote: "青海大学、{c}青海理工学院"\n',
        "entities[0]: quote",
    ),
    Field(
        "entity-quote-list",
        "facts/x.yaml",
        "    quote: 产业园孵化链\n",
        '    quote: [产业园孵化链, "产业园{c}孵化链"]\n',
        "entities[2]: quote",
    ),
    Field(
        "entity-note",
        "facts/x.yaml",
        "    name: 青海大学\n",
        '    name: 青海大学\n    note: "{c}备注"\n',
        "entities[0]: note",
    ),
    Field("name", "facts/x.yaml", "    name: 青海大学\n", '    name: "青海{c}大学"\n', "entities[0]: name"),
    Field(
        "name-en",
        "facts/x.yaml",
        "    name: 青海大学\n",
        '    name: 青海大学\n    name_en: "Qinghai {c}University"\n',
        "entities[0]: name_en",
    ),
    Field(
        "alias", "facts/x.yaml", "    aliases: [党建联盟]\n", '    aliases: ["党建{c}联盟"]\n', "entities[1]: aliases"
    ),
    Field(
        "membership-quote",
        "facts/x.yaml",
        "    quote: 党建联盟将积极吸纳园区信息技术企业党组织\n",
        '    quote: "党建联盟将积极吸纳{c}园区信息技术企业党组织"\n',
        "memberships[0]: quote",
    ),
    Field(
        "membership-role",
        "facts/x.yaml",
        "    status: planned\n",
        '    status: planned\n    role: "成员{c}单位"\n',
        "memberships[0]: role",
    ),
    Field(
        "membership-note",
        "facts/x.yaml",
        "    status: planned\n",
        '    status: planned\n    note: "拟{c}吸纳"\n',
        "memberships[0]: note",
    ),
    Field(
        "relation-note",
        "facts/x.yaml",
        "    predicate: relatedTo\n",
        '    predicate: relatedTo\n    note: "{c}"\n',
        "relations[0]: note",
    ),
    Field(
        "indicator-metric",
        "facts/x.yaml",
        "    metric: 成员单位数\n",
        '    metric: "成员{c}单位数"\n',
        "indicators[0]: metric",
    ),
    Field("indicator-unit", "facts/x.yaml", "    unit: 个\n", '    unit: "个{c}"\n', "indicators[0]: unit"),
    Field(
        "indicator-period",
        "facts/x.yaml",
        "    unit: 个\n",
        '    unit: 个\n    period: "2024年{c}上半年"\n',
        "indicators[0]: period",
    ),
    Field(
        "extraction-record",
        "facts/x.yaml",
        "entities:\n",
        'extraction:\n  article: "/tmp/{c}gpj.exe"\nentities:\n',
        "extraction.article",
    ),
    Field("meta-title", META, "title: .*\n", 'title: "{c}生物园区"\n', "source metadata: title"),
    Field("meta-outlet", META, "outlet: null\n", 'outlet: "青海{c}日报"\n', "source metadata: outlet"),
    Field("meta-page", META, "page: 07A\n", 'page: "07A{c}"\n', "source metadata: page"),
    Field("meta-reporter", META, "reporter: 师晓琼\n", 'reporter: "师{c}晓琼"\n', "source metadata: reporter"),
    Field("meta-date-note", META, "date_note: >-\n(?:  .*\n)+", 'date_note: "{c}"\n', "source metadata: date_note"),
]
# C0 and C1 controls, DEL, and every bidi control
CHARS = ["\x1b", CSI, "\x07", "\x7f", "\r", "\x85", "\x00", *BIDI_CONTROLS]


def _edit(root: Path, f: Field, c: str) -> tuple[Path, int]:
    """Write ``c`` into field ``f`` of the copy at ``root``; return the file and the line it is on."""
    path = root / f.file
    new = f.new.replace("{c}", yaml_escape(c))
    text, n = re.subn(
        f.old if f.file == META else re.escape(f.old), lambda _m: new, path.read_text(encoding="utf-8"), count=1
    )
    assert n == 1, f.old
    path.write_text(text, encoding="utf-8")
    line = text.count("\n", 0, text.index(yaml_escape(c))) + 1
    return path, line


def _build(store: Path, facts: Path):
    return CliRunner().invoke(cli, ["--store", str(store), "build", "--facts", str(facts)], catch_exceptions=False)


@pytest.mark.parametrize("field", FIELDS, ids=[f.id for f in FIELDS])
@pytest.mark.parametrize("char", [CSI, RLO], ids=["CSI", "RLO"])
def test_control_characters_are_refused_in_every_curated_field(field: Field, char: str, tmp_path, unchanged):
    root = _seeds(tmp_path)
    path, line = _edit(root, field, char)
    r = _build(unchanged, root / "facts")
    assert r.exit_code == 1, r.output
    assert f"{path}:{line}: {field.expect} contains " in r.stderr, r.stderr
    assert f"U+{ord(char):04X}" in r.stderr
    assert char not in r.output  # the message names the character, it does not print it


@pytest.mark.parametrize("char", CHARS, ids=[f"U+{ord(c):04X}" for c in CHARS])
def test_every_control_and_bidi_character_is_refused_in_a_quote(char: str, tmp_path, unchanged):
    root = _seeds(tmp_path)
    path, line = _edit(root, FIELDS[0], char)
    r = _build(unchanged, root / "facts")
    assert r.exit_code == 1
    assert f"{path}:{line}: entities[0]: quote contains " in r.stderr, r.stderr
    assert find_control(r.output, lines=True) < 0


def test_line_breaks_and_tabs_are_fine_where_text_may_span_lines(tmp_path):
    from kg.build import build

    root = _seeds(tmp_path)
    f = root / "facts" / "x.yaml"
    f.write_text(
        f.read_text(encoding="utf-8").replace(
            "    status: planned\n", '    status: planned\n    note: "第一行\\n\\t第二行"\n', 1
        ),
        encoding="utf-8",
    )
    assert build(root / "facts", tmp_path / "store").counts["statements"] == 4


def test_a_name_is_one_line(tmp_path, unchanged):
    root = _seeds(tmp_path)
    path, line = _edit(root, FIELDS[3], "\t")
    r = _build(unchanged, root / "facts")
    assert (
        f"{path}:{line}: entities[0]: name contains a line break or control character: U+0009 (TAB); a name is one line"
        in r.stderr
    ), r.stderr


# --- kg extract: stripped, offsets still right ---------------------------------------------------

ARTICLE = (
    "西宁市生物园区商会与青海大美中药科技有限公司签署合作协议。\n"
    "青海{c1}塞奇食品有限公司加入“红领宁商”党建共同体，\n"
    "青海{c2}大学将与园区共建实验室。园区管委会支持{c3}金诃藏药集团有限公司建设研发中心。\n"
)


@pytest.mark.parametrize("char", CHARS, ids=[f"U+{ord(c):04X}" for c in CHARS])
def test_extract_strips_controls_and_keeps_offsets(char: str):
    from kg.extract import extract_text
    from kg.text import find_quote, normalize

    raw = ARTICLE.format(c1=char, c2=char * 3, c3=char + "\x1b[2J")
    ex = extract_text(raw, "article")
    data, _counts = ex.candidates()
    text = normalize(raw)
    assert find_control(text, lines=True) < 0  # the normalized text, which quotes are cut from
    items = [(sec, item) for sec, v in data.items() if isinstance(v, list) for item in v]
    quoted = [item for _sec, item in items if "quote" in item]
    assert len(quoted) >= 4, data
    for item in quoted:
        start, end = item["offsets"]
        assert text[start:end] == item["quote"]  # offsets index the normalized text
        span = find_quote(raw, item["quote"])  # and the quote occurs in the article (as kg build checks)
        assert span is not None
        assert normalize(raw[span[0] : span[1]]) == item["quote"]
    dumped = json.dumps(data, ensure_ascii=False)
    assert find_control(dumped.replace("\\n", ""), lines=True) < 0, dumped
    names = {item.get("name") for _sec, item in items}
    assert "青海塞奇食品有限公司" in names or any("塞奇" in (n or "") for n in names), names


def test_extracted_candidates_build(tmp_path):
    """A candidates file extracted from an article with controls passes the facts check against that article."""
    from kg.extract import extract_text
    from kg.extract.candidates import dump_candidates
    from kg.facts import load_facts

    raw = ARTICLE.format(c1=CSI, c2=RLO, c3="\x1b[31m")
    (tmp_path / "sources").mkdir()
    (tmp_path / "facts").mkdir()
    (tmp_path / "sources" / "a.txt").write_text(raw, encoding="utf-8")
    (tmp_path / "sources" / "a.meta.yaml").write_text("id: a\ntitle: 测试\n", encoding="utf-8")
    data, _ = extract_text(raw, "a").candidates()
    data["source"] = "a"
    data.pop("extraction", None)
    text = dump_candidates(data, {})
    assert find_control(text, lines=True) < 0, text
    (tmp_path / "facts" / "a.yaml").write_text(text, encoding="utf-8")
    facts = load_facts(tmp_path / "facts")
    assert facts.counts()["entities"] >= 3


# --- terminal output: escaped in one place --------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory, seed_store):
    """The seed store with controls written into a quote, a role and a name (as a writable endpoint could)."""
    import shutil

    import pyoxigraph as ox

    store = tmp_path_factory.mktemp("hostile") / "store"
    shutil.copytree(seed_store, store, symlinks=True)
    ox_store = ox.Store(str(store / "current" / "oxigraph"))
    changed = 0
    for q in list(ox_store.quads_for_pattern(None, ox.NamedNode("https://w3id.org/park-kg/ontology#quote"), None)):
        if "塞奇" in q.object.value:
            ox_store.remove(q)
            ox_store.add(
                ox.Quad(
                    q.subject,
                    q.predicate,
                    ox.Literal(f"{CSI}2J{RLO}{q.object.value}\x1b[31m{RLI}", language="zh"),
                    q.graph_name,
                )
            )
            changed += 1
    ox_store.flush()
    del ox_store
    assert changed
    return store


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_query_output_escapes_controls(hostile_store, fmt):
    r = CliRunner().invoke(
        cli, ["--store", str(hostile_store), "members", "红领宁商", "--format", fmt], catch_exceptions=False
    )
    assert r.exit_code == 0, r.output
    assert find_control(r.output, lines=True) < 0, repr(r.output[:500])
    assert "\\u009b2J\\u202e" in r.output
    if fmt == "json":  # the escape is JSON's own: nothing is lost
        quotes = [row["quote"] for row in json.loads(r.output)["members"]]
        assert any(q.startswith(CSI + "2J" + RLO) for q in quotes), quotes


def test_plain_text_output_and_errors_escape_controls(hostile_store):
    runner = CliRunner()
    r = runner.invoke(
        cli,
        [
            "--store",
            str(hostile_store),
            "sparql",
            "CONSTRUCT { ?e park:quote ?q } WHERE { ?e park:quote ?q FILTER(CONTAINS(?q, '塞奇')) }",
        ],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    assert find_control(r.output, lines=True) < 0 and "\\u202e" in r.output, repr(r.output[:500])
    r = runner.invoke(
        cli, ["--store", str(hostile_store), "members", f"红领{RLO}\x1b]0;pwned\x07宁商x"], catch_exceptions=False
    )
    assert r.exit_code == 1
    assert find_control(r.output, lines=True) < 0, repr(r.output)
    r = runner.invoke(cli, ["--store", str(hostile_store), "members", "--\x9b2J"])
    assert r.exit_code == 2
    assert find_control(r.output, lines=True) < 0, repr(r.output)


def test_render_alone_is_unchanged_for_library_users():
    """Escaping is the terminal's business: kg.render gives the data as it is (tests/test_cli covers the rest)."""
    from kg.queries.result import Report, Table
    from kg.render import render

    text = render(Report([Table("t", ["quote"], [{"quote": f"a{RLO}b"}])]), "json")
    assert json.loads(text)["t"][0]["quote"] == f"a{RLO}b"


def test_terminal_stream_escapes_a_lone_carriage_return_but_not_a_line_ending():
    """A lone CR lets later text overwrite a line (spoofing); CR LF ends CSV lines (SPARQL CSV results)."""
    import io

    from kg.render import TerminalText

    buf = io.StringIO()
    TerminalText(buf).write("ok\rspoofed\r\nnext\x1b[2J\u2067\n")
    assert buf.getvalue() == "ok\\u000dspoofed\r\nnext\\u001b[2J\\u2067\n"
