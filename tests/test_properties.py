"""Property-based tests (hypothesis): text normalization, name resolution, and the two round trips.

* text: ``normalize`` is idempotent and keeps every CJK ideograph in order; every output
  character of ``normalize_with_offsets`` / ``match_key_with_offsets`` comes from the raw
  character its offset names; any slice of a text is found again by ``find_quote``;
* names: every unique name, alias, English name and IRI resolves to its entity, also when
  written with spaces, full-width letters, quotation marks, invisible marks or
  traditional characters; anything else is NotFound or Ambiguous, never another error;
  the on-disk index (names.sqlite) answers exactly as the in-memory one;
* facts → RDF → facts: a generated facts file, loaded, compiled and decompiled
  (:mod:`kg.decompile`), is the file again;
* RDF → property graph → RDF (:mod:`kg.pg`): the same triples, for literals in canonical
  lexical form (``007``^^xsd:integer comes back as ``7``).

``python scripts/fuzz.py`` runs the facts loader and the normalizer on many more inputs.
"""

from __future__ import annotations

import string
import tempfile
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.text import find_quote, match_key, match_key_with_offsets, name_key, normalize, normalize_with_offsets

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# ---------------------------------------------------------------------------- text

HANZI = (
    "园区企业联盟党建共同体青海大学西宁生物科技产业商会管委会孵化器加速器众创空间藏药集团有限公司"
    "紅領寧商黨建體園區學會機關與為這個們來對時說發經過會"
)  # traditional ones too
PUNCT = "。，、；：！？“”‘’《》（）—…·「」『』"
WIDE = "ＡＢＣａｂｃ０１２３４５６７８９　（）"
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff"
SPACES = " \t\n\n\r\n\u3000\u00a0"
RARE = "\u3400\u4dbf\U00020000\U0002a6d6\uf900\ufa2d"  # extension A, B, compatibility ideographs
EMOJI = "🎓🎉👨‍👩‍👧"

raw_text = st.text(
    alphabet=st.sampled_from(
        HANZI + PUNCT + WIDE + INVISIBLE + SPACES + RARE + EMOJI + string.ascii_letters + string.digits + ".,-'\""
    )
    | st.characters(blacklist_categories=("Cs",)),
    max_size=120,
)


@st.composite
def ocr_text(draw) -> str:
    """Lines of text with the debris of OCR'd pages: page codes, blank lines, indents, breaks mid-word."""
    lines = draw(
        st.lists(
            st.one_of(
                raw_text, st.sampled_from(["07A", " 12 ", "3", "", "　　", "  "]), raw_text.map(lambda t: "　　" + t)
            ),
            max_size=8,
        )
    )
    return draw(st.sampled_from(["\n", "\r\n", "\n\n"])).join(lines)


