"""The embedded store: Oxigraph on disk, built aside and swapped in atomically.

Layout of a store directory::

    data/store/
      current -> gen-<hash>-<time>      symlink, replaced atomically by each build
      gen-<hash>-<time>/
        oxigraph/                      the RDF dataset (RocksDB)
        names.json                     name index for resolution (see kg.model.names)
        names.sqlite                   the same index on disk, for one lookup without loading it all
        documents.json                 per facts file: hashes, entities, references, edges (rebuilds)
        edges.json                     entity-to-entity edges with status (kg path)
        manifest.json                  input hash, counts, build time
      build.lock                       held (flock) by the build in progress

A reader opens ``current`` read-only; a build writes a new generation next to it and only
then points ``current`` at it, so a failed or killed build never touches the graph that
readers see. The generation before the current one is kept for readers that still have
it open; older ones are removed by the next build.

A generation that cannot be read as it was built — ``current`` looping or pointing
nowhere, a manifest that does not parse or whose checksum fails, a recorded file missing,
resized or holding other bytes (:mod:`kg.stores.integrity`), RocksDB or SQLite reporting
corruption — raises :class:`StoreDamaged`: one line that names what is wrong and says to
run ``kg build --force``, which rebuilds from the facts whatever state the directory is in.

The build lock is ten lines of ``flock``, not filelock: filelock raises ELOOP on a planted
``build.lock`` symlink where ours removes it and goes on, and its import costs 67 ms.
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

from kg.errors import FILE_ERRORS, BuildLocked, KgError, StoreDamaged, StoreMissing, first_line, storage_errors
from kg.model.terms import ONTOLOGY_IRI, PREFIXES
from kg.stores import counts

__all__ = [
    "EmbeddedStore", "StoreDir", "DEFAULT_STORE", "inline_iris", "read_manifest", "verify_files", "data_by_predicate",
]

DEFAULT_STORE = Path("data/store")


class StoreDir:
    """The on-disk layout of one store directory: generations, the current pointer, the lock."""

    def __init__(self, path: Path | str = DEFAULT_STORE):
        self.path = Path(path)

    @property
    def current(self) -> Path | None:
        """The current generation, checked; None when no build made one.

        Raises :class:`StoreDamaged` when ``current`` leads nowhere, the manifest does not read
        or a file the build recorded is missing or changed (one ``stat`` per file; a digest
        once per process for a file whose time changed).
        """
        target = self.target()
        if target is not None:
            verify_files(self.path, target, read_manifest(self.path, target))
        return target

    def target(self) -> Path | None:
        """The generation ``current`` points at, unchecked; None when there is none.

        :class:`StoreDamaged` when it leads nowhere."""
        link = self.path / "current"
        if not os.path.lexists(link):
            return None
        try:
            target = link.resolve(strict=True)
        except FileNotFoundError:
            raise StoreDamaged(self.path, f"`current` points to {_readlink(link)}, which does not exist") from None
        except (RuntimeError, OSError) as e:  # a loop: RuntimeError before Python 3.13, OSError (ELOOP) after
            if "loop" in str(e).lower() or getattr(e, "errno", None) == 40:
                raise StoreDamaged(self.path, "`current` is a symbolic link that loops") from None
            raise StoreDamaged(self.path, f"`current`: {first_line(e)}") from None
        if not target.is_dir():
            raise StoreDamaged(self.path, f"`current` leads to {target.name}, which is not a directory")
        if not (target / "manifest.json").is_file():
            raise StoreDamaged(self.path, f"{target.name}/manifest.json is missing")
        return target

    def current_or_none(self) -> Path | None:
        """The generation ``current`` points at, or None when there is none or it is damaged.

        For a build that replaces it."""
        try:
            return self.target()
        except StoreDamaged:
            return None

    def manifest(self) -> dict[str, Any] | None:
        """The current generation's manifest (None when there is none); :class:`StoreDamaged` when it does not read."""
        cur = self.target()
        return read_manifest(self.path, cur) if cur else None

    def check(self, *, deep: bool = False) -> str | None:
        """What is damaged in the current generation, or None.

        Cheap by default (links, manifest, recorded files); ``deep`` also opens the RocksDB
        store and counts its quads (a scan of one index in the store: 0.4 s at 1M quads), as
        a diagnosis after an unexpected error.
        """
        try:
            cur = self.current
            if cur is not None and deep:
                import pyoxigraph as ox

                with storage_errors(self.path, "oxigraph"):
                    len(ox.Store.read_only(str(cur / "oxigraph")))
        except StoreDamaged as e:
            return e.what
        return None

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the build lock; raise :class:`BuildLocked` at once if another build has it."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise KgError(f"{self.path} is not a directory: give --store a directory (kg build creates it)") from None
        lock = self.path / "build.lock"
        if lock.is_symlink() or (lock.exists() and not lock.is_file()):  # a lock is our own empty file
            _remove(lock)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
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
        """Point ``current`` at ``gen`` atomically, then drop generations older than the previous one.

        Whatever ``current`` was (a link that loops or dangles, a directory, a file), it is replaced.
        """
        previous = self.current_or_none()
        tmp = self.path / f"current.{os.getpid()}.tmp"
        _remove(tmp)
        tmp.symlink_to(gen.name)
        link = self.path / "current"
        if link.is_dir() and not link.is_symlink():  # os.replace cannot put a link over a directory
            link.rename(self.path / f"gen-replaced-{time.time_ns()}")
        os.replace(tmp, link)
        _fsync_dir(self.path)
        keep = {gen.name, previous.name if previous else ""}
        self.prune(keep)

    def prune(self, keep: set[str]) -> None:
        """Remove generations not in ``keep`` (left over by older or killed builds)."""
        for d in self.path.glob("gen-*"):
            if d.name not in keep:
                shutil.rmtree(d, ignore_errors=True)


