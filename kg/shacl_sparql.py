"""SHACL shapes compiled to SPARQL queries that Oxigraph runs over a whole graph at once.

Each shape becomes a few queries that return its violations for every focus node in one
pass, where pySHACL walks the focus nodes one by one in Python. Covered: targets
``sh:targetClass`` and ``sh:targetSubjectsOf``; paths that are an IRI or ``sh:inversePath``;
``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:in``,
``sh:minInclusive`` / ``sh:maxInclusive`` / ``sh:minExclusive`` / ``sh:maxExclusive``,
``sh:languageIn``, ``sh:pattern``, ``sh:uniqueLang``, ``sh:or``, ``sh:qualifiedValueShape``,
``sh:lessThan``, ``sh:lessThanOrEquals`` and SPARQL-based constraints (``sh:sparql``) whose
query gives the same answer run once for all focus nodes (it projects ``$this``; no other
pre-bound variable, no LIMIT, OFFSET, VALUES, MINUS or SERVICE). A shape that uses anything
else — another target, a parameter where its kind of shape has none (``sh:minCount`` on a node
shape, ``sh:path`` inside ``sh:or``), a datatype Oxigraph cannot check — is refused with
:class:`UnsupportedShape`, never skipped.

Results are :class:`Violation` records with the focus node, the shape, the English message
and the path as pySHACL reports them; ``tests/test_shacl_sparql.py`` holds the two to the
same results on every example of ``ontology/examples/``, the seed graph and a mutated
synthetic graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError

__all__ = ["Check", "Violation", "UnsupportedShape", "compile_shapes", "run_checks"]

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
INSTANCE = f"<{RDF}type>/<{RDFS}subClassOf>*"
# Constraints on each value node, as a SPARQL expression over ?v that is true when the value conforms.
_NODE_KINDS = {"IRI": "isIRI(?v)", "Literal": "isLiteral(?v)", "BlankNode": "isBlank(?v)",
               "BlankNodeOrIRI": "(isBlank(?v) || isIRI(?v))", "BlankNodeOrLiteral": "(isBlank(?v) || isLiteral(?v))",
               "IRIOrLiteral": "(isIRI(?v) || isLiteral(?v))"}
_RANGES = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
_PAIRS = {"lessThan": "<", "lessThanOrEquals": "<="}
# What else a shape may hold besides the value-node constraints of _conditions, by where the shape is; anything
# more is refused (no sh:severity, sh:deactivated: every result is a violation).
_NOTES = {"message", "name", "description", "order", "group", "flags"}
_TARGETS = {"targetClass", "targetSubjectsOf"}
_NODE = _NOTES | _TARGETS | {"property", "sparql"}
_PROPERTY = _NOTES | _TARGETS | {"path", "minCount", "maxCount", "qualifiedValueShape", "qualifiedMinCount",
                                 "qualifiedMaxCount", "uniqueLang", *_PAIRS}
_NESTED = _NOTES  # a member of sh:or, a sh:qualifiedValueShape: constraints on the value node only
_SINGLE = ("path", "minCount", "maxCount", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount",
           "uniqueLang", "flags")  # read as one value each
# Datatypes whose lexical forms Oxigraph can check (it has a cast function for them)
_CASTS = {XSD + t for t in ("boolean", "decimal", "integer", "float", "double", "date", "time", "dateTime",
                            "duration", "dayTimeDuration", "yearMonthDuration", "gYear", "gYearMonth", "gMonth",
                            "gMonthDay", "gDay")}
# pre-bound variables, result variables (?path, ?failure) and clauses a query for all focus nodes at once would change
_UNSAFE_SELECT = re.compile(r"[?$](currentShape|shapesGraph|path|failure)\b|\b(LIMIT|OFFSET|VALUES|MINUS|SERVICE)\b",
                            re.I)


class UnsupportedShape(KgError, ValueError):
    """The shapes use a SHACL feature this translation does not cover (`kg build` says so in one line)."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result: focus node, source shape, English message, path (as text)."""

    focus: str
    shape: str
    message: str
    path: str | None = None

    def line(self) -> str:
        """The result as the build reports it: ``  <focus> (path) message``."""
        return f"  <{self.focus}> {('(' + self.path + ') ') if self.path else ''}{self.message or 'violation'}"


