"""Article → candidate facts: organizations, memberships, relations and figures, each with its evidence.

The pipeline (each step its own module):

* :mod:`~kg.extract.reading` reads the file (UTF-8, UTF-16, GB18030/GBK) and refuses what is not text;
* :mod:`~kg.extract.document` normalizes it (:func:`kg.text.normalize`) and cuts sentences,
  each with its match key (traditional folded to simplified, quotation marks dropped);
* :mod:`~kg.extract.orgs` finds organizations: names the graph knows
  (:mod:`~kg.extract.known`), type suffixes with jieba for the left edge, list patterns,
  chains; short forms linked to full names;
* :mod:`~kg.extract.relations` finds relations, and :mod:`~kg.extract.memberships` memberships,
  with their status (sentence helpers in :mod:`~kg.extract.clause`);
* :mod:`~kg.extract.figures` finds figures and what they measure;
* :mod:`~kg.extract.candidates` writes it all in the facts format, ``review: candidate``.

Only this package imports jieba (the ``extract`` extra).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import __version__
from kg.errors import KgError
from kg.extract.candidates import build_candidates, dump_candidates
from kg.extract.document import Document
from kg.extract.figures import Figure, find_figures
from kg.extract.known import KnownEntities, KnownEntity
from kg.extract.orgs import Chain, Ent, find_entities
from kg.extract.reading import ArticleError, decode, read_article
from kg.extract.relations import Statement, find_statements
from kg.files import check_output, check_stem, read_regular, stem_problem, write_atomic
from kg.progress import Progress, reporter

__all__ = [
    "Extraction",
    "extract",
    "extract_text",
    "write_candidates",
    "extract_file",
    "graph_names",
    "ExtractResult",
    "KnownEntities",
    "KnownEntity",
    "ArticleError",
    "read_article",
    "decode",
]


MAX_META_BYTES = 1024 * 1024  # a source metadata file is a few lines


@dataclass
class Extraction:
    """What one article yields: entities (known ones flagged), statements, figures and chains."""

    stem: str
    doc: Document
    entities: list[Ent]
    statements: list[Statement]
    figures: list[Figure]
    chains: list[Chain]
    article: Path | None = None
    encoding: str = "utf-8"
    meta: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def orgs(self) -> list[Ent]:
        return [e for e in self.entities if e.is_org]

    def provenance(self) -> dict[str, Any]:
        """The ``extraction`` section of the candidates file: where the text came from."""
        out: dict[str, Any] = {
            "article": str(self.article) if self.article else None,
            "encoding": self.encoding,
            "sha256": hashlib.sha256(self.doc.raw.encode("utf-8")).hexdigest(),
            "extracted_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "tool": f"park-kg {__version__} kg.extract",
        }
        if self.meta:
            out["meta"] = dict(self.meta)
        return out

    def candidates(self, taken_ids: set[str] = frozenset()) -> tuple[dict[str, Any], dict[str, int]]:
        """The candidates document and counts (see :func:`kg.extract.candidates.build_candidates`)."""
        return build_candidates(self, set(taken_ids))


def _stem_of(path: Path) -> str:
    stem = path.name[: -len(".txt")] if path.name.endswith(".txt") else path.stem
    return stem


def _check_stem(stem: str | None, article: Path) -> str:
    """The stem given (a bare file name), or the article's; :class:`KgError` when it cannot name a source file."""
    if stem is not None:
        return check_stem(stem, "stem")
    default = _stem_of(article)
    if stem_problem(default):
        raise KgError(f"{article}: its name {default!r} cannot be a source stem ({stem_problem(default)}); "
                      "give one with --stem NAME (the article's file name in the sources directory, without .txt)")
    return default


def default_meta(stem: str, doc: Document) -> dict[str, Any]:
    """Source metadata when none is given: an id from the stem and a descriptive title from the first line."""
    ident = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "article"
    first = next((ln.strip() for ln in doc.text.splitlines() if ln.strip()), stem)
    title = first if len(first) <= 40 else first[:40] + "…"
    return {"id": ident, "title": title, "title_is_descriptive": True, "language": "zh"}


