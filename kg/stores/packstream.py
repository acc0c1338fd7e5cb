"""PackStream v1, the value encoding of the Bolt protocol, and Bolt's message chunking.

Only what the local Bolt server needs (:mod:`kg.stores.bolt_server`): every PackStream
type both ways, structures as :class:`Structure`, and the graph structures of Bolt 5
(node, relationship, unbound relationship, path) built from plain values.

Examples
--------
>>> unpack(pack({"a": [1, -3, 2.5, None, True, "青海"]}))
{'a': [1, -3, 2.5, None, True, '青海']}
>>> unpack(pack(Structure(0x70, [{}])))
Structure(tag=112, fields=[{}])
>>> chunk(b"abc")
b'\\x00\\x03abc\\x00\\x00'
"""

from __future__ import annotations

import calendar
import datetime as _dt
import struct
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Structure",
    "PackStreamError",
    "pack",
    "unpack",
    "chunk",
    "node",
    "relationship",
    "unbound_relationship",
    "path",
    "from_falkordb",
]

MAX_CHUNK = 0xFFFF
_EPOCH = _dt.date(1970, 1, 1)


@dataclass
class Structure:
    """A PackStream structure: a one-byte tag and its fields (Bolt messages are structures too)."""

    tag: int
    fields: list[Any] = field(default_factory=list)


class PackStreamError(ValueError):
    """Bytes that are not PackStream, or a value PackStream cannot carry."""


def _size_marker(out: bytearray, n: int, tiny: int | None, m8: int | None, m16: int, m32: int) -> None:
    if tiny is not None and n < 16:
        out.append(tiny + n)
    elif m8 is not None and n < 0x100:
        out += bytes((m8, n))
    elif n < 0x10000:
        out.append(m16)
        out += struct.pack(">H", n)
    elif n < 0x100000000:
        out.append(m32)
        out += struct.pack(">I", n)
    else:
        raise PackStreamError(f"too large for PackStream: {n} items")


def _pack_int(out: bytearray, v: int) -> None:
    if -16 <= v < 128:
        out += struct.pack(">b", v)
    elif -0x80 <= v < 0x80:
        out += b"\xc8" + struct.pack(">b", v)
    elif -0x8000 <= v < 0x8000:
        out += b"\xc9" + struct.pack(">h", v)
    elif -0x80000000 <= v < 0x80000000:
        out += b"\xca" + struct.pack(">i", v)
    elif -0x8000000000000000 <= v < 0x8000000000000000:
        out += b"\xcb" + struct.pack(">q", v)
    else:
        raise PackStreamError(f"integer out of the 64-bit range: {v}")


def _temporal(v: Any) -> Structure | None:
    """Dates and times as Bolt structures (naive values as local ones)."""
    if isinstance(v, _dt.datetime):
        if v.tzinfo is not None:
            offset = int((v.utcoffset() or _dt.timedelta()).total_seconds())
            return Structure(0x49, [calendar.timegm(v.utctimetuple()), v.microsecond * 1000, offset])
        return Structure(0x64, [calendar.timegm(v.timetuple()), v.microsecond * 1000])
    if isinstance(v, _dt.date):
        return Structure(0x44, [(v - _EPOCH).days])
    if isinstance(v, _dt.time):
        nanos = ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000_000 + v.microsecond * 1000
        return Structure(0x74, [nanos])
    if isinstance(v, _dt.timedelta):
        return Structure(0x45, [0, v.days, v.seconds, v.microseconds * 1000])
    if type(v).__name__ == "relativedelta":  # FalkorDB's client returns durations as dateutil's relativedelta
        secs = (v.hours * 60 + v.minutes) * 60 + v.seconds
        return Structure(0x45, [v.years * 12 + v.months, v.days, secs, v.microseconds * 1000])
    return None


def _pack(out: bytearray, v: Any) -> None:
    if v is None:
        out.append(0xC0)
    elif v is True:
        out.append(0xC3)
    elif v is False:
        out.append(0xC2)
    elif isinstance(v, int):
        _pack_int(out, v)
    elif isinstance(v, float):
        out += b"\xc1" + struct.pack(">d", v)
    elif isinstance(v, str):
        b = v.encode("utf-8")
        _size_marker(out, len(b), 0x80, 0xD0, 0xD1, 0xD2)
        out += b
    elif isinstance(v, (bytes, bytearray)):
        _size_marker(out, len(v), None, 0xCC, 0xCD, 0xCE)
        out += v
    elif isinstance(v, dict):
        _size_marker(out, len(v), 0xA0, 0xD8, 0xD9, 0xDA)
        for k, x in v.items():
            _pack(out, str(k))
            _pack(out, x)
    elif isinstance(v, (list, tuple)):
        _size_marker(out, len(v), 0x90, 0xD4, 0xD5, 0xD6)
        for x in v:
            _pack(out, x)
    elif isinstance(v, Structure):
        if len(v.fields) >= 16:
            raise PackStreamError("a structure has at most 15 fields")
        out += bytes((0xB0 + len(v.fields), v.tag))
        for x in v.fields:
            _pack(out, x)
    elif (s := _temporal(v)) is not None:
        _pack(out, s)
    else:
        raise PackStreamError(f"cannot encode a {type(v).__name__} in PackStream")


