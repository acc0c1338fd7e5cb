"""Reviewed candidates → a facts file under ``seeds/facts/`` → a rebuilt graph; and what a rebuild would change.

:func:`ingest` takes a candidates file written by ``kg extract`` after review:

1. it validates the file with :func:`kg.facts.load_facts` (problems as ``file:line``);
2. keeps the items marked ``review: accepted`` (every item still ``candidate`` too with
   ``accept_all``; ``rejected`` ones never), and the entities they refer to;
3. resolves each new entity against the facts: one whose name or alias is already a
   known entity's name or alias becomes a reference to it, so no duplicate is made;
   statements the facts already hold are skipped;
4. writes the facts file (a new one, or new items added into the existing file of the same
   source, its comments kept), copies the article and its metadata into ``sources/``
   when they are not there, all in a staging directory first;
5. validates the staged facts and rebuilds the store from them with :func:`kg.build.build`;
   only then are the files moved into place. If anything fails, ``seeds/`` is untouched.

:func:`diff` compiles a facts directory and compares its quads with the store's current
generation: what a rebuild would add or remove.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.diff import DiffResult, diff
from kg.errors import KgError
from kg.facts import FactsError, Problem, load_facts
from kg.stores.embedded import DEFAULT_STORE
from kg.text import name_key
from kg.yamledit import add_items

__all__ = ["ingest", "diff", "IngestReport", "DiffResult"]

Progress = Callable[[str], None]
_SECTIONS = ("entities", "memberships", "relations", "chains", "indicators")
_REFS = {"memberships": ("member", "organization"), "relations": ("subject", "object"), "indicators": ("about",), "chains": ("chain",)}
_DROP = ("review", "offsets")


@dataclass
class IngestReport:
    """What ingest did (or, with ``dry_run``, would do)."""

    target: Path
    source_installed: bool
    added: dict[str, int]
    resolved: dict[str, str]  # candidate entity id -> the known entity it names
    skipped: dict[str, int]
    dry_run: bool = False
    build: Any = None
    diff: DiffResult | None = None
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------ reading


def _read_candidates(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise KgError(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise KgError(f"{path}:{mark.line + 1 if mark else 1}: malformed YAML: {getattr(e, 'problem', e)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("source"), str):
        raise KgError(f"{path}: not a candidates file (a mapping with 'source' and the facts sections)")
    return data


def _relocate(err: FactsError, staged: Path, real: Path) -> FactsError:
    """The same problems, with the staged path replaced by the file the user edits."""
    return FactsError([Problem(real if p.path == staged else p.path, p.line, p.message) for p in err.problems])


class _Stage:
    """A staging directory beside ``seeds/``: facts/ and sources/ as they will be after ingest."""

    def __init__(self, facts_dir: Path, sources_dir: Path):
        self.facts_dir, self.sources_dir = facts_dir, sources_dir
        base = facts_dir.parent if facts_dir.parent.is_dir() else Path(tempfile.gettempdir())
        self.root = Path(tempfile.mkdtemp(prefix=".ingest-", dir=base))
        self.facts = self.root / "facts"
        self.sources = self.root / "sources"
        self.check = self.root / "check"
        for d in (self.facts, self.sources, self.check):
            d.mkdir()
        if sources_dir.is_dir():
            for p in sources_dir.iterdir():
                if p.is_file():
                    (self.sources / p.name).symlink_to(p.resolve())
        if facts_dir.is_dir():
            for p in facts_dir.iterdir():
                if p.is_file() and p.suffix in (".yaml", ".yml"):
                    (self.facts / p.name).symlink_to(p.resolve())

    def put_source(self, name: str, text: str) -> None:
        p = self.sources / name
        if p.is_symlink() or p.exists():
            p.unlink()
        p.write_text(text, encoding="utf-8")

    def put_facts(self, name: str, text: str) -> Path:
        p = self.facts / name
        if p.is_symlink() or p.exists():
            p.unlink()
        p.write_text(text, encoding="utf-8")
        return p

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _source_text(data: dict[str, Any], stem: str, sources_dir: Path, cand_path: Path) -> tuple[str | None, dict | None]:
    """(text, meta) to install for the candidates' source, or (None, None) when it is in sources/ already."""
    prov = data.get("extraction") or {}
    txt = sources_dir / f"{stem}.txt"
    want = prov.get("sha256")
    if txt.is_file():
        have = hashlib.sha256(txt.read_text(encoding="utf-8").encode("utf-8")).hexdigest()
        if want and have != want:
            raise KgError(f"{cand_path}: sources/{stem}.txt differs from the article these candidates were extracted from; extract again from it")
        return None, None
    article = prov.get("article")
    if not article:
        raise KgError(f"{cand_path}: source {stem!r} is not in {sources_dir} and the file does not say where the article is (extraction.article)")
    art = Path(article)
    if not art.is_absolute():
        art = cand_path.parent / art
    from kg.extract.reading import read_article

    try:
        text, _ = read_article(art)
    except KgError as e:
        raise KgError(f"{cand_path}: cannot read the article it was extracted from: {e}") from None
    if want and hashlib.sha256(text.encode("utf-8")).hexdigest() != want:
        raise KgError(f"{cand_path}: the article {art} changed since extraction; extract it again")
    meta = prov.get("meta") or {"id": stem.lower(), "title": stem, "title_is_descriptive": True}
    return text, meta