def extract_text(
    raw: str,
    stem: str = "article",
    *,
    known: KnownEntities | None = None,
    article: Path | None = None,
    encoding: str = "utf-8",
    meta: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> Extraction:
    """Extract candidate facts from the text of one article (``raw`` as read from its file).

    ``progress`` gets a :class:`kg.progress.Step` as each pass starts and ends ("extract:
    organizations", 0 then all of the article's characters)."""
    t0 = time.perf_counter()
    if not raw.strip():
        raise ArticleError(f"{article or stem}: the article is empty")
    report, n = reporter(progress), len(raw)
    report("extract: sentences", 0, n, "characters")
    doc = Document.from_raw(raw)
    report("extract: sentences", n, n, "characters")
    report("extract: organizations", 0, n, "characters")
    found = find_entities(doc, known)
    report("extract: organizations", n, n, "characters")
    report("extract: relations and figures", 0, n, "characters")
    statements, extra = find_statements(doc, found, known)
    figures = find_figures(doc, found, statements)
    report("extract: relations and figures", n, n, "characters")
    used = {id(st.subject) for st in statements} | {id(st.object) for st in statements if st.object}
    entities = found.ents + [e for e in extra if id(e) in used]
    ex = Extraction(stem, doc, entities, statements, figures, found.chains, article, encoding,
                    meta or default_meta(stem, doc))
    ex.seconds = time.perf_counter() - t0
    return ex


def extract(path: Path | str, *, known: KnownEntities | None = None, meta: dict[str, Any] | None = None,
            stem: str | None = None, progress: Progress | None = None) -> Extraction:
    """Read the article at ``path`` and extract candidate facts from it.

    ``known`` are the graph's entities (names found in the text resolve to them); ``meta``
    is the source metadata to record (default: ``<article>.meta.yaml`` beside it, else a
    descriptive one). Raises :class:`ArticleError` for a file that is not a readable article.
    """
    p = Path(path)
    stem = _check_stem(stem, p)
    raw, enc = read_article(p)
    if meta is None:
        meta_path = p.with_name(stem + ".meta.yaml")
        meta = _read_meta(meta_path) if meta_path.is_file() else None
    return extract_text(raw, stem, known=known, article=p.resolve(), encoding=enc, meta=meta, progress=progress)


def graph_names(facts_dir: Path | str, *, required: bool = True) -> KnownEntities:
    """The entities of the facts in ``facts_dir`` for extraction to recognize; with ``required``, a
    missing directory is a :class:`KgError` (a mistyped ``--facts`` would silently match nothing)."""
    d = Path(facts_dir)
    if required and not d.is_dir():
        what = "not a directory" if d.exists() else "no such directory"
        raise KgError(f"--facts {d}: {what}; give the facts directory of your graph, or --no-graph to extract with the "
                      f"rules only")
    return KnownEntities.from_facts(d)


def _read_meta(path: Path) -> dict[str, Any]:
    import yaml

    raw = read_regular(path, "source metadata file", MAX_META_BYTES)
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError) as e:
        why = " ".join(str(e).split()) or "nested too deeply"
        raise KgError(f"{path}: cannot read source metadata: {why}") from None
    if not isinstance(data, dict) or "id" not in data or "title" not in data:
        raise KgError(f"{path}: source metadata must be a mapping with at least id and title")
    return {k: (str(v) if k == "date" and v is not None else v) for k, v in data.items()}


def candidates_text(extraction: Extraction, known: KnownEntities | None = None) -> tuple[str, dict[str, int]]:
    """The candidates YAML of ``extraction`` (new ids avoid the known ones) and the counts written."""
    known = known or KnownEntities([])
    data, counts = extraction.candidates({e.id for e in known.entities})
    names = {e.known.id: e.known.name for e in extraction.entities if e.known}
    return dump_candidates(data, names), counts


def write_candidates(extraction: Extraction, out: Path | str, known: KnownEntities | None = None) -> dict[str, int]:
    """Write the candidates YAML of ``extraction`` to ``out`` (atomically); return the counts written."""
    text, counts = candidates_text(extraction, known)
    _write(Path(out), text)
    return counts


def _write(out: Path, text: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, text)


@dataclass
class ExtractResult:
    """What `kg extract` reports: the article, its encoding, the time taken, counts, and the YAML."""

    article: Path
    encoding: str
    seconds: float
    counts: dict[str, int]
    text: str
    output: Path | None

    def summary(self) -> str:
        """The line `kg extract` ends with: what it found and where it wrote it."""
        c = self.counts
        dropped = f"; {c['dropped']} item(s) dropped: quote not found back in the text" if c["dropped"] else ""
        return (
            f"{self.article}: {c['entities']} new entities, {c['known']} known, {c['memberships']} memberships, "
            f"{c['relations']} relations, {c['chains']} chain(s), {c['indicators']} indicators → "
            f"{self.output or 'standard output'} ({self.encoding}, {self.seconds:.2f} s){dropped}"
        )

    def as_json(self) -> dict[str, Any]:
        """The report as `kg extract --format json` prints it (the candidates inline when not written to a file)."""
        candidates = {"candidates": self.text} if self.output is None else {}
        return {"article": self.article, "output": self.output, "encoding": self.encoding,
                "seconds": round(self.seconds, 3), "counts": self.counts, **candidates}


def extract_file(
    article: Path | str,
    output: Path | str | None = None,
    *,
    known: KnownEntities | None = None,
    meta_path: Path | str | None = None,
    stem: str | None = None,
    force: bool = False,
    protected: tuple[tuple[Path | None, str], ...] = (),
    progress: Progress | None = None,
) -> ExtractResult:
    """Extract from the article file and write the candidates to ``output`` (if given).

    ``output`` may not be the article or the metadata file, nor lie in a ``protected``
    directory (``(path, what)`` pairs: the facts and sources directories), nor exist unless
    ``force``; this is checked before anything is read.
    """
    real_out = None
    if output is not None:
        real_out = check_output(output, inputs=(article, meta_path), protected=protected, force=force)
    meta = _read_meta(Path(meta_path)) if meta_path else None
    t0 = time.perf_counter()
    ex = extract(article, known=known, meta=meta, stem=stem, progress=progress)
    text, counts = candidates_text(ex, known)
    if real_out is not None:
        _write(real_out, text)
    return ExtractResult(Path(article), ex.encoding, time.perf_counter() - t0, counts, text, Path(output)
                         if output else None)