@dataclass(frozen=True, slots=True)
class Check:
    """One SPARQL query for one shape: each solution is a violation (or several, see ``flags``).

    ``flags`` name boolean columns (one per constraint that a row may break) and ``counts``
    give ``(column, min, max)`` bounds checked on a grouped count; ``template`` marks a
    SPARQL-based constraint whose message takes the row's bindings.
    """

    shape: str
    messages: tuple[str, ...]
    path: str | None
    query: str
    flags: tuple[str, ...] = ()
    counts: tuple[tuple[str, int | None, int | None], ...] = ()
    template: bool = False

    def violations(self, rows: Iterable[ox.QuerySolution]) -> Iterator[Violation]:
        """The violations of ``rows``, the solutions of :attr:`query`."""
        message = "; ".join(self.messages)
        for row in rows:
            focus = row["this"]
            if not isinstance(focus, ox.NamedNode):
                continue
            n = 1 if not (self.flags or self.counts) else 0
            n += sum(1 for f in self.flags if row[f] is not None and row[f].value == "false")
            for col, lo, hi in self.counts:
                got = int(row[col].value)
                n += (lo is not None and got < lo) + (hi is not None and got > hi)
            text = _substitute(message, row) if self.template else message
            yield from [Violation(focus.value, self.shape, text, self.path)] * n


def _substitute(message: str, row: ox.QuerySolution) -> str:
    """pySHACL's message templates: ``{?var}`` / ``{$var}`` become the lexical value of the binding."""
    for var in re.findall(r"\{[?$](\w+)\}", message):
        if (term := row[var]) is not None:
            message = re.sub("{[?$]%s}" % var, term.value.replace("\\", "\\\\"), message)
    return message


class _Shapes:
    """The shapes graph as an index: (subject, predicate IRI) → objects."""

    def __init__(self, triples: Iterable[ox.Triple]):
        self.index: dict[tuple, list] = {}
        for t in triples:
            self.index.setdefault((t.subject, t.predicate.value), []).append(t.object)

    def all(self, node, pred: str) -> list:
        return self.index.get((node, pred), [])

    def one(self, node, pred: str):
        values = self.all(node, pred)
        return values[0] if values else None

    def sh(self, node) -> dict[str, list]:
        return {p.removeprefix(SH): objs for (s, p), objs in self.index.items() if s == node and p.startswith(SH)}

    def items(self, head) -> list:
        out = []
        while head is not None and head != ox.NamedNode(RDF + "nil"):
            out.append(self.one(head, RDF + "first"))
            head = self.one(head, RDF + "rest")
        return out

    def subjects(self, pred: str, obj=None) -> list:
        return sorted({s for (s, p), objs in self.index.items() if p == pred and (obj is None or obj in objs)}, key=str)

    def english(self, node) -> tuple[str, ...]:
        msgs = self.all(node, SH + "message")
        return tuple(m.value for m in msgs if isinstance(m, ox.Literal) and m.language in (None, "en"))


def _term(t) -> str:
    return str(t)  # N-Triples / SPARQL syntax


def _conditions(g: _Shapes, node, var: str = "?v", allowed: set[str] = _NESTED) -> list[tuple[str, str]]:
    """(component, SPARQL expression true when ``var`` conforms) for each value-node constraint of ``node``;
    ``allowed`` names the other parameters it may have (a shape's kind), whatever else it has is refused."""
    out = []
    for comp, objs in g.sh(node).items():
        for o in objs:
            if comp == "class":
                out.append((comp, f"EXISTS {{ {var} {INSTANCE} {_term(o)} }}"))
            elif comp == "datatype":
                out.append((comp, _datatype(o, var)))
            elif comp == "nodeKind":
                out.append((comp, _NODE_KINDS[o.value.removeprefix(SH)].replace("?v", var)))
            elif comp == "in":
                alts = " || ".join(f"sameTerm({var}, {_term(x)})" for x in g.items(o)) or "false"
                out.append((comp, f"({alts})"))
            elif comp in _RANGES:
                out.append((comp, f"({var} {_RANGES[comp]} {_term(o)})"))
            elif comp == "languageIn":
                tags = " || ".join(f'langMatches(lang({var}), "{x.value}")' for x in g.items(o))
                out.append((comp, f"(isLiteral({var}) && ({tags or 'false'}))"))
            elif comp == "pattern":
                flags = g.one(node, SH + "flags")
                args = f"str({var}), {_term(o)}" + (f", {_term(flags)}" if flags else "")
                out.append((comp, f"(!isBlank({var}) && regex({args}))"))
            elif comp == "or":
                alts = [" && ".join(e for _c, e in _conditions(g, alt, var)) or "true" for alt in g.items(o)]
                out.append((comp, "(" + (" || ".join(f"({a})" for a in alts) or "false") + ")"))
            elif comp not in allowed:
                raise UnsupportedShape(f"sh:{comp} (on {node}) is not translated to SPARQL")
    return out


