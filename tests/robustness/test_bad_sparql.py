"""Analysts' SPARQL at `kg sparql`: parse errors, refusals, network attempts, expensive and huge queries.

Each gives one `Error:` line and exit 1 (2 for usage), the store is unchanged, and nothing
reaches the network: a local port records any connection a query makes (SERVICE, LOAD,
FROM a URL). tests/test_sparql.py covers the common syntax errors, the update forms INSERT,
DELETE, DROP and LOAD, and a cartesian product stopped by the timeout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from robustness.conftest import file_arg, no_crash, one_line_error


@dataclass(frozen=True)
class Query:
    id: str
    args: Callable[[Path, str], tuple[str, ...]]  # (tmp_path, listener URL) -> arguments after `kg sparql`
    code: int
    expect: str


def q(text: str, *more: str):
    return lambda _tmp, url: (text.replace("URL", url), "--timeout", "2", *more)


REFUSED_UPDATE = "SPARQL Update is refused"
CATALOGUE = [
    # syntax
    Query("unterminated-string", q('SELECT * WHERE { ?s ?p "unterminated }'), 1, "line 1, column"),
    Query("unbalanced-brace", q("SELECT * WHERE { ?s ?p ?o "), 1, "line 1, column 27"),
    Query("misspelt-keyword", q("SELEKT * WHERE { ?s ?p ?o }"), 1, "line 1, column 1"),
    Query("iri-with-a-space", q("SELECT * WHERE { <urn:a b> ?p ?o }"), 1, "line 1, column"),
    Query(
        "unknown-function",
        q("SELECT (<urn:nofunc>(1) AS ?x) WHERE {}"),
        1,
        "custom function <urn:nofunc> is not supported",
    ),
    Query("empty-query", q(""), 1, "the query is empty"),
    Query("blank-query", q(" \n\t "), 1, "the query is empty"),
    Query(
        "undecodable-bytes-in-argument",
        q('SELECT * WHERE { ?s ?p "\udcff" }'),
        1,
        "the query is not UTF-8 text: an undecodable byte at character 25",
    ),
    Query(
        "file-not-utf8",
        file_arg("q.rq", b'SELECT * WHERE { ?s ?p "\xff\xfe" }'),
        1,
        "q.rq is not UTF-8 (invalid start byte at byte 24)",
    ),
    Query("file-missing", lambda tmp, _u: ("-f", str(tmp / "nope.rq")), 2, "nope.rq': No such file or directory"),
    Query(
        "nested-20000-deep",
        q("SELECT * WHERE { FILTER(" + "(" * 20000 + "1" + ")" * 20000 + ") }"),
        1,
        "the query nests brackets more than 500 deep; flatten it",
    ),
    Query("nested-braces-400-deep", q("ASK " + "{" * 400 + "}" * 400), 0, "true"),
    # updates hidden in other spellings (a read-only graph)
    Query("update-clear", q("CLEAR DEFAULT"), 1, REFUSED_UPDATE),
    Query("update-create-graph", q("CREATE GRAPH <urn:g>"), 1, REFUSED_UPDATE),
    Query("update-with-delete", q("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"), 1, REFUSED_UPDATE),
    Query(
        "update-after-a-prologue",
        q("PREFIX x: <urn:x#>\nBASE <urn:b>\n# a comment\nINSERT DATA { x:a x:b x:c }"),
        1,
        REFUSED_UPDATE,
    ),
    Query("update-spelt-with-escapes", q("\\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }"), 1, REFUSED_UPDATE),
    # the network: refused, and the port sees no connection
    Query("load-from-the-network", q("LOAD <URL>"), 1, REFUSED_UPDATE),
    Query("service", q("SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }"), 1, "SERVICE is refused"),
    Query(
        "service-silent-lowercase-in-a-subquery",
        q("SELECT * WHERE { { SELECT * WHERE { service silent <URL> { ?s ?p ?o } } } }"),
        1,
        "SERVICE is refused",
    ),
    Query(
        "service-spelt-with-escapes", q("SELECT * WHERE { \\u0053ERVICE <URL> { ?s ?p ?o } }"), 1, "SERVICE is refused"
    ),
    Query(
        "from-a-url", q("SELECT * FROM <URL> WHERE { ?s ?p ?o }"), 1, ""
    ),  # a graph the store does not have: no answer
    Query("from-named-a-url", q("SELECT * FROM NAMED <URL> WHERE { GRAPH ?g { ?s ?p ?o } }"), 1, ""),
    # expensive: stopped at the timeout
    Query(
        "path-closure-product",
        q("SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x>|!<urn:x>)* ?b . ?c (!<urn:y>)* ?d }"),
        1,
        "ran longer than 2 s and was stopped",
    ),
    Query(
        "regex-over-a-product",
        q(
            'SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?o . ?b ?q ?r FILTER(REGEX(CONCAT(STR(?o), STR(?r)), '
            '"^(a|aa)*b$")) }'
        ),
        1,
        "ran longer than 2 s",
    ),
    # huge but harmless: answered
    Query("5MB-of-comment", q("#" * 5_000_000 + "\nASK { ?s a park:University }"), 0, "true"),
    # options
    Query("negative-timeout", lambda _t, _u: ("ASK {}", "--timeout", "-1"), 2, "-1.0 is not in the range x>=0"),
    Query("timeout-not-a-number", lambda _t, _u: ("ASK {}", "--timeout", "soon"), 2, "'soon' is not a valid float"),
]


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.id for c in CATALOGUE])
def test_bad_queries(case: Query, unchanged, listener, tmp_path):
    r = CliRunner().invoke(
        cli, ["--store", str(unchanged), "sparql", *case.args(tmp_path, listener.url)], catch_exceptions=False
    )
    assert r.exit_code == case.code, r.output[:2000]
    assert case.expect in r.output, r.output[:2000]
    if case.code == 1 and case.expect:
        one_line_error(r.stderr)
    no_crash(r.output)
    assert listener.hits == 0


def test_the_listener_does_see_a_service_call_when_allowed(unchanged, listener):
    """The control: with --allow-service the query really calls out, so hits == 0 above means something."""
    r = CliRunner().invoke(
        cli,
        [
            "--store",
            str(unchanged),
            "sparql",
            f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
            "--allow-service",
            "--timeout",
            "5",
        ],
        catch_exceptions=False,
    )
    assert r.exit_code == 1
    assert listener.hits >= 1


def test_the_catalogue_has_one_test_per_input():
    assert len({c.id for c in CATALOGUE}) == len(CATALOGUE) >= 25
