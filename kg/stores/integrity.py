"""What a store generation must hold, recorded by ``kg build`` in its manifest, and the checks against it.

A generation is written once and never changed by ``kg build`` again; the manifest records

* ``files``: size, modification time and BLAKE2 digest of every file that no one should
  ever rewrite — the RocksDB tables (``oxigraph/*.sst``: RocksDB writes new tables and
  deletes old ones, it never edits one) and ``names.json``, ``names.sqlite``,
  ``documents.json``, ``edges.json``;
* ``oxigraph``: the name and size of every file of the RocksDB directory but its info log
  and lock: the same list means nothing has written to the store since the build;
* ``graphs``: per named graph, its number of quads and an order-independent digest of them
  (the sum of a 64-bit hash of each quad, modulo 2**64);
* ``checksum``: a SHA-256 of the manifest itself.

:func:`check_files` costs one ``stat`` per recorded file (a digest only for a file whose
size or time changed, e.g. a store copied without its times): every command that opens
the store runs it, so a table with flipped bytes is reported before a query reads it.
When :func:`written_since` says the store was written to after it was built (``kg serve
--writable``, or anything else that opened it for writing), ``kg build`` counts the quads
of each graph (:func:`graph_counts`, in the store: about 1 s at 1M quads) and, when every
count agrees, reads and hashes them (:func:`graph_digests`: 20–30 s at 1M quads).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.errors import storage_errors

__all__ = [
    "IMMUTABLE",
    "record",
    "oxigraph_files",
    "check_files",
    "written_since",
    "graph_digests",
    "graph_digest",
    "graph_counts",
    "compare_graphs",
    "same_content",
    "seal",
    "check_seal",
]

#: the files of a generation besides the RocksDB tables that nothing rewrites
IMMUTABLE = ("names.json", "names.sqlite", "documents.json", "edges.json")
_VOLATILE = ("LOG", "LOCK")  # RocksDB's info log (LOG, LOG.old.*) and lock file change on every open
_MASK = (1 << 64) - 1


def _digest(path: Path, limit: int | None = None) -> str:
    """The digest of the file, or of its first ``limit`` bytes."""
    h = hashlib.blake2b(digest_size=16)
    left = -1 if limit is None else limit
    with open(path, "rb") as f:
        while left and (chunk := f.read(1 << 20 if left < 0 else min(left, 1 << 20))):
            h.update(chunk)
            left = left - len(chunk) if left > 0 else left
    return h.hexdigest()


def _manifest(gen: Path) -> str | None:
    """The RocksDB MANIFEST that CURRENT names (it lists the tables: a damaged one loses data silently)."""
    try:
        name = (gen / "oxigraph" / "CURRENT").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return f"oxigraph/{name}" if name.startswith("MANIFEST-") and "/" not in name else None


def _immutable(gen: Path) -> list[str]:
    tables = sorted(f"oxigraph/{p.name}" for p in (gen / "oxigraph").iterdir() if p.name.endswith(".sst"))
    return [name for name in IMMUTABLE if (gen / name).is_file()] + tables


def oxigraph_files(gen: Path) -> dict[str, int]:
    """Name → size of every file of the RocksDB directory but its info log and lock."""
    out = {}
    for p in sorted((gen / "oxigraph").iterdir()):
        if not p.name.startswith(_VOLATILE):
            out[p.name] = p.stat().st_size if p.is_file() else -1
    return out


def record(gen: Path, graphs: dict[str, list]) -> dict[str, Any]:
    """The integrity record of the finished generation ``gen`` whose graphs are ``graphs``."""
    files = {}
    for name in _immutable(gen):
        st = (gen / name).stat()
        files[name] = [st.st_size, st.st_mtime_ns, _digest(gen / name)]
    out = {"files": files, "oxigraph": oxigraph_files(gen), "graphs": graphs}
    if (manifest := _manifest(gen)) is not None:
        st = (gen / manifest).stat()
        out["manifest"] = [manifest, st.st_size, st.st_mtime_ns, _digest(gen / manifest)]
    return out


def check_files(gen: Path, rec: dict[str, Any]) -> str | None:
    """What is wrong with the recorded files of ``gen`` (missing, resized, other bytes), or None.

    A table may be missing when RocksDB wrote to the store since (a compaction replaces
    tables by new ones): the database knows which tables it needs and says so when it opens.
    """
    for name, (size, mtime, digest) in rec.get("files", {}).items():
        path = gen / name
        try:
            st = path.stat()
        except FileNotFoundError:
            if name.endswith(".sst") and _added_to(gen, rec):
                continue
            return f"{name} is missing"
        except OSError as e:
            return f"{name}: {e.strerror}"
        if not path.is_file():
            return f"{name} is not a file"
        if st.st_size != size:
            return f"{name} has {st.st_size:,} bytes, {size:,} when it was built"
        if st.st_mtime_ns != mtime and (key := (str(path), st.st_size, st.st_mtime_ns, st.st_ino, digest)) not in _SAME:
            try:
                same = _digest(path) == digest
            except OSError as e:
                return f"{name}: {e.strerror}"
            if not same:
                return f"{name} does not hold the bytes it was built with"
            _SAME.add(key)
    return _check_manifest(gen, rec)


def _check_manifest(gen: Path, rec: dict[str, Any]) -> str | None:
    """The MANIFEST only grows (RocksDB appends to it) or is replaced by a newer one after a write:
    one that is shorter than built, or whose first bytes changed, is damaged."""
    if "manifest" not in rec:
        return None
    name, size, mtime, digest = rec["manifest"]
    path = gen / name
    try:
        st = path.stat()
    except FileNotFoundError:
        return None if _manifest(gen) not in (None, name) and _added_to(gen, rec) else f"{name} is missing"
    except OSError as e:
        return f"{name}: {e.strerror}"
    if not path.is_file():
        return f"{name} is not a file"
    if st.st_size < size:
        return f"{name} has {st.st_size:,} bytes, {size:,} when it was built"
    if (st.st_size, st.st_mtime_ns) != (size, mtime):
        try:
            same = _digest(path, size) == digest
        except OSError as e:
            return f"{name}: {e.strerror}"
        if not same:
            return f"{name} does not hold the bytes it was built with"
    return None


# files whose time changed (a copied store) but whose digest was found to match, in this process
_SAME: set[tuple] = set()


def _added_to(gen: Path, rec: dict[str, Any]) -> bool:
    """True when RocksDB's directory has a file the build did not leave, or one that grew (a write)."""
    before = rec.get("oxigraph", {})
    try:
        now = oxigraph_files(gen)
    except OSError:
        return False
    return any(before.get(name) != size for name, size in now.items())


