"""The checks across facts files, one path for a full build and an incremental one.

Entity ids are unique, every reference names a defined entity, a chain is an
``IncubationChain``, and no two files share a source id. A full build checks the files it
read against each other; an incremental build checks the changed files against them and
against :class:`Known`, what the unchanged files define (read from the last build's record).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.facts.fields import REFS
from kg.facts.problems import Problem, close, show
from kg.model.records import Entity, FactsFile

__all__ = ["Known", "check_across"]


@dataclass(slots=True)
class Known:
    """What the facts files not read this time define and use (empty for a full build)."""

    types: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entity id -> its types
    files: dict[str, Path] = field(default_factory=dict)  # entity id -> the facts file defining it
    docs: dict[str, Path] = field(default_factory=dict)  # source document id -> its facts file
    refs: list[tuple[Path, list[str]]] = field(default_factory=list)  # each file's references to others' entities


def check_across(
    files: list[FactsFile], known: Known | None = None
) -> tuple[dict[str, Entity], dict[str, tuple[str, ...]], list[Problem]]:
    """The entities ``files`` define, the types of every known entity, and the problems across files."""
    known = known or Known()
    problems: list[Problem] = []
    entities: dict[str, Entity] = {}
    types = dict(known.types)
    where = {eid: f"also defined in {path}" for eid, path in known.files.items()}
    docs = dict(known.docs)
    for ff in files:
        if (other := docs.setdefault(ff.source.id, ff.path)) != ff.path:
            problems.append(Problem(ff.path, 1, f"source id {ff.source.id!r} is also used by {other}"))
        for e in ff.entities:
            if e.id in where:
                problems.append(Problem(ff.path, e.line_of("id"), f"duplicate entity id {show(e.id)} ({where[e.id]})"))
                continue
            entities[e.id] = e
            types[e.id] = e.types
            where[e.id] = f"first defined at {ff.path}:{e.line_of('id')}"
    for ff in files:
        problems += _references(ff, types)
    for path, refs in known.refs:  # an unchanged file may refer to an entity that a changed file no longer defines
        problems += [
            Problem(path, 1, f"refers to {show(ref)}, which is no longer defined") for ref in refs if ref not in types
        ]
    return entities, types, problems


def _references(ff: FactsFile, types: dict[str, tuple[str, ...]]) -> list[Problem]:
    problems = []
    for sec, keys in REFS.items():
        for item in getattr(ff, sec):
            for k in keys:
                ref = getattr(item, k)
                if (ref is not None or k in item.lines) and (not isinstance(ref, str) or ref not in types):
                    problems.append(
                        Problem(
                            ff.path,
                            item.line_of(k),
                            f"{sec}: {k} {show(ref)} is not a defined entity{close(ref, types)}",
                        )
                    )
    for ch in ff.chains:
        for s in ch.stages:
            if s not in types:
                problems.append(
                    Problem(
                        ff.path,
                        ch.line_of("stages"),
                        f"chains: stage {show(s)} is not a defined entity{close(s, types)}",
                    )
                )
        if isinstance(ch.chain, str) and ch.chain in types and "IncubationChain" not in types[ch.chain]:
            problems.append(
                Problem(ff.path, ch.line_of("chain"), f"chains: {show(ch.chain)} is not an IncubationChain entity")
            )
    return problems