def _datatype(dt: ox.NamedNode, var: str) -> str:
    """Literal of datatype ``dt`` whose lexical form is valid for it (an ill-typed literal does not conform)."""
    check = f"(isLiteral({var}) && datatype({var}) = {_term(dt)})"
    if dt.value in (XSD + "string", RDF + "langString"):
        return check
    if dt.value not in _CASTS:
        raise UnsupportedShape(f"sh:datatype {dt}: Oxigraph cannot check its lexical forms")
    return f"({check} && isLiteral({_term(dt)}({var})))"  # casting an ill-formed lexical form is an error


def _targets(g: _Shapes, shape) -> str | None:
    for other in ("targetNode", "targetObjectsOf"):
        if g.all(shape, SH + other):
            raise UnsupportedShape(f"sh:{other} (on {shape}) is not translated to SPARQL")
    if {ox.NamedNode(RDFS + "Class"), ox.NamedNode(OWL + "Class")} & set(g.all(shape, RDF + "type")):
        raise UnsupportedShape(f"{shape} is a class and a shape: implicit class targets are not translated to SPARQL")
    alts = [f"{{ ?this {INSTANCE} {_term(c)} }}" for c in g.all(shape, SH + "targetClass")]
    alts += [f"{{ ?this {_term(p)} [] }}" for p in g.all(shape, SH + "targetSubjectsOf")]
    return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(alts)} }} }}" if alts else None


def _path(g: _Shapes, path) -> tuple[str, str]:
    """(SPARQL path, path as a report shows it) of a predicate IRI or an ``sh:inversePath``."""
    if isinstance(path, ox.NamedNode):
        return _term(path), path.value
    inverse = g.one(path, SH + "inversePath")
    if isinstance(inverse, ox.NamedNode) and len(g.index.get((path, SH + "inversePath"), [])) == 1:
        return f"^{_term(inverse)}", f"^{inverse.value}"
    raise UnsupportedShape(f"only predicate and inverse paths are translated to SPARQL, not {path}")


def _property_checks(g: _Shapes, shape, targets: str) -> list[Check]:
    """The checks of a property shape applied to the focus nodes that ``targets`` binds to ?this."""
    spec = g.sh(shape)
    if several := [k for k in _SINGLE if len(spec.get(k, ())) > 1]:
        raise UnsupportedShape(f"sh:{several[0]} (on {shape}) has more than one value: only one is translated")
    path, shown = _path(g, g.one(shape, SH + "path"))
    msgs = g.english(shape)
    values = f"?this {path} ?v ."
    out = []
    conds = _conditions(g, shape, allowed=_PROPERTY)
    if conds:
        cols = [f"(COALESCE({e}, false) AS ?c{i})" for i, (_c, e) in enumerate(conds)]
        broken = " || ".join(f"!?c{i}" for i in range(len(conds)))
        pairs = f"SELECT DISTINCT ?this ?v WHERE {{ {targets} {values} }}"
        q = f"SELECT ?this ?v {' '.join(cols)} WHERE {{ {{ {pairs} }} }}"
        out.append(Check(shape.value, msgs, shown, f"SELECT * WHERE {{ {{ {q} }} FILTER ({broken}) }}",
                         flags=tuple(f"c{i}" for i in range(len(conds)))))
    lo, hi = (int(spec[k][0].value) if k in spec else None for k in ("minCount", "maxCount"))
    if lo is not None or hi is not None:
        out.append(_count_check(shape, msgs, shown, targets, values, "", lo, hi))
    if "qualifiedValueShape" in spec:
        expr = " && ".join(e for _c, e in _conditions(g, spec["qualifiedValueShape"][0])) or "true"
        qlo, qhi = (int(spec[k][0].value) if k in spec else None for k in ("qualifiedMinCount", "qualifiedMaxCount"))
        out.append(_count_check(shape, msgs, shown, targets, values, f"FILTER (COALESCE({expr}, false))", qlo, qhi))
    if spec.get("uniqueLang") and spec["uniqueLang"][0].value == "true":
        q = (f"SELECT DISTINCT ?this ?lang WHERE {{ {targets} ?this {path} ?v , ?w . FILTER (!sameTerm(?v, ?w)) "
             f'BIND (lang(?v) AS ?lang) FILTER (?lang != "" && ?lang = lang(?w)) }}')
        out.append(Check(shape.value, msgs, shown, q))
    for comp, op in _PAIRS.items():
        for other in spec.get(comp, []):
            q = (f"SELECT DISTINCT ?this ?v ?w WHERE {{ {targets} {values} ?this {_term(other)} ?w . "
                 f"FILTER (!COALESCE(?v {op} ?w, false)) }}")
            out.append(Check(shape.value, msgs, shown, q))
    return out