# ------------------------------------------------------------------------------ selecting and resolving


def _select(data: dict[str, Any], accept_all: bool, path: Path) -> tuple[dict[str, list[dict]], dict[str, int]]:
    """The items to ingest per section, and how many were left out and why."""
    keep_states = {"accepted", None} | ({"candidate"} if accept_all else set())
    skipped = {"rejected": 0, "not accepted": 0}
    chosen: dict[str, list[dict]] = {}
    for sec in _SECTIONS:
        chosen[sec] = []
        for item in data.get(sec) or []:
            state = item.get("review")
            if state in keep_states:
                chosen[sec].append(item)
            else:
                skipped["rejected" if state == "rejected" else "not accepted"] += 1
    all_ents = {e["id"]: e for e in data.get("entities") or []}
    chosen_ids = {e["id"] for e in chosen["entities"]}
    for sec, keys in _REFS.items():
        for item in chosen[sec]:
            refs = [item.get(k) for k in keys] + (list(item.get("stages", [])) if sec == "chains" else [])
            for ref in refs:
                if ref in all_ents and ref not in chosen_ids:
                    if all_ents[ref].get("review") == "rejected":
                        raise KgError(f"{path}: {sec} item quoting {item.get('quote', '')[:30]!r} refers to rejected entity {ref!r}; reject the item too or accept the entity")
                    chosen["entities"].append(all_ents[ref])  # an accepted statement brings its entities
                    chosen_ids.add(ref)
                    skipped["not accepted"] -= 1
    return chosen, skipped


def _resolve(chosen: dict[str, list[dict]], facts, renamed: dict[str, str]) -> dict[str, str]:
    """Map candidate entity ids to known ids where a name or alias is already the graph's.

    A candidate whose id is taken by a known entity of another name is given a free id
    (recorded in ``renamed``).
    """
    by_key: dict[str, list[str]] = {}
    for eid, e in (facts.entities if facts else {}).items():
        for n in (e["name"], *e.get("aliases", [])):
            ids = by_key.setdefault(name_key(n), [])
            if eid not in ids:
                ids.append(eid)
    known_ids = set(facts.entities) if facts else set()
    mapping: dict[str, str] = {}
    seen_here: dict[str, str] = {}
    for e in chosen["entities"]:
        eid = e["id"]
        hits: list[str] = []
        for n in (e["name"], *e.get("aliases", [])):
            for h in by_key.get(name_key(n), []):
                if h not in hits:
                    hits.append(h)
        if len(hits) > 1:
            by_name = [h for h in by_key.get(name_key(e["name"]), []) if h == eid] or by_key.get(name_key(e["name"]), [])
            hits = by_name[:1] if len(by_name) == 1 else hits
        if len(hits) > 1:
            raise KgError(f"candidate entity {eid} ({e['name']}) matches several known entities: {', '.join(hits)}; set its id to the right one")
        if hits:
            mapping[eid] = hits[0]
        elif eid in known_ids:  # the id is taken by a different entity: give this one a free id
            n = 2
            while f"{eid}-{n}" in known_ids or f"{eid}-{n}" in {x["id"] for x in chosen["entities"]}:
                n += 1
            renamed[eid] = f"{eid}-{n}"
        elif name_key(e["name"]) in seen_here:
            mapping[eid] = seen_here[name_key(e["name"])]
        else:
            seen_here[name_key(e["name"])] = eid
    return mapping