def written_since(gen: Path, rec: dict[str, Any]) -> bool:
    """True when the RocksDB directory is not file for file what the build left (something wrote to it)."""
    try:
        return oxigraph_files(gen) != rec.get("oxigraph")
    except OSError:
        return True


def graph_digests(quads) -> dict[str, list]:
    """Graph name → ``[quads, digest]`` of an iterable of pyoxigraph quads (each quad counted once).

    Blank nodes hash alike (their labels change with every load of the ontology), and
    numbers by value (the store keeps ``"450.0"^^xsd:decimal`` as ``"450"``), so the quads a
    build compiled and the quads read back from the store give the same digests.
    """
    import pyoxigraph as ox

    acc: dict[str, list[int]] = {}
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    for q in quads:
        text = str(q)
        g = q.graph_name
        key = "" if isinstance(g, ox.DefaultGraph) else g.value
        if "_:" in text or "XMLSchema#" in text:  # maybe a blank node or a typed literal: look closer
            text = _by_value(q, text, key)
        h = from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")
        a = acc.setdefault(key, [0, 0])
        a[0] += 1
        a[1] = (a[1] + h) & _MASK
    return {k: [n, f"{d:016x}"] for k, (n, d) in sorted(acc.items())}


def graph_digest(quads: list, key: str) -> list:
    """``[quads, digest]`` of the distinct quads of the one graph named ``key``: what :func:`graph_digests` gives
    for them, in half the time (the graph's name is not read from each quad, a canonical integer's text is
    rewritten in place, the hashing is done in bulk)."""
    texts = [str(q) for q in quads]
    for i, text in enumerate(texts):
        if "_:" in text or "XMLSchema#" in text:
            m = _INTEGER.match(text)
            texts[i] = f"{m[1]} {m[2]}^^number {key}" if m else _by_value(quads[i], text, key)
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    total = sum(from_bytes(blake2b(t.encode("utf-8"), digest_size=8).digest(), "big") for t in texts)
    return [len(texts), f"{total & _MASK:016x}"]