def _count_check(shape, msgs, shown, targets, values, where, lo, hi) -> Check:
    n = "COUNT(DISTINCT ?v)"
    bounds = (f"{n} < {lo}" if lo is not None else "", f"{n} > {hi}" if hi is not None else "")
    having = " || ".join(x for x in bounds if x)
    q = (f"SELECT ?this ({n} AS ?n) WHERE {{ {targets} OPTIONAL {{ {values} {where} }} }} "
         f"GROUP BY ?this HAVING ({having})")
    return Check(shape.value, msgs, shown, q, counts=(("n", lo, hi),))


def _sparql_checks(g: _Shapes, shape, targets: str) -> list[Check]:
    out = []
    for c in g.all(shape, SH + "sparql"):
        select = _select(g, c)
        prefixes = "".join(
            f"PREFIX {g.one(d, SH + 'prefix').value}: <{g.one(d, SH + 'namespace').value}>\n"
            for p in g.all(c, SH + "prefixes") for d in g.all(p, SH + "declare"))
        q = f"{prefixes}SELECT DISTINCT * WHERE {{ {targets} {{ {select} }} }}"  # $this and ?this are one variable
        # pySHACL gives a SPARQL result the constraint's messages and the shape's, each language tag dropped
        messages = [m.value for m in g.all(c, SH + "message") + g.all(shape, SH + "message")]
        out.append(Check(shape.value, tuple(dict.fromkeys(messages)), None, q, template=True))
    return out


def _select(g: _Shapes, constraint) -> str:
    """The query of a SPARQL-based constraint, if running it once for all focus nodes gives its results."""
    if set(g.sh(constraint)) - {"select", "message", "prefixes"} or g.one(constraint, SH + "select") is None:
        raise UnsupportedShape(f"only sh:select, sh:message and sh:prefixes are translated on {constraint}")
    select = g.one(constraint, SH + "select").value
    head = re.match(r"\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE\b|\{)", select, re.I | re.S)
    if head is None or not (head[1] == "*" or re.search(r"[?$]this\b", head[1])):
        raise UnsupportedShape(f"the sh:select of {constraint} must begin with SELECT and project $this")
    if bad := _UNSAFE_SELECT.search(select):
        raise UnsupportedShape(f"{bad[0]} in the sh:select of {constraint} is not translated to one query "
                               "for all focus nodes")
    return select


def _shape_nodes(g: _Shapes) -> list:
    """Every shape that may have targets: an instance of sh:NodeShape or sh:PropertyShape, or a target's subject."""
    typed = [s for kind in ("NodeShape", "PropertyShape") for s in g.subjects(RDF + "type", ox.NamedNode(SH + kind))]
    targets = ("targetClass", "targetSubjectsOf", "targetNode", "targetObjectsOf")
    targeted = [s for t in targets for s in g.subjects(SH + t)]
    return typed + sorted(set(targeted) - set(typed), key=str)


def compile_shapes(path: Path) -> list[Check]:
    """The checks of every shape with a target in the Turtle file ``path``."""
    g = _Shapes(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    checks = []
    for shape in _shape_nodes(g):
        if (targets := _targets(g, shape)) is None:
            continue
        if g.one(shape, SH + "path") is not None:
            checks += _property_checks(g, shape, targets)
            continue
        checks += [Check(shape.value, g.english(shape), None, f"SELECT ?this ?v WHERE {{ {targets} BIND (?this AS ?v) "
                         f"FILTER (!COALESCE({e}, false)) }}") for _c, e in _conditions(g, shape, "?this", _NODE)]
        for prop in g.all(shape, SH + "property"):
            checks += _property_checks(g, prop, targets)
        checks += _sparql_checks(g, shape, targets)
    return checks


def run_checks(store: ox.Store, checks: list[Check]) -> list[Violation]:
    """Every violation of ``checks`` over the union of the store's graphs."""
    out = []
    for check in checks:
        out += check.violations(store.query(check.query, use_default_graph_as_union=True))
    return out