def _statement_key(sec: str, item: dict) -> tuple:
    if sec == "memberships":
        return (item["member"], item["organization"], item["status"])
    if sec == "relations":
        return (item["subject"], item["predicate"], item.get("object"), item.get("value"), item.get("status", "active"))
    if sec == "indicators":
        return (item["about"], float(item["value"]), item["unit"])
    if sec == "chains":
        return (item["chain"],)
    return (item["id"],)


def _final_items(chosen, mapping: dict[str, str], facts, renamed: dict[str, str]) -> tuple[dict[str, list[dict]], dict[str, int]]:
    existing: set[tuple] = set()
    for ff in facts.files if facts else []:
        for sec in _SECTIONS[1:]:
            existing |= {(sec, *_statement_key(sec, it)) for it in getattr(ff, sec)}
    out: dict[str, list[dict]] = {sec: [] for sec in _SECTIONS}
    dup = 0
    ref = {**renamed, **mapping}
    for e in chosen["entities"]:
        if e["id"] in mapping:
            continue
        new = {k: v for k, v in e.items() if k not in _DROP}
        new["id"] = ref.get(new["id"], new["id"])
        out["entities"].append(new)
    for sec in _SECTIONS[1:]:
        for item in chosen[sec]:
            new = {k: v for k, v in item.items() if k not in _DROP}
            for k in _REFS[sec]:
                if k in new:
                    new[k] = ref.get(new[k], new[k])
            if sec == "chains":
                new["stages"] = [ref.get(s, s) for s in new["stages"]]
            if sec == "memberships" and new["member"] == new["organization"] or sec == "relations" and new.get("object") == new["subject"]:
                dup += 1
                continue
            k = (sec, *_statement_key(sec, new))
            if k in existing:
                dup += 1
                continue
            existing.add(k)
            out[sec].append(new)
    return out, {"already in the facts": dup}


# ------------------------------------------------------------------------------ writing


def _dump_items(items: list[dict]) -> str:
    body = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)
    return "".join("  " + ln if ln.strip() else ln for ln in body.splitlines(keepends=True))


def _new_file(stem: str, items: dict[str, list[dict]], origin: str) -> str:
    parts = [f"# Ingested by `kg ingest` from {origin}; reviewed candidates of `kg extract`.\n", f"source: {stem}\n"]
    for sec in _SECTIONS:
        if items[sec]:
            parts.append(f"\n{sec}:\n" + _dump_items(items[sec]))
    return "".join(parts)


# ------------------------------------------------------------------------------ ingest


def ingest(
    candidates: Path | str,
    facts_dir: Path | str = Path("seeds/facts"),
    store: Path | str = DEFAULT_STORE,
    *,
    sources_dir: Path | str | None = None,
    accept_all: bool = False,
    dry_run: bool = False,
    shacl: bool = True,
    progress: Progress | None = None,
) -> IngestReport:
    """Validate a reviewed candidates file, add its accepted facts to ``facts_dir`` and rebuild ``store``.

    Nothing under ``facts_dir`` or ``sources_dir`` changes unless validation and the
    rebuild both succeed; with ``dry_run`` nothing changes at all and the report holds
    the diff the rebuild would make.
    """
    say = progress or (lambda _m: None)
    cand = Path(candidates)
    facts_dir = Path(facts_dir)
    sources_dir = Path(sources_dir) if sources_dir else facts_dir.parent / "sources"
    if not cand.is_file():
        raise KgError(f"{cand}: no such candidates file")
    data = _read_candidates(cand)
    say(f"validating {cand}")
    with _ingest_lock(facts_dir):
        return _ingest(cand, data, facts_dir, sources_dir, Path(store), accept_all=accept_all, dry_run=dry_run, shacl=shacl, progress=progress)


