"""The embedded store: Oxigraph on disk, built aside and swapped in atomically.

Layout of a store directory::

    data/store/
      current -> gen-<hash>-<time>      symlink, replaced atomically by each build
      gen-<hash>-<time>/
        oxigraph/                      the RDF dataset (RocksDB)
        names.json                     name index for resolution (see kg.queries.names)
        names.sqlite                   the same index on disk, for one lookup without loading it all
        documents.json                 per facts file: hashes, entities, references, edges (rebuilds)
        edges.json                     entity-to-entity edges with status (kg path)
        manifest.json                  input hash, counts, build time
      build.lock                       held (flock) by the build in progress

A reader opens ``current`` read-only; a build writes a new generation next to it and only
then points ``current`` at it, so a failed or killed build never touches the graph that
readers see. The generation before the current one is kept for readers that still have
it open; older ones are removed by the next build.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import BuildLocked, StoreMissing

__all__ = ["EmbeddedStore", "StoreDir", "DEFAULT_STORE", "inline_iris"]

DEFAULT_STORE = Path("data/store")
ONTOLOGY_GRAPH = "https://w3id.org/park-kg/ontology"
PREFIXES = {
    "park": "https://w3id.org/park-kg/ontology#",
    "id": "https://w3id.org/park-kg/id/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "time": "http://www.w3.org/2006/time#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class StoreDir:
    """The on-disk layout of one store directory: generations, the current pointer, the lock."""

    def __init__(self, path: Path | str = DEFAULT_STORE):
        self.path = Path(path)

    @property
    def current(self) -> Path | None:
        link = self.path / "current"
        if not link.is_symlink() and not link.is_dir():
            return None
        target = link.resolve()
        return target if (target / "manifest.json").is_file() else None

    def manifest(self) -> dict[str, Any] | None:
        cur = self.current
        return json.loads((cur / "manifest.json").read_text(encoding="utf-8")) if cur else None

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the build lock; raise :class:`BuildLocked` at once if another build has it."""
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path / "build.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BuildLocked(
                    f"another kg build is writing {self.path} (lock {self.path / 'build.lock'}); "
                    "wait for it to finish and run the command again"
                ) from None
            yield
        finally:
            os.close(fd)

    def new_generation(self, input_hash: str) -> Path:
        gen = self.path / f"gen-{input_hash[:12]}-{time.time_ns()}"
        gen.mkdir(parents=True)
        return gen

    def swap(self, gen: Path) -> None:
        """Point ``current`` at ``gen`` atomically, then drop generations older than the previous one."""
        previous = self.current
        tmp = self.path / f"current.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(gen.name)
        os.replace(tmp, self.path / "current")
        _fsync_dir(self.path)
        keep = {gen.name, previous.name if previous else ""}
        self.prune(keep)

    def prune(self, keep: set[str]) -> None:
        """Remove generations not in ``keep`` (left over by older or killed builds)."""
        for d in self.path.glob("gen-*"):
            if d.name not in keep:
                shutil.rmtree(d, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class EmbeddedStore:
    """Read access to the current generation of a store directory.

    Queries see the union of all named graphs as their default graph.
    """

    name = "store"

    def __init__(self, path: Path | str = DEFAULT_STORE):
        self.dir = StoreDir(path)
        cur = self.dir.current
        if cur is None:
            raise StoreMissing(f"no graph built at {self.dir.path}; run `kg build` first")
        self.generation = cur
        self._ox = None
        self._names = None

    @property
    def ox(self):
        """The pyoxigraph Store, opened read-only on first use."""
        if self._ox is None:
            import pyoxigraph

            self._ox = pyoxigraph.Store.read_only(str(self.generation / "oxigraph"))
        return self._ox

    @property
    def names(self):
        """The :class:`~kg.queries.names.NameIndex` of this generation."""
        if self._names is None:
            if (self.generation / "names.sqlite").is_file():
                from kg.stores.namedb import DiskNames

                self._names = DiskNames(self.generation / "names.sqlite")
            else:  # a store built before names.sqlite
                from kg.queries.names import NameIndex

                data = json.loads((self.generation / "names.json").read_text(encoding="utf-8"))
                self._names = NameIndex.from_json(data)
        return self._names

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.generation / "manifest.json").read_text(encoding="utf-8"))

    def edge_ends(self) -> list[tuple[str, str, str]] | None:
        """``(s, o, status)`` of every entity-to-entity edge, from the build's ``edges.json`` (None if absent)."""
        path = self.generation / "edges.json"
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        nodes = data["nodes"]
        return [(nodes[s], nodes[o], status) for s, o, status in data["edges"]]

    def data_quads(self) -> list:
        """Every quad of the source documents' graphs (the ontology's graph left out)."""
        import pyoxigraph as ox

        onto = ox.NamedNode(ONTOLOGY_GRAPH)
        return [q for q in self.ox.quads_for_pattern(None, None, None) if q.graph_name != onto]

    def run(self, query, **iris: str) -> list[dict[str, Any]]:
        """Run a named query's SPARQL; ``iris`` binds variables to IRIs. Rows hold Python values."""
        return self.select(query.sparql, **iris)

    def select(self, sparql: str, **iris: str) -> list[dict[str, Any]]:
        """Run a SELECT with the project prefixes over the union of all graphs."""
        res = self.ox.query(inline_iris(sparql, iris), prefixes=PREFIXES, use_default_graph_as_union=True)
        names = [v.value for v in res.variables]
        return [{n: _py(sol[n]) for n in names} for sol in res]


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def inline_iris(sparql: str, iris: dict[str, str]) -> str:
    """Write each bound variable's IRI into the query text: ``?org`` becomes ``<iri>``.

    Oxigraph evaluates ``substitutions`` (and a leading ``VALUES`` or ``BIND``) after the
    pattern, not inside it: members of one community took 3.2 s at 1M triples that way
    and 2 ms with the IRI in the text. The projection keeps the variable as
    ``(<iri> AS ?org)``. Each IRI is checked by pyoxigraph before it is written.

    >>> inline_iris("SELECT ?org ?m WHERE { ?m org:organization ?org }", {"org": "https://w3id.org/park-kg/id/x"})
    'SELECT (<https://w3id.org/park-kg/id/x> AS ?org) ?m WHERE { ?m org:organization <https://w3id.org/park-kg/id/x> }'
    """
    if not iris:
        return sparql
    import pyoxigraph as ox

    where = _WHERE.search(sparql)
    if where is None:
        raise ValueError("a query with bound variables needs a WHERE clause")
    head, body = sparql[: where.start()], sparql[where.start() :]
    for var, iri in iris.items():
        term = str(ox.NamedNode(iri))
        pattern = re.compile(rf"\?{re.escape(var)}\b")
        head = pattern.sub(lambda _m: f"({term} AS ?{var})", head, count=1)
        body = pattern.sub(lambda _m: term, body)
    return head + body


def _py(term) -> Any:
    """A pyoxigraph term as a plain Python value (IRIs and strings as str, numbers as numbers)."""
    if term is None:
        return None
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#integer", "#int", "#long")):
            return int(term.value)
        if dt.endswith(("#decimal", "#double", "#float")):
            f = float(term.value)
            return int(f) if f.is_integer() else f
        return term.value
    return term.value