def _ideographs(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Lo" and "CJK" in unicodedata.name(c, "")]


@SETTINGS
@given(ocr_text())
def test_normalize_is_idempotent(raw):
    once = normalize(raw)
    assert normalize(once) == once


@SETTINGS
@given(ocr_text())
def test_normalize_never_drops_cjk(raw):
    assert _ideographs(normalize(raw)) == _ideographs(raw)


@SETTINGS
@given(ocr_text())
def test_match_key_keeps_every_ideograph(raw):
    assert len(_ideographs(match_key(raw))) >= len(_ideographs(raw))  # more: NFKC opens 🉀 into 〔本〕


@SETTINGS
@given(ocr_text())
def test_normalize_offsets_point_at_the_raw_character(raw):
    out, offsets = normalize_with_offsets(raw)
    assert len(out) == len(offsets)
    assert offsets == sorted(offsets)
    for ch, i in zip(out, offsets):
        src = raw[i]
        assert ch == src or ch == unicodedata.normalize("NFKC", src) or (ch in " \n" and src.isspace()), (ch, src)


@SETTINGS
@given(ocr_text())
def test_match_key_offsets_point_at_the_raw_character(raw):
    key, offsets = match_key_with_offsets(raw)
    assert len(key) == len(offsets) and offsets == sorted(offsets)
    assert all(ch in match_key(raw[i]) for ch, i in zip(key, offsets))


@SETTINGS
@given(ocr_text(), st.data())
def test_any_slice_is_found_again(raw, data):
    a = data.draw(st.integers(0, len(raw)))
    b = data.draw(st.integers(a, len(raw)))
    quote = raw[a:b]
    assume(match_key(quote))
    span = find_quote(raw, quote)
    assert span is not None
    assert match_key(quote) in match_key(raw[span[0] : span[1]])


# ---------------------------------------------------------------------------- names

name = st.text(alphabet=st.sampled_from(HANZI + "ABCxyz·"), min_size=1, max_size=8)


@st.composite
def entities(draw):
    n = draw(st.integers(1, 12))
    out = []
    for i in range(n):
        aliases = draw(st.lists(name, max_size=3, unique=True))
        en = draw(
            st.one_of(
                st.none(), st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=12).filter(str.strip)
            )
        )
        out.append(
            {
                "iri": f"https://w3id.org/park-kg/id/org/e{i}",
                "id": f"org/e{i}",
                "name": draw(name),
                "name_en": en,
                "aliases": aliases,
                "types": ["Organization"],
            }
        )
    return out


def _all_names(ents):
    return [n for e in ents for n in (e["name"], *e["aliases"], e["name_en"] or "") if n]


def _disguise(text: str, how: int) -> str:
    """The same name as people and OCR write it: spaced, full-width, quoted, with invisible marks, in traditional
    characters."""
    if how == 0:
        return " ".join(text)
    if how == 1:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    if how == 2:
        return f"“{text}”"
    if how == 3:
        return "\u200b".join(text) + "\u202e"
    return text.replace("园", "園").replace("区", "區").replace("业", "業").replace("联", "聯").replace("学", "學")


@SETTINGS
@given(entities(), st.integers(0, 4))
def test_unique_names_resolve_to_their_entity_however_written(ents, how):
    from kg.errors import Ambiguous
    from kg.model.names import NameIndex

    index = NameIndex(ents)
    keys = [name_key(n) for n in _all_names(ents)]
    for e in ents:
        assert index.resolve(e["iri"]).id == e["id"] and index.resolve(e["id"]).id == e["id"]
        assert index.resolve(f"<{e['iri']}>").id == e["id"]
        for n in (e["name"], *e["aliases"], e["name_en"]):
            if not n or not n.strip():
                continue
            if keys.count(name_key(n)) == 1:
                assert index.resolve(n).id == e["id"]
                assert index.resolve(_disguise(n, how)).id == e["id"], _disguise(n, how)
            else:
                try:
                    got = index.resolve(n)
                except Ambiguous as err:
                    assert len(err.candidates) > 1
                else:  # an exact level can be unique where the normalized one is not
                    assert n in (got.name, *got.aliases, got.name_en)


@SETTINGS
@given(entities(), st.text(max_size=20))
def test_anything_typed_resolves_or_fails_cleanly(ents, typed):
    from kg.errors import Ambiguous, NotFound
    from kg.model.names import NameIndex

    index = NameIndex(ents)
    try:
        got = index.resolve(typed)
    except NotFound as e:
        assert set(e.suggestions) <= set(_all_names(ents)) and len(e.suggestions) <= 5
    except Ambiguous as e:
        assert len(e.candidates) > 1
    else:
        assert got.iri in {e["iri"] for e in ents}


@SETTINGS
@given(entities(), st.lists(st.one_of(name, st.text(max_size=10)), max_size=6))
def test_the_name_database_answers_like_the_index(ents, typed):
    """names.sqlite (what a built store reads) and the in-memory NameIndex agree on every answer and error."""
    from kg.errors import KgError
    from kg.model.names import NameIndex
    from kg.stores.namedb import DiskNames, write_names_db

    def answer(index, text):
        try:
            return index.resolve(text).iri
        except KgError as e:
            return str(e)

    memory = NameIndex(ents)
    with tempfile.TemporaryDirectory() as d:
        write_names_db(Path(d) / "names.sqlite", ents)
        disk = DiskNames(Path(d) / "names.sqlite")
        for text in [*_all_names(ents), *typed]:
            assert answer(disk, text) == answer(memory, text)


