"""A bare 联盟 / 协会 … the learned filter found glued to what precedes it (大力支持|联盟): a reference back to the
body of its kind the article names (:func:`apply_refs`), read as :func:`~kg.extract.references.anaphora` reads one."""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping

from kg.extract.document import Document
from kg.extract.entities import Ent
from kg.extract.orgbounds import Alt, apply_alternative

__all__ = ["apply_refs", "bodies_by_word", "refer_body"]


def refer_body(e: Ent, word: str, bodies: Mapping[tuple[str, str], list[tuple[tuple[int, int], Ent]]]) -> Ent | None:
    """The body ``e`` (大力支持|联盟, found to be the bare ``word`` glued to what precedes it) refers back to, as
    :func:`~kg.extract.references.anaphora` reads a bare 联盟: the body of its type whose name ends in ``word`` named
    last before ``e``, else (nothing before it) the one named most often; None when the article names none.
    ``bodies`` holds, per (type, word), the mentions of those bodies in the order of the text."""
    named = bodies.get((e.type, word), ())
    at = bisect_left(named, min((m.sent, m.i) for m in e.mentions), key=lambda x: x[0])
    if at:
        return named[at - 1][1]
    count: dict[int, list] = {}
    for _, x in named:
        count.setdefault(id(x), [0, x])[0] += 1
    return max(count.values(), key=lambda c: c[0])[1] if count else None


def bodies_by_word(ents: list[Ent], words: set[str]) -> dict[tuple[str, str], list[tuple[tuple[int, int], Ent]]]:
    """Per (type, word of ``words`` its name ends in), the mentions of ``ents`` in the order of the text."""
    out: dict[tuple[str, str], list] = {}
    for x in ents:
        for w in words:
            if x.key.endswith(w) and x.key != w:
                out.setdefault((x.type, w), []).extend(((m.sent, m.i), x) for m in x.mentions)
    for named in out.values():
        named.sort(key=lambda x: x[0])
    return out


def apply_refs(refer: list[tuple[Ent, Alt, bool, Alt | None]], ents: list[Ent], doc: Document,
               keys: Mapping[int, str], drop: set[int]) -> list[tuple[Ent, Alt]]:
    """Each reference back joins the body it refers to — its mentions narrowed to the bare word, that word (as
    written) an alias of the body; with no body, the decision made without the bare reading holds (dropped, or
    moved to its other boundary: the pairs returned)."""
    ids = {id(e) for e, *_ in refer}
    bodies = bodies_by_word([x for x in ents if id(x) not in drop and id(x) not in ids and x.mentions],
                            {bare.key for _, bare, _, _ in refer})
    moved = []
    for e, bare, keep, alt in refer:
        body = refer_body(e, bare.key, bodies)
        if body is None:
            if not keep:
                drop.add(id(e))
            elif alt is not None:
                moved.append((e, alt))
            continue
        before = list(e.mentions)
        apply_alternative(e, bare, doc, keys, {bare.key: body})
        for m in before:
            if m.ent is body:
                body.aliases.setdefault(bare.key, doc.name(*doc.sentences[m.sent].span(m.i, m.j)))
        if not e.mentions:
            drop.add(id(e))
    return moved
