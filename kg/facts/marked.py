"""YAML read with the line of every mapping, key and list item, by libyaml when it can.

libyaml's ``CSafeLoader`` parses ten times faster than PyYAML's pure-Python loader and
keeps each node's start mark, so lines come for free. When it refuses a file, the file is
read again by the pure-Python loader, whose messages are the ones :func:`read_yaml` reports
(they name the problem in words; libyaml's differ and were never shown to anyone).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kg.facts.problems import Problem, show

__all__ = ["Map", "Seq", "read_yaml", "too_big", "MAX_FILE_BYTES"]

#: largest facts file or source text read, in bytes: one news article is ~10 KB, a facts file ~50 KB
MAX_FILE_BYTES = 16 * 1024 * 1024


class Map(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    """A YAML sequence that remembers the line of each item (1-based)."""

    item_lines: list[int]


def _construct_map(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Map:
    loader.flatten_mapping(node)
    m = Map()
    m.line = node.start_mark.line + 1
    m.key_lines = {}
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in m:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {show(key)}", knode.start_mark)
        m[key] = loader.construct_object(vnode, deep=True)
        m.key_lines[key] = knode.start_mark.line + 1
    return m


def _construct_seq(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> Seq:
    seq = Seq(loader.construct_object(child, deep=True) for child in node.value)
    seq.item_lines = [child.start_mark.line + 1 for child in node.value]
    return seq


# Dates stay strings: "2024-06" and "2024-06-01" are compared and typed by us, not YAML.
_RESOLVERS = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _marked(base: type) -> type:
    loader = type(f"Marked{base.__name__}", (base,), {"yaml_implicit_resolvers": _RESOLVERS})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)
    return loader


_PY_LOADER = _marked(yaml.SafeLoader)
_FAST_LOADER = _marked(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def too_big(path: Path, problems: list[Problem], where: Problem | None = None) -> bool:
    """True (and a problem) when ``path`` is larger than :data:`MAX_FILE_BYTES`: it is not read."""
    try:
        size = path.stat().st_size
    except OSError:
        return False  # reported by the read
    if size <= MAX_FILE_BYTES:
        return False
    w = where or Problem(path, 1, "")
    problems.append(
        Problem(
            w.path,
            w.line,
            f"{path.name} is {size / 2**20:.0f} MB, more than the {MAX_FILE_BYTES // 2**20} MB "
            "a facts file or source text may have; split it (one facts file per source document)",
        )
    )
    return True


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    """The YAML document of ``path`` with line marks (:class:`Map`, :class:`Seq`), or None and a problem."""
    if too_big(path, problems):
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(path, 1, f"not UTF-8 ({e.reason} at byte {e.start}); save the file as UTF-8"))
        return None
    except OSError as e:
        problems.append(Problem(path, 1, f"cannot read: {e.strerror}"))
        return None
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a SafeLoader
    except (yaml.YAMLError, RecursionError):
        return _read_slowly(path, text, problems)


def _read_slowly(path: Path, text: str, problems: list[Problem]) -> Any:
    """``text`` parsed by PyYAML's own loader: its error messages are the ones we report."""
    try:
        return yaml.load(text, Loader=_PY_LOADER)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(path, line, f"malformed YAML: {' '.join(str(e.problem or e).split())}"))
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        problems.append(
            Problem(path, line, f"malformed YAML: character U+{e.character:04X} is not allowed in YAML ({e.reason})")
        )
    except yaml.YAMLError as e:
        problems.append(Problem(path, 1, f"malformed YAML: {' '.join(str(e).split())}"))
    except RecursionError:
        problems.append(Problem(path, 1, "malformed YAML: nested too deeply"))
    return None