# ---------------------------------------------------------------------------- facts -> RDF -> facts

WORD = st.text(alphabet=st.sampled_from(HANZI), min_size=2, max_size=6)
SLUG = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True)
ENGLISH = st.text(alphabet=string.ascii_letters + " .,&()'-", min_size=1, max_size=30).filter(
    lambda s: s.strip() == s and s
)
NOTE = st.text(alphabet=st.sampled_from(HANZI + PUNCT + string.ascii_letters + " "), min_size=1, max_size=40).filter(
    lambda s: s.strip()
)
DATE = st.one_of(
    st.integers(1990, 2030), st.dates().map(lambda d: d.isoformat()[:7]), st.dates().map(lambda d: d.isoformat())
)


@st.composite
def facts_file(draw):
    """(source text, facts dict) where every name and quote occurs in the text."""
    from kg.facts import KINDS, MEASURES, QUALIFIERS, STATUSES
    from kg.model import terms as vocab

    words = draw(
        st.lists(WORD, min_size=8, max_size=30, unique_by=match_key).filter(
            lambda ws: not any(match_key(a) in match_key(b) for a in ws for b in ws if a != b)
        )
    )
    breaks = draw(st.lists(st.integers(0, 10_000), max_size=5))
    text = "。".join(words) + "。"
    for b in sorted(breaks, reverse=True):  # OCR line breaks, even inside words
        text = text[: b % len(text)] + "\n" + text[b % len(text) :]
    quote = st.sampled_from(words)
    n = draw(st.integers(2, min(8, len(words) - 1)))
    classes = sorted(c for c in vocab.ENTITY_CLASSES if c != "IncubationChain")
    entities, used_ids = [], set()
    for i in range(n):
        eid = f"{draw(st.sampled_from(sorted(KINDS - {'chain'})))}/{draw(SLUG)}"
        assume(eid not in used_ids)
        used_ids.add(eid)
        e = {
            "id": eid,
            "type": draw(
                st.one_of(
                    st.sampled_from(classes), st.lists(st.sampled_from(classes), min_size=2, max_size=3, unique=True)
                )
            ),
            "name": words[i],
        }
        if draw(st.booleans()):
            e["name_en"] = draw(ENGLISH)
        if draw(st.booleans()):
            e["aliases"] = draw(st.lists(st.sampled_from(words[n:]), max_size=2, unique=True))
        if draw(st.booleans()):
            e["note"] = draw(NOTE)
        e["quote"] = draw(st.one_of(quote, st.lists(quote, min_size=2, max_size=3, unique=True)))
        entities.append(e)
    ids = [e["id"] for e in entities]
    facts = {"entities": entities}
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.sampled_from(STATUSES)), max_size=5, unique=True
        )
    )
    facts["memberships"] = [
        {
            "member": m,
            "organization": o,
            "status": s,
            "quote": draw(quote),
            **({"date": draw(DATE)} if draw(st.booleans()) else {}),
            **({"role": draw(WORD)} if draw(st.booleans()) else {}),
            **({"note": draw(NOTE)} if draw(st.booleans()) else {}),
        }
        for m, o, s in pairs
    ]
    predicates = sorted(vocab.RELATION_PROPERTIES)
    rels = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ids), st.sampled_from(predicates), st.sampled_from(ids), st.sampled_from(STATUSES), WORD
            ),
            max_size=5,
            unique_by=lambda r: (r[0], r[1], r[2] if r[1] not in vocab.LITERAL_RELATIONS else r[4], r[3]),
        )
    )
    facts["relations"] = []
    for s, p, o, status, value in rels:
        r = {
            "subject": s,
            "predicate": p,
            **({"value": value} if p in vocab.LITERAL_RELATIONS else {"object": o}),
            "quote": draw(quote),
        }
        if status != "active" or draw(st.booleans()):
            r["status"] = status
        if draw(st.booleans()):
            r["date"] = draw(DATE)
        facts["relations"].append(r)
    if draw(st.booleans()):  # one chain: its quote is its entity's (see kg.decompile)
        chain_quote = draw(quote)
        entities.append({"id": "chain/c", "type": "IncubationChain", "name": words[n], "quote": chain_quote})
        facts["chains"] = [
            {
                "chain": "chain/c",
                "stages": draw(st.lists(st.sampled_from(ids), min_size=2, max_size=4, unique=True)),
                "quote": chain_quote,
            }
        ]
    inds = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ids),
                WORD,
                st.one_of(
                    st.integers(-(10**12), 10**12), st.floats(-1e12, 1e12, allow_nan=False).map(lambda f: round(f, 6))
                ),
            ),
            max_size=4,
            unique_by=lambda t: (t[0], t[1]),
        )
    )
    facts["indicators"] = []
    for about, metric, value in inds:
        i = {
            "about": about,
            "metric": metric,
            "measure": draw(st.sampled_from(MEASURES)),
            "value": value,
            "unit": draw(st.sampled_from(["人", "家", "亿元", "%", "件"])),
            "quote": draw(quote),
        }
        if draw(st.booleans()):
            i["qualifier"] = draw(st.sampled_from(QUALIFIERS))
        for key, strat in (
            ("metric_en", ENGLISH),
            ("period", WORD),
            ("period_start", DATE),
            ("period_end", DATE),
            ("note", NOTE),
        ):
            if draw(st.booleans()):
                i[key] = draw(strat)
        facts["indicators"].append(i)
    return text, facts


