"""Read an article file: detect its encoding (UTF-8, UTF-16 with BOM, GB18030/GBK) and refuse what is not text.

>>> decode("园区".encode("gbk"))
('园区', 'gb18030')
>>> decode("园区".encode("utf-8"))
('园区', 'utf-8')
"""

from __future__ import annotations

import codecs
from pathlib import Path

from kg.errors import KgError

__all__ = ["ArticleError", "decode", "read_article", "MAX_BYTES"]

MAX_BYTES = 64 * 1024 * 1024  # larger files are refused before reading


class ArticleError(KgError):
    """The article cannot be read as text (empty, binary, unknown encoding, too large)."""


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl > len(sample) * 0.05


def _cjk_share(text: str) -> float:
    sample = text[:20000]
    letters = [c for c in sample if not c.isspace()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef") / len(letters)


def decode(data: bytes, name: str = "article") -> tuple[str, str]:
    """The text in ``data`` and the encoding it was read with; :class:`ArticleError` if it is not text."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise ArticleError(f"{name}: starts with a {enc} byte-order mark but is not {enc} ({e.reason} at byte {e.start})") from None
    if _looks_binary(data):
        raise ArticleError(f"{name}: looks like a binary file, not text (NUL or control bytes); give a plain-text article")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ArticleError(
                f"{name}: neither UTF-8 nor GB18030/GBK ({utf8_error.reason} at byte {utf8_error.start}); save it as UTF-8"
            ) from None
        if _cjk_share(text) < 0.3:
            raise ArticleError(f"{name}: not UTF-8, and read as GBK it is not Chinese text; save it as UTF-8")
        return text, "gb18030"


def read_article(path: Path | str) -> tuple[str, str]:
    """The text of the article at ``path`` and its detected encoding.

    Raises :class:`ArticleError` for a missing, empty, binary, oversized or undecodable file.
    """
    p = Path(path)
    if not p.is_file():
        raise ArticleError(f"{p}: no such file")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise ArticleError(f"{p}: {size / 1e6:.0f} MB is more than the {MAX_BYTES // 2**20} MiB an article may have; split it")
    data = p.read_bytes()
    text, enc = decode(data, str(p))
    if not text.strip():
        raise ArticleError(f"{p}: the article is empty")
    return text, enc
