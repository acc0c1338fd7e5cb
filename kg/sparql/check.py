"""Checking a query before it runs: its form, Update/SERVICE/LOAD refusals, nesting, and parser errors made short."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model.terms import PREFIXES
from kg.sparql.errors import QueryRefused, QuerySyntaxError

__all__ = ["Query", "check", "syntax_error", "keywords", "nesting", "QUERY_FORMS", "MAX_NESTING"]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_PROLOGUE_WORDS = {"PREFIX", "BASE", "VERSION"}
#: deepest nesting of (), [] and {} accepted: Oxigraph's recursive parser overflows its stack at a few thousand
MAX_NESTING = 500

# Strings, IRIs and comments are skipped so that only the query's own words are looked at.
_LEX = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n\r]*)'
    r"|(?P<word>(?<![\w:?$@\-])[A-Za-z]+(?![\w:\-]))",
    re.S,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Query:
    """A checked query text: its form (SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or '' if unknown)."""

    text: str
    form: str
    uses_service: bool

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def keywords(text: str) -> list[str]:
    # SPARQL applies \u escapes before parsing, so a keyword could be spelled with them
    text = _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), text)
    return [m["word"].upper() for m in _LEX.finditer(text) if m["word"]]


def check(text: str, *, allow_update: bool = False, allow_service: bool = False) -> Query:
    """Classify ``text``; refuse an Update unless ``allow_update``, SERVICE or LOAD (the network) unless
    ``allow_service``.

    >>> check("SELECT ?s WHERE { ?s a park:Company }").form
    'SELECT'
    >>> check('PREFIX ex: <http://ex/select> ASK { ?s ex:p "INSERT" }').form
    'ASK'
    >>> check("INSERT DATA { <a> <b> <c> }").form  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.sparql.errors.QueryRefused: SPARQL Update is refused: this graph is read-only ...
    """
    if not text.strip():
        raise QuerySyntaxError("the query is empty")
    if bad := re.search("[\ud800-\udfff]", text):  # bytes that were not UTF-8 (surrogateescape)
        raise QuerySyntaxError(
            f"the query is not UTF-8 text: an undecodable byte at character {bad.start() + 1}; save it as UTF-8")
    if nesting(text) > MAX_NESTING:
        raise QuerySyntaxError(f"the query nests brackets more than {MAX_NESTING} deep; flatten it")
    words = keywords(text)
    first = next((w for w in words if w not in _PROLOGUE_WORDS), "")
    form = first if first in QUERY_FORMS else "UPDATE" if first in _UPDATE_WORDS else ""
    service = "SERVICE" in words
    if form == "UPDATE" and not allow_update:
        raise QueryRefused(
            "SPARQL Update is refused: this graph is read-only "
            "(it is compiled from the facts; edit seeds/facts and run kg build)"
        )
    if service and not allow_service:
        raise QueryRefused(
            "SERVICE is refused: queries may not call other endpoints (start with --allow-service to permit it)")
    if "LOAD" in words and not allow_service:
        raise QueryRefused(
            "LOAD is refused: it would fetch a document from the network (start with --allow-service to permit it)")
    return Query(text, form, service)


def nesting(text: str) -> int:
    """The deepest nesting of brackets outside strings, IRIs and comments."""
    depth = deepest = 0
    for ch in _LEX.sub(lambda m: " " if m["skip"] else m[0], text):
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest


_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def syntax_error(text: str, message: str) -> QuerySyntaxError:
    """Oxigraph's ``error at L:C: expected …`` as a short :class:`QuerySyntaxError`.

    >>> oxigraph_says = "error at 1:23: expected one of \\".\\", [_]"
    >>> print(syntax_error("SELECT * { ?s id:doc/x ?o }", oxigraph_says))  # doctest: +NORMALIZE_WHITESPACE
    line 1, column 23: expected one of "." — near "?o }" (a prefixed name cannot contain '/':
    write the full <IRI> or escape it, e.g. id:doc\\/x)
    """
    m = _POSITION.match(message)
    if not m:
        return QuerySyntaxError(" ".join(message.split()))
    line, col, detail = int(m[1]), int(m[2]), m[3]
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in detail:
        declared = set(PREFIXES) | set(re.findall(r"PREFIX\s+([\w.\-]*):", text, re.I))
        used = [p for p in re.findall(r"(?<![\w?$<])([A-Za-z][\w.\-]*)?:", src[: col]) if p not in declared]
        msg = (f"undeclared prefix {used[-1] if used else ''}: (declared: {', '.join(sorted(PREFIXES))}; "
               "add a PREFIX line for others)")
        return QuerySyntaxError(msg, line, col)
    msg = _expected(detail)
    near = src[col - 1 : col + 19].strip() if col - 1 < len(src) else ""
    msg += f' — near "{near}"' if near else " — at the end of the line"
    if re.search(r"(?<![\w?$<])[A-Za-z][\w\-]*:[\w.\-]*/", src):
        msg += " (a prefixed name cannot contain '/': write the full <IRI> or escape it, e.g. id:doc\\/x)"
    return QuerySyntaxError(msg, line, col)


def _expected(detail: str) -> str:
    """Keep the token names of an 'expected one of …' list, drop character classes."""
    head, _, items = detail.partition("expected one of ")
    if not items:
        return " ".join(detail.split())
    tokens = [t for t in re.findall(r'"[^"]*"|[A-Za-z_][\w]*', re.sub(r"\[[^\]]*\]", "", items))]
    shown = ", ".join(tokens[:8]) + (", …" if len(tokens) > 8 else "")
    return (head + "expected one of " + shown) if tokens else (head + "unexpected character").strip()