@contextlib.contextmanager
def _ingest_lock(facts_dir: Path) -> Iterator[None]:
    """One ingest at a time per facts directory (a lock on the directory itself): each stages from
    the facts the previous one installed."""
    facts_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(facts_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KgError(f"another kg ingest is adding to {facts_dir}; wait for it and run again") from None
        yield
    finally:
        os.close(fd)


def _ingest(cand: Path, data: dict, facts_dir: Path, sources_dir: Path, store: Path, *, accept_all: bool, dry_run: bool, shacl: bool, progress: Progress | None) -> IngestReport:
    say = progress or (lambda _m: None)
    stem = data["source"]
    facts = load_facts(facts_dir, sources_dir) if facts_dir.is_dir() and any(p.suffix in (".yaml", ".yml") for p in facts_dir.iterdir()) else None
    stage = _Stage(facts_dir, sources_dir)
    try:
        text, meta = _source_text(data, stem, sources_dir, cand)
        if text is not None:
            stage.put_source(f"{stem}.txt", text)
            stage.put_source(f"{stem}.meta.yaml", yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))
        _validate_alone(cand, stage, facts)
        chosen, skipped = _select(data, accept_all, cand)
        if not any(chosen[s] for s in _SECTIONS):
            raise KgError(f"nothing accepted in {cand}: set `review: accepted` on the items to keep, or pass --accept-all")
        renamed: dict[str, str] = {}
        mapping = _resolve(chosen, facts, renamed)
        items, dups = _final_items(chosen, mapping, facts, renamed)
        skipped.update(dups)
        origin = cand.name
        notes: list[str] = []
        target = facts_dir / f"{stem}.yaml"
        existing = next((ff.path for ff in facts.files if ff.source.stem == stem), None) if facts else None
        if existing is not None:
            target = existing
            content, rewritten = add_items(existing.read_text(encoding="utf-8"), items, f"added by `kg ingest` from {origin}")
            if rewritten:
                notes.append(f"{target} was written out again whole (its YAML could not be added to in place): its comments were not kept")
        else:
            content = _new_file(stem, items, origin)
        staged = stage.put_facts(target.name, content)
        try:
            load_facts(stage.facts, stage.sources)
        except FactsError as e:
            raise _relocate(e, staged, target) from None
        added = {sec: len(items[sec]) for sec in _SECTIONS}
        report = IngestReport(target, text is not None, added, mapping, skipped, dry_run, notes=notes)
        if dry_run:
            report.diff = diff(stage.facts, store, sources_dir=stage.sources)
            return report
        from kg.build import build

        say("rebuilding the store")
        report.build = build(stage.facts, store, sources_dir=stage.sources, shacl=shacl, progress=progress)
        _install(stage, target, stem, text is not None, sources_dir)
        return report
    finally:
        stage.close()


def _validate_alone(cand: Path, stage: _Stage, facts) -> None:
    """Check the candidates file itself (fields, quotes, types) so problems point at its own lines."""
    staged = stage.check / cand.name
    shutil.copyfile(cand, staged)
    try:
        load_facts(stage.check, stage.sources, candidates=True)
    except FactsError as e:
        known = set(facts.entities) if facts else set()
        real = [p for p in e.problems if not _is_known_ref(p.message, known)]
        if real:
            raise _relocate(FactsError(real), staged, cand) from None
    finally:
        staged.unlink()


def _is_known_ref(message: str, known: set[str]) -> bool:
    return "is not a defined entity" in message and any(f"{k!r} is not a defined entity" in message for k in known)


def _install(stage: _Stage, target: Path, stem: str, new_source: bool, sources_dir: Path) -> None:
    """Move the staged files into place (each move atomic)."""
    if new_source:
        sources_dir.mkdir(parents=True, exist_ok=True)
        for name in (f"{stem}.txt", f"{stem}.meta.yaml"):
            dst = sources_dir / name
            if not dst.exists():
                tmp = sources_dir / f".{name}.tmp"
                shutil.copyfile(stage.sources / name, tmp)
                os.replace(tmp, dst)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(stage.facts / target.name, tmp)
    os.replace(tmp, target)