def pack(value: Any) -> bytes:
    """The PackStream bytes of ``value`` (None, bool, int, float, str, bytes, list, dict, Structure, dates)."""
    out = bytearray()
    _pack(out, value)
    return bytes(out)


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.i = 0

    def take(self, n: int) -> bytes:
        if self.i + n > len(self.data):
            raise PackStreamError("truncated PackStream value")
        b = self.data[self.i : self.i + n]
        self.i += n
        return b

    def num(self, fmt: str) -> int:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def value(self) -> Any:  # noqa: C901 - one branch per marker, as the spec lists them
        m = self.take(1)[0]
        if m < 0x80:
            return m
        if m >= 0xF0:
            return m - 0x100
        hi, lo = m & 0xF0, m & 0x0F
        if hi == 0x80:
            return self.take(lo).decode("utf-8")
        if hi == 0x90:
            return [self.value() for _ in range(lo)]
        if hi == 0xA0:
            return self.dict(lo)
        if hi == 0xB0:
            tag = self.take(1)[0]
            return Structure(tag, [self.value() for _ in range(lo)])
        simple = {0xC0: None, 0xC2: False, 0xC3: True}
        if m in simple:
            return simple[m]
        if m == 0xC1:
            return self.num(">d")
        ints = {0xC8: ">b", 0xC9: ">h", 0xCA: ">i", 0xCB: ">q"}
        if m in ints:
            return self.num(ints[m])
        sizes = {0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xD0: ">B", 0xD1: ">H", 0xD2: ">I",
                 0xD4: ">B", 0xD5: ">H", 0xD6: ">I", 0xD8: ">B", 0xD9: ">H", 0xDA: ">I"}
        if m not in sizes:
            raise PackStreamError(f"unknown PackStream marker 0x{m:02X}")
        n = self.num(sizes[m])
        if m <= 0xCE:
            return self.take(n)
        if m <= 0xD2:
            return self.take(n).decode("utf-8")
        if m <= 0xD6:
            return [self.value() for _ in range(n)]
        return self.dict(n)

    def dict(self, n: int) -> dict[str, Any]:
        out = {}
        for _ in range(n):
            k = self.value()
            if not isinstance(k, str):
                raise PackStreamError("a PackStream dictionary key must be a string")
            out[k] = self.value()
        return out


def unpack(data: bytes) -> Any:
    """The one value encoded in ``data``; :class:`PackStreamError` if it is not exactly one."""
    r = _Reader(data)
    try:
        v = r.value()
    except UnicodeDecodeError as e:
        raise PackStreamError(f"a string is not UTF-8: {e}") from None
    if r.i != len(data):
        raise PackStreamError(f"{len(data) - r.i} bytes after the value")
    return v


def chunk(message: bytes) -> bytes:
    """``message`` cut into Bolt chunks (2-byte sizes) and ended by the 0x0000 marker."""
    out = bytearray()
    for i in range(0, len(message), MAX_CHUNK):
        part = message[i : i + MAX_CHUNK]
        out += struct.pack(">H", len(part)) + part
    return bytes(out + b"\x00\x00")


def node(id_: int, labels: list[str], props: dict[str, Any]) -> Structure:
    """A Bolt 5 Node; its element id is the FalkorDB id as a string."""
    return Structure(0x4E, [id_, list(labels), props, str(id_)])


def relationship(id_: int, start: int, end: int, type_: str, props: dict[str, Any]) -> Structure:
    """A Bolt 5 Relationship; element ids are the FalkorDB ids as strings."""
    return Structure(0x52, [id_, start, end, type_, props, str(id_), str(start), str(end)])


def unbound_relationship(id_: int, type_: str, props: dict[str, Any]) -> Structure:
    """A Bolt 5 UnboundRelationship (inside a Path)."""
    return Structure(0x72, [id_, type_, props, str(id_)])


def path(nodes: list[Structure], rels: list[tuple[int, int, int, str, dict[str, Any]]]) -> Structure:
    """A Bolt Path from its nodes in order and its relationships as (id, start, end, type, props)."""
    node_ids = [n.fields[0] for n in nodes]
    unbound: list[Structure] = []
    index: dict[int, int] = {}
    seq: list[int] = []
    for i, (rid, start, end, type_, props) in enumerate(rels):
        if rid not in index:
            unbound.append(unbound_relationship(rid, type_, props))
            index[rid] = len(unbound)
        forward = start == node_ids[i]
        seq += [index[rid] if forward else -index[rid], i + 1]
    distinct: list[Structure] = []
    pos: dict[int, int] = {}
    for n in nodes:
        if n.fields[0] not in pos:
            pos[n.fields[0]] = len(distinct)
            distinct.append(n)
    seq = [x if k % 2 == 0 else pos[node_ids[x]] for k, x in enumerate(seq)]
    return Structure(0x50, [distinct, unbound, seq])


def from_falkordb(v: Any) -> Any:
    """A value from FalkorDB's Python client as a Bolt value: its Node, Edge and Path as Bolt structures."""
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path

    if isinstance(v, Node):
        return node(
            v.id, [lab for lab in (v.labels or []) if lab], {k: from_falkordb(x) for k, x in v.properties.items()}
        )
    if isinstance(v, Edge):
        return relationship(
            v.id,
            _nid(v.src_node),
            _nid(v.dest_node),
            v.relation,
            {k: from_falkordb(x) for k, x in v.properties.items()},
        )
    if isinstance(v, Path):
        nodes = [from_falkordb(n) for n in v.nodes()]
        rels = [
            (
                e.id,
                _nid(e.src_node),
                _nid(e.dest_node),
                e.relation,
                {k: from_falkordb(x) for k, x in e.properties.items()},
            )
            for e in v.edges()
        ]
        return path(nodes, rels)
    if isinstance(v, dict):
        return {str(k): from_falkordb(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [from_falkordb(x) for x in v]
    return v


def _nid(n: Any) -> int:
    return n if isinstance(n, int) else n.id
