"""A reviewed candidates file as ``kg ingest`` reads it: the data with the line of each key and item,
its shape checked before it names any file, and the article it names read only when it has
the checksum the file records.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg import files
from kg.errors import KgError, shorten
from kg.facts import MAX_FILE_BYTES
from kg.workflows.ingest_select import SECTIONS

__all__ = ["Candidates", "read_candidates", "check_shape", "source_text"]

_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass
class Candidates:
    """The candidates file: its data, and the line of each top-level key, extraction key and item."""

    path: Path
    data: dict[str, Any]
    lines: dict[str, int]
    item_lines: dict[int, int]

    def line(self, key: str) -> int:
        return self.lines.get(key) or self.lines.get(key.rsplit(".", 1)[0]) or 1

    def where(self, item: Any) -> int:
        return self.item_lines.get(id(item), 1)

    def error(self, key: str, message: str) -> KgError:
        return KgError(f"{self.path}:{self.line(key)}: {message}")


def read_candidates(path: Path) -> Candidates:
    if not os.path.lexists(path):
        raise KgError(f"{path}: no such candidates file")
    raw = files.read_regular(path, "candidates file", MAX_FILE_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise KgError(f"{path}:1: not UTF-8 ({e.reason} at byte {e.start}); save the file as UTF-8") from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise KgError(
            f"{path}:{mark.line + 1 if mark else 1}: malformed YAML: {' '.join(str(e.problem or e).split())}"
        ) from None
    except yaml.reader.ReaderError as e:
        raise KgError(
            f"{path}:{text.count(chr(10), 0, e.position) + 1}: malformed YAML: character U+{e.character:04X} is not "
            "allowed in YAML"
        ) from None
    except yaml.YAMLError as e:
        raise KgError(f"{path}:1: malformed YAML: {' '.join(str(e).split())}") from None
    except RecursionError:
        raise KgError(f"{path}:1: malformed YAML: nested too deeply") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise KgError(
            f"{path}:1: not a candidates file (a mapping with 'source' and the facts sections, as kg extract writes)"
        )
    lines: dict[str, int] = {}
    item_lines: dict[int, int] = {}
    for k, v in node.value:
        if not isinstance(k, yaml.ScalarNode):
            continue
        lines.setdefault(k.value, k.start_mark.line + 1)
        if k.value == "extraction" and isinstance(v, yaml.MappingNode):
            for k2, v2 in v.value:
                if isinstance(k2, yaml.ScalarNode):
                    lines.setdefault(f"extraction.{k2.value}", k2.start_mark.line + 1)
                    if k2.value == "meta" and isinstance(v2, yaml.MappingNode):
                        lines.update(
                            {
                                f"extraction.meta.{k3.value}": k3.start_mark.line + 1
                                for k3, _ in v2.value
                                if isinstance(k3, yaml.ScalarNode)
                            }
                        )
        if k.value in SECTIONS and isinstance(v, yaml.SequenceNode) and isinstance(data.get(k.value), list):
            item_lines.update({id(item): n.start_mark.line + 1 for item, n in zip(data[k.value], v.value)})
    return Candidates(path, data, lines, item_lines)


def check_shape(c: Candidates) -> None:
    """What must hold before the candidates name any file: the source stem, the extraction section."""
    data = c.data
    if "source" not in data:
        raise c.error("source", "missing 'source': the file name of the article in the sources directory, without .txt")
    if problem := files.stem_problem(data["source"]):
        raise c.error(
            "source",
            f"source {shorten(repr(data['source']), 60)} {problem}: it must be the file name of the article "
            "in the sources directory without .txt (no folder, no ..)",
        )
    prov = data.get("extraction")
    if prov is None:
        return
    if not isinstance(prov, dict):
        raise c.error(
            "extraction", f"extraction must be a mapping (as kg extract writes it), got {type(prov).__name__}"
        )
    art = prov.get("article")
    if art is not None and not (
        isinstance(art, str)
        and art.strip()
        and len(art) <= 4096
        and not any(unicodedata.category(ch) == "Cc" for ch in art)
    ):
        raise c.error(
            "extraction.article",
            f"extraction.article must be the path of the article file, got {shorten(repr(art), 60)}",
        )
    sha = prov.get("sha256")
    if sha is not None and not (isinstance(sha, str) and _HEX64.fullmatch(sha)):
        raise c.error(
            "extraction.sha256",
            f"extraction.sha256 must be the 64 hex digits kg extract wrote, got {shorten(repr(sha), 60)}",
        )
    if prov.get("meta") is not None and not isinstance(prov["meta"], dict):
        raise c.error("extraction.meta", "extraction.meta must be a mapping (id, title, …)")


def source_text(c: Candidates, stem: str, sources_dir: Path) -> tuple[str | None, dict | None]:
    """(text, meta) of a new article to install, or (None, None) when ``sources/<stem>.txt`` is there already."""
    prov = c.data.get("extraction") or {}
    want = prov.get("sha256")
    txt = sources_dir / f"{stem}.txt"
    from kg.extract.reading import decode, read_article

    if os.path.lexists(txt):
        raw = files.read_regular(files.inside(txt, sources_dir, "sources directory"), "source text", MAX_FILE_BYTES)
        if (
            want and hashlib.sha256(decode(raw, str(txt))[0].encode("utf-8")).hexdigest() != want
        ):  # the text as kg extract read it
            raise c.error(
                "extraction.sha256",
                f"{txt} differs from the article these candidates were extracted from; extract again from it",
            )
        return None, None
    article = prov.get("article")
    if not article:
        raise c.error(
            "source",
            f"source {stem!r} is not in {sources_dir} and the file does not say where the article is "
            "(extraction.article)",
        )
    if not want:
        raise c.error(
            "extraction.article",
            f"extraction.article has no sha256 to show it is the text these candidates came from; "
            f"run kg extract on the article again, or copy it to {txt} with its .meta.yaml",
        )
    art = Path(article) if Path(article).is_absolute() else c.path.parent / article
    try:
        text, _ = read_article(art)
    except KgError as e:
        raise c.error("extraction.article", f"cannot read the article it was extracted from: {e}") from None
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != want:
        raise c.error(
            "extraction.sha256", f"the article {art} changed since extraction (its sha256 differs); extract it again"
        )
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "article"
    return text, prov.get("meta") or {"id": slug, "title": stem, "title_is_descriptive": True}