@SETTINGS
@given(facts_file())
def test_facts_to_rdf_to_facts(doc):
    from kg.build import compile_facts
    from kg.decompile import canonical, decompile
    from kg.facts import load_facts

    text, facts = doc
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        (root / "facts").mkdir()
        (root / "sources").mkdir()
        (root / "sources" / "doc.txt").write_text(text, encoding="utf-8")
        (root / "sources" / "doc.meta.yaml").write_text("id: generated-doc\ntitle: 生成\n", encoding="utf-8")
        (root / "facts" / "doc.yaml").write_text(
            yaml.safe_dump({"source": "doc", **facts}, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        loaded = load_facts(root / "facts")
        back = decompile(compile_facts(loaded))
    assert list(back) == ["generated-doc"]
    assert canonical(back["generated-doc"]) == canonical(facts)


def test_the_seed_facts_round_trip(store):
    """The curated seed: what `kg build` stored decompiles to the YAML the curators wrote."""
    from conftest import SEED_STEM, SEEDS

    from kg.decompile import canonical, decompile

    written = yaml.safe_load((SEEDS / "facts" / f"{SEED_STEM}.yaml").read_text(encoding="utf-8"))
    back = decompile(store.data_quads())
    assert canonical(back["xnbio-2024-07a"]) == canonical(written)
    assert sum(len(v) for v in canonical(written).values()) > 150


# ---------------------------------------------------------------------------- RDF -> property graph -> RDF

XSD = "http://www.w3.org/2001/XMLSchema#"
LOCAL = st.sampled_from(
    [
        "name",
        "label",
        "x",
        "x_dt",
        "iri",
        "types",
        "aliases",
        "name_zh",
        "1st",
        "a-b",
        "a.b",
        "中文",
        "memberOf",
        "quote",
    ]
)
NS = st.sampled_from(
    [
        "https://w3id.org/park-kg/ontology#",
        "http://example.org/",
        "http://example.org/other/",
        "http://www.w3.org/2004/02/skos/core#",
    ]
)


@st.composite
def literal(draw, kind: str):
    import pyoxigraph as ox

    if kind == "lang":
        return ox.Literal(draw(st.text(max_size=12)), language=draw(st.sampled_from(["zh", "en", "zh-Hans", "fr"])))
    if kind == "string":
        return ox.Literal(draw(st.text(max_size=12)))
    if kind == "integer":
        return ox.Literal(str(draw(st.integers(-(10**15), 10**15))), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "boolean":
        return ox.Literal(draw(st.sampled_from(["true", "false"])), datatype=ox.NamedNode(XSD + "boolean"))
    if kind == "double":
        return ox.Literal(
            repr(draw(st.floats(allow_nan=False, allow_infinity=False))), datatype=ox.NamedNode(XSD + "double")
        )
    dt = {"decimal": "decimal", "year": "gYear", "date": "date"}[kind]
    lex = {
        "decimal": st.decimals(-(10**6), 10**6, places=3).map(str),
        "year": st.integers(1900, 2100).map(str),
        "date": st.dates().map(str),
    }[kind]
    return ox.Literal(draw(lex), datatype=ox.NamedNode(XSD + dt))


@st.composite
def rdf_graph(draw):
    import pyoxigraph as ox

    from kg.model.terms import CLASSES

    subjects = [ox.NamedNode(f"https://w3id.org/park-kg/id/x/n{i}") for i in range(draw(st.integers(1, 6)))] + [
        ox.BlankNode(f"b{i}") for i in range(draw(st.integers(0, 2)))
    ]
    outside = [ox.NamedNode("https://w3id.org/park-kg/ontology#active"), ox.NamedNode("http://example.org/elsewhere")]
    kinds = ["lang", "string", "integer", "boolean", "double", "decimal", "year", "date"]
    # each predicate carries one kind of object, as in the compiled graph
    preds = {
        f"{draw(NS)}{draw(LOCAL)}": draw(st.sampled_from(["node", "iri"] + kinds))
        for _ in range(draw(st.integers(1, 6)))
    }
    triples = set()
    for _ in range(draw(st.integers(1, 25))):
        s = draw(st.sampled_from(subjects))
        p, kind = draw(st.sampled_from(sorted(preds.items())))
        o = (
            draw(st.sampled_from(subjects))
            if kind == "node"
            else draw(st.sampled_from(outside))
            if kind == "iri"
            else draw(literal(kind))
        )
        triples.add(ox.Triple(s, ox.NamedNode(p), o))
    for s in subjects:
        for c in draw(st.lists(st.sampled_from([*sorted(CLASSES)[:6], "Unknown"]), max_size=2, unique=True)):
            iri = f"https://w3id.org/park-kg/ontology#{c}" if c != "Unknown" else "http://example.org/Unknown"
            triples.add(
                ox.Triple(s, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(iri))
            )
    return triples


@SETTINGS
@given(rdf_graph())
def test_rdf_to_property_graph_and_back(triples):
    from kg.pg import to_property_graph, to_triples

    pg = to_property_graph(triples)
    back = set(to_triples(pg.nodes.values(), pg.rels, pg.schema))
    assert back == triples
    assert all(labels[0] == "Resource" for labels in pg.labels.values())
    assert {k for n in pg.nodes.values() for k in n} <= {e["key"] for e in pg.schema if e["kind"] == "prop"} | {
        "iri",
        "types",
    } | {e["key"] + "_dt" for e in pg.schema if e["kind"] == "prop"}


@pytest.mark.parametrize("lexical,back", [("007", "7"), ("+5", "5"), ("1E3", "1000.0")])
def test_non_canonical_numbers_come_back_canonical(lexical, back):
    """The known limit of the mapping: a number is stored as a number, so its spelling is not kept."""
    import pyoxigraph as ox

    from kg.pg import to_property_graph, to_triples

    dt = XSD + ("double" if "E" in lexical else "integer")
    t = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(lexical, datatype=ox.NamedNode(dt)))
    pg = to_property_graph([t])
    (got,) = to_triples(pg.nodes.values(), pg.rels, pg.schema)
    assert got.object.value == back and got.object.datatype.value == dt