def _readlink(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "?"


def _remove(path: Path) -> None:
    """Remove a file, link or directory tree at ``path`` if there is one."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def read_manifest(store: Path, gen: Path) -> dict[str, Any]:
    """The manifest of generation ``gen``, checked against its checksum; :class:`StoreDamaged` if it does not read."""
    from kg.stores.integrity import check_seal

    with storage_errors(store, "manifest.json", FILE_ERRORS):
        data = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("counts"), dict):
            raise ValueError("not a manifest")
    if not check_seal(data):
        raise StoreDamaged(store, "manifest.json does not match its checksum")
    return data


def verify_files(store: Path, gen: Path, manifest: dict[str, Any]) -> None:
    """Raise :class:`StoreDamaged` when a file the build recorded is missing or holds other bytes."""
    from kg.stores.integrity import check_files

    rec = manifest.get("integrity")
    if rec is None:
        return  # built before integrity records: nothing to compare with
    with storage_errors(store):
        problem = check_files(gen, rec)
    if problem:
        raise StoreDamaged(store, problem)


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
        cur = self.dir.target()
        if cur is None:
            raise StoreMissing(f"no graph built at {self.dir.path}; run `kg build` first")
        self.generation = cur
        self._manifest = read_manifest(self.dir.path, cur)
        verify_files(self.dir.path, cur, self._manifest)  # a stat per file: damage is found before a query reads it
        self._ox: Any = None  # pyoxigraph.Store, opened on first use
        self._names: Any = None  # NameIndex or DiskNames, read on first use

    def _damaged(self, what: str = "", kinds: tuple[type[BaseException], ...] = (OSError, RuntimeError)):
        return storage_errors(self.dir.path, what, kinds)

    @property
    def ox(self):
        """The pyoxigraph Store, opened read-only on first use."""
        if self._ox is None:
            import pyoxigraph

            with self._damaged("oxigraph"):
                self._ox = pyoxigraph.Store.read_only(str(self.generation / "oxigraph"))
        return self._ox

    @property
    def names(self):
        """The :class:`~kg.model.names.NameIndex` of this generation."""
        if self._names is None:
            if (self.generation / "names.sqlite").is_file():
                from kg.stores.namedb import DiskNames

                self._names = DiskNames(self.generation / "names.sqlite", store=self.dir.path)
            else:  # a store built before names.sqlite
                from kg.model.names import NameIndex

                with self._damaged("names.json", FILE_ERRORS):
                    data = json.loads((self.generation / "names.json").read_text(encoding="utf-8"))
                    self._names = NameIndex.from_json(data)
        return self._names

    def manifest(self) -> dict[str, Any]:
        return self._manifest

    def edge_ends(self, query=None) -> list[tuple[str, str, str]] | None:
        """``(s, o, status)`` of every entity-to-entity edge, from the build's ``edges.json`` (None if absent);
        ``query`` (what a server-backed store runs instead) is not needed here."""
        path = self.generation / "edges.json"
        if not path.is_file() and "integrity" not in self._manifest:
            return None
        with self._damaged("edges.json", FILE_ERRORS):
            data = json.loads(path.read_text(encoding="utf-8"))
            nodes = data["nodes"]
            return [(nodes[s], nodes[o], str(status)) for s, o, status in data["edges"]]

    def data_quads(self) -> list:
        """Every quad of the source documents' graphs (the ontology's graph left out)."""
        import pyoxigraph as ox

        onto = ox.NamedNode(ONTOLOGY_IRI)
        with self._damaged("oxigraph"):
            return [q for q in self.ox.quads_for_pattern(None, None, None) if q.graph_name != onto]

    def run(self, query, **iris: str) -> list[dict[str, Any]]:
        """Run a named query's SPARQL; ``iris`` binds variables to IRIs. Rows hold Python values.

        The counts ``kg stats`` shows come from the build's record when it holds them (:mod:`kg.stores.counts`).
        """
        if query.name in counts.QUERIES and not iris:
            with self._damaged("oxigraph"):
                rows = counts.answer(query.name, self._manifest, self.generation, lambda: self.ox)
            if rows is not None:
                return rows
        return self.select(query.sparql, **iris)

    def select(self, sparql: str, **iris: str) -> list[dict[str, Any]]:
        """Run a SELECT with the project prefixes over the union of all graphs."""
        text = inline_iris(sparql, iris)
        store = self.ox
        with self._damaged("oxigraph"):
            res = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
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



def data_by_predicate(store) -> Iterator[tuple[str, Iterator[tuple[Any, Any]]]]:
    """The quads of :meth:`EmbeddedStore.data_quads` as the property-graph projection reads them
    (:func:`kg.pg.project`): each predicate with the (subject, object) pairs of its quads, read lazily, one
    SELECT a predicate. ``store``: an :class:`EmbeddedStore` or a pyoxigraph Store.

    Oxigraph spends most of a read decoding terms (a RocksDB lookup each): two a quad here instead of
    four, and no Quad objects; one for ``rdf:type`` (a query a class). 1.3 s instead of 3.0 s of CPU for
    310,000 quads.
    """
    import itertools

    import pyoxigraph as ox

    embedded, rdf_type = isinstance(store, EmbeddedStore), PREFIXES["rdf"] + "type"
    ox_store, onto = store.ox if embedded else store, f"<{ONTOLOGY_IRI}>"

    def select(pattern: str, head: str) -> Iterator:
        where = f"{{ GRAPH ?g {{ {pattern} }} FILTER(?g != {onto}) }} UNION {{ {pattern} }}"
        with store._damaged("oxigraph") if embedded else contextlib.nullcontext():
            yield from ox_store.query(f"SELECT {head} WHERE {{ {where} }}")

    def groups() -> Iterator[tuple[str, Iterator[tuple[Any, Any]]]]:
        for (p,) in list(select("?s ?p ?o", "DISTINCT ?p")):
            objects = list(select(f"?s {p} ?o", "DISTINCT ?o")) if p.value == rdf_type else []
            if objects and all(type(o) is ox.NamedNode for (o,) in objects):  # one query a class: ?o not decoded
                for (o,) in objects:
                    yield p.value, zip((s for (s,) in select(f"?s {p} {o}", "?s")), itertools.repeat(o))
            else:
                yield p.value, ((s, o) for s, o in select(f"?s {p} ?o", "?s ?o"))

    return groups()
