"""Names and arguments typed at the query commands: a clear line and the documented exit code.

Exit codes (README): 0 an answer, 1 no result or a user error, 2 usage. Names are resolved
in Python against the name index and only IRIs reach a query, so nothing typed here can
change the query text; invisible characters are ignored as the README's name matching says.
tests/test_cli.py covers ordinary unknown names, suggestions and ambiguity.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from kg.cli import cli
from robustness.conftest import HONGLING_NAMED, no_crash, one_line_error


@dataclass(frozen=True)
class Typed:
    id: str
    args: tuple[str, ...]
    code: int
    expect: str  # in the output (for exit 0: a member's name)


CATALOGUE = [
    # names that name nothing
    Typed("unknown-name", ("members", "不存在的组织"), 1, "no entity named '不存在的组织'"),
    Typed("empty-name", ("members", ""), 1, "no entity named ''"),
    Typed("blank-name", ("show", "   "), 1, "no entity named '   '"),
    Typed("emoji-appended", ("members", "红领宁商🎉"), 1, "did you mean: 红领宁商"),
    Typed("100000-character-name", ("members", "红" * 100_000), 1, "no entity named '" + "红" * 80 + "…'"),
    Typed(
        "terminal-escape-in-name",
        ("members", "\x1b[2J\x1b[31m红领宁商"),
        1,
        "no entity named '\\x1b[2J\\x1b[31m红领宁商'",
    ),
    Typed("nul-in-name", ("show", "红领\x00宁商"), 1, "no entity named '红领\\x00宁商'"),
    Typed("undecodable-bytes-in-name", ("show", "\udcff\udcfe红领"), 1, "no entity named '\\udcff\\udcfe红领'"),
    Typed("iri-of-nothing", ("show", "<https://w3id.org/park-kg/id/company/nothing>"), 1, "no entity named"),
    Typed("empty-iri", ("members", "<>"), 1, "no entity named '<>'"),
    Typed("javascript-iri", ("show", "<javascript:alert(1)>"), 1, "no entity named '<javascript:alert(1)>'"),
    Typed("path-like-id", ("show", "id:../../etc/passwd"), 1, "no entity named 'id:../../etc/passwd'"),
    # names shaped like injections: they name nothing, and the graph is unchanged (the fixture checks)
    Typed("sparql-injection", ("members", '红领宁商"@zh } ; DROP ALL ; #'), 1, "no entity named"),
    Typed(
        "sparql-iri-injection",
        ("memberships", "<https://w3id.org/park-kg/id/x> } INSERT DATA { <urn:a> <urn:b> <urn:c> } #"),
        1,
        "no entity named",
    ),
    Typed("sparql-variable", ("related", "?s ?p ?o"), 1, "no entity named '?s ?p ?o'"),
    Typed("cypher-injection", ("members", "x' OR 1=1 WITH n MATCH (m) DETACH DELETE m //"), 1, "no entity named"),
    Typed("shell-metacharacters", ("show", "$(touch /tmp/kg-pwned); `id`"), 1, "no entity named"),
    # invisible characters are ignored when matching, as for curated names
    Typed("right-to-left-override", ("members", "\u202e红领宁商"), 0, "青海塞奇食品有限公司"),
    Typed("zero-width-space", ("members", "红领\u200b宁商"), 0, "青海塞奇食品有限公司"),
    Typed("line-break-inside", ("members", "红领\n宁商"), 0, "青海塞奇食品有限公司"),
    # other arguments
    Typed("path-to-nothing", ("path", "青海大学", "火星基地"), 1, "no entity named '火星基地'"),
    Typed("chain-of-a-non-chain", ("chain", "青海大学"), 1, "is not a chain nor a stage of one"),
    Typed(
        "orgs-unknown-type",
        ("orgs", "--type", "<script>alert(1)</script>"),
        1,
        "unknown type '<script>alert(1)</script>'; known types:",
    ),
    Typed("orgs-in-nothing", ("orgs", "--in", "不存在"), 1, "no entity named '不存在'"),
    Typed("store-is-a-file", ("--store", "/etc/hostname", "members", "红领宁商"), 1, "no graph built at /etc/hostname"),
    # usage: exit 2
    Typed("unknown-command", ("nosuch",), 2, "No such command 'nosuch'"),
    Typed("misspelt-command", ("memebrs", "红领宁商"), 2, "Did you mean one of: 'members', 'memberships'?"),
    Typed("unknown-option", ("members", "红领宁商", "--frmat", "csv"), 2, "No such option '--frmat'"),
    Typed("missing-name", ("members",), 2, "Missing argument 'NAME'"),
    Typed("bad-status", ("members", "红领宁商", "--status", "maybe"), 2, "'maybe' is not one of"),
    Typed("bad-format", ("members", "红领宁商", "--format", "xml"), 2, "'xml' is not one of"),
    Typed("depth-zero", ("related", "红领宁商", "--depth", "0"), 2, "0 is not in the range 1<=x<=6"),
    Typed("depth-huge", ("related", "红领宁商", "--depth", "99999999999999999999"), 2, "is not in the range 1<=x<=6"),
    Typed("depth-not-a-number", ("related", "红领宁商", "--depth", "two"), 2, "'two' is not a valid integer"),
    Typed("bad-backend", ("members", "红领宁商", "--backend", "mysql"), 2, "'mysql' is not one of 'store', 'bolt'"),
    # relations that do not exist are named as such, not answered with an empty table
    Typed(
        "unknown-predicate",
        ("related", "金诃藏药", "--predicate", "nope"),
        1,
        "unknown predicate 'nope'; known: appliesFor",
    ),
    Typed(
        "misspelt-predicate",
        ("related", "金诃藏药", "--predicate", "located"),
        1,
        "unknown predicate 'located'; did you mean: locatedIn",
    ),
    Typed("predicate-any-case-and-prefix", ("related", "红领宁商", "--predicate", "ORG:memberof"), 0, "memberOf"),
]


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.id for c in CATALOGUE])
def test_typed_names_and_arguments(case: Typed, unchanged, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = case.args if case.args[0] == "--store" else ("--store", str(unchanged), *case.args)
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert r.exit_code == case.code, r.output
    assert case.expect in r.output, r.output[:2000]
    if case.code == 1:
        line = one_line_error(r.stderr)
        assert len(line) < 1500 and "\x1b" not in line and "\x00" not in line
    elif case.code == 0:
        no_crash(r.output)
        assert all(m in r.stdout for m in HONGLING_NAMED)
    assert not list(tmp_path.iterdir())  # nothing ran, nothing was written


def test_the_catalogue_has_one_test_per_input():
    assert len({c.id for c in CATALOGUE}) == len(CATALOGUE) >= 30