def _by_value(q, text: str, key: str) -> str:
    """The text hashed for a quad that may hold a blank node or a number."""
    import pyoxigraph as ox

    o = q.object
    if (
        isinstance(q.subject, ox.BlankNode)
        or isinstance(o, ox.BlankNode)
        or (isinstance(o, ox.Literal) and o.datatype.value in _NUMBERS)
    ):
        return " ".join(_term(t) for t in (q.subject, q.predicate, o)) + " " + key
    return text


def graph_counts(store) -> dict[str, int]:
    """Graph name → number of quads, counted by the store itself (no term is decoded: 1 s at 1M quads)."""
    out = {}
    for row in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        out[row["g"].value] = int(row["n"].value)
    default = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"]  # the default graph alone
    if int(default.value):
        out[""] = int(default.value)
    return out


_XSD = "http://www.w3.org/2001/XMLSchema#"
# a quad whose subject and predicate are IRIs and whose object is a canonical xsd:integer (an offset, a position)
_INTEGER = re.compile(
    r'(<[^>]*> <[^>]*>) "(0|-?[1-9][0-9]*)"\^\^<http://www\.w3\.org/2001/XMLSchema#integer> <[^>]*>\Z'
)
_NUMBERS = frozenset(
    _XSD + t
    for t in (
        "decimal",
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "double",
        "float",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
    )
)


def _term(t) -> str:
    import pyoxigraph as ox

    if isinstance(t, ox.BlankNode):
        return "_:"
    if isinstance(t, ox.Literal) and t.datatype.value in _NUMBERS:
        v = t.value
        if v.isascii() and v.isdigit() and (v[0] != "0" or v == "0"):  # a canonical integer: its own value
            return f"{v}^^number"
        from decimal import Decimal, InvalidOperation

        try:
            return f"{format(Decimal(v).normalize(), 'f')}^^number"
        except (InvalidOperation, ValueError):
            return str(t)
    return str(t)


def compare_graphs(found: dict[str, list], recorded: dict[str, list], counts_only: bool = False) -> str | None:
    """The first difference between two :func:`graph_digests` results, in words, or None."""
    for g in sorted(set(found) | set(recorded)):
        f, r = found.get(g), recorded.get(g)
        name = g or "the default graph"
        if r is None:
            assert f is not None  # g comes from one of the two
            return f"{name} holds {f[0]:,} quads that were not built"
        if f is None:
            return f"{name} is missing ({r[0]:,} quads when it was built)"
        if f[0] != r[0]:
            return f"{name} holds {f[0]:,} quads, {r[0]:,} when it was built"
        if not counts_only and f[1] != r[1]:
            return f"{name} holds other quads than were built, as many ({f[0]:,})"
    return None


def _canonical(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal(manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` with its ``checksum``."""
    manifest["checksum"] = hashlib.sha256(_canonical(manifest)).hexdigest()
    return manifest


def check_seal(manifest: dict[str, Any]) -> bool:
    """True when the manifest's checksum matches (or it has none: built before checksums)."""
    return "checksum" not in manifest or manifest["checksum"] == hashlib.sha256(_canonical(manifest)).hexdigest()


def same_content(store: Path, cur: Path, manifest: dict[str, Any], say: Callable[[str], None]) -> bool:
    """Whether a store written to after its build still holds the graphs the build recorded.

    First the quads of each graph are counted (1 s at 1M quads); when every count agrees,
    the quads are read and hashed (20–30 s at 1M, the price of an edit that keeps the
    count), and the record is renewed so that the next check is a ``stat`` again.
    """
    import pyoxigraph as ox

    recorded = manifest["integrity"]["graphs"]
    before = oxigraph_files(cur)
    say("the store was written to after it was built: comparing its graphs with the record")
    with storage_errors(store, "oxigraph"):
        db = ox.Store.read_only(str(cur / "oxigraph"))
        counts = graph_counts(db)
        problem = compare_graphs({g: [n, None] for g, n in counts.items()}, recorded, counts_only=True)
        if problem is None:
            problem = compare_graphs(graph_digests(db.quads_for_pattern(None, None, None)), recorded)
        del db
    if problem:
        say(f"the store does not hold what was built ({problem}): rebuilding everything")
        return False
    if oxigraph_files(cur) == before:  # nothing wrote meanwhile: what was compared is what is recorded
        with contextlib.suppress(OSError):
            manifest["integrity"] = record(cur, recorded)
            seal(manifest)
            tmp = cur / "manifest.json.tmp"
            tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            tmp.replace(cur / "manifest.json")
    return True
