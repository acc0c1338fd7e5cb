"""Read an article file: detect its encoding (UTF-8, UTF-16 with BOM, GB18030/GBK) and refuse what is not text.

What is refused, before any decoding: a path that is not a regular file (a directory, a
FIFO, a device), a known binary format by its first bytes (PDF, PNG, zip/docx, …), and data
with NUL or many control bytes anywhere in it. After decoding, the text must look like text
in that encoding: few control, unassigned or private-use characters, and — when it was not
UTF-8 — Chinese characters that articles use, not the rare ones random bytes decode to.

>>> decode("园区".encode("gbk"))
('园区', 'gb18030')
>>> decode("园区".encode("utf-8"))
('园区', 'utf-8')
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from kg.errors import KgError
from kg.files import read_regular

__all__ = ["ArticleError", "decode", "read_article", "MAX_BYTES"]

MAX_BYTES = 64 * 1024 * 1024  # larger files are refused before reading

# First bytes of formats people mistake for articles, and what to do instead.
_SIGNATURES = (
    (b"%PDF-", "a PDF document: save its text as a .txt file first (e.g. pdftotext)"),
    (b"PK\x03\x04", "a zip archive (a .docx, .xlsx or .odt is one): save the document as plain text first"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV audio, AVI video)"),
    (b"\x1f\x8b", "a gzip archive: decompress it first"),
    (b"BZh", "a bzip2 archive: decompress it first"),
    (b"\xfd7zXZ\x00", "an xz archive: decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls): save it as plain text first"),
    (b"{\\rtf", "an RTF document: save it as plain text first"),
    (b"\x7fELF", "a program (an ELF binary)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1b")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"
#: largest share of control, unassigned, private-use or replacement characters in decoded text
MAX_ODD_SHARE = 0.01
#: smallest share of common characters among the Chinese ones, in text that was not UTF-8
MIN_COMMON_HANZI = 0.7


class ArticleError(KgError):
    """The article cannot be read as text (empty, binary, unknown encoding, too large)."""


def _not_text(name: str, why: str) -> ArticleError:
    return ArticleError(f"{name}: not text: {why}; give the article as a plain-text file (UTF-8)")


def _binary(data: bytes) -> str | None:
    """Why ``data`` is not text before decoding it, or None."""
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return f"it is {what}"
    if b"\x00" in data:
        return "it holds NUL bytes (a binary file)"
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > len(data) * 0.05:
        return f"{controls:,} of its {len(data):,} bytes are control bytes (a binary file)"
    return None


def _is_hanzi(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _common(c: str) -> bool:
    """A character of GB2312 level 1 or Big5 level 1: the few thousand that make up nearly all running text."""
    try:
        gb = c.encode("gb2312")
        if 0xB0 <= gb[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        big5 = c.encode("big5")
        return 0xA4 <= big5[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def _odd(text: str, encoding: str) -> str | None:
    """Why decoded ``text`` is not text after all, or None."""
    sample = text[:200_000]
    if not sample:
        return None
    odd = sum(1 for c in sample if c == "\ufffd" or (unicodedata.category(c) in ("Cc", "Co", "Cn", "Cs")
                                                     and c not in "\t\n\x0b\x0c\r\x1b\x85"))
    if odd > len(sample) * MAX_ODD_SHARE:
        return f"read as {encoding} it is full of control, unassigned or private-use characters"
    if encoding != "utf-8":
        hanzi = [c for c in sample[:20_000] if _is_hanzi(c)]
        if len(hanzi) >= 20 and sum(map(_common, hanzi)) < len(hanzi) * MIN_COMMON_HANZI:
            return f"read as {encoding} its Chinese characters are mostly rare ones, as random bytes give"
    return None


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"


def _cjk_share(text: str) -> float:
    sample = text[:20000]
    letters = [c for c in sample if not c.isspace()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _is_cjk(c)) / len(letters)


def _common_chinese_share(text: str) -> float:
    """Of the characters past ASCII, the share that are common Chinese characters (:func:`_common`) or CJK
    punctuation: an English page naming Chinese bodies, saved as GBK, is mostly Latin letters but its other
    characters are Chinese; a European legacy encoding read as GBK (Größe → Gr鲞e) makes rare ones of its accents."""
    others = [c for c in text[:20000] if ord(c) > 0x7F and not c.isspace()]
    if not others:
        return 0.0
    return sum(1 for c in others if _is_hanzi(c) and _common(c) or _is_cjk(c) and not _is_hanzi(c)) / len(others)


def decode(data: bytes, name: str = "article") -> tuple[str, str]:
    """The text in ``data`` and the encoding it was read with; :class:`ArticleError` if it is not text."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise ArticleError(f"{name}: starts with a {enc} byte-order mark but is not {enc} ({e.reason} at byte "
                                   f"{e.start})") from None
            if why := _odd(text, enc if enc != "utf-8-sig" else "utf-8"):
                raise _not_text(name, why)
            return text, enc
    if why := _binary(data):
        raise _not_text(name, why)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ArticleError(
                f"{name}: neither UTF-8 nor GB18030/GBK ({utf8_error.reason} at byte {utf8_error.start}); save it as "
                f"UTF-8"
            ) from None
        if _cjk_share(text) < 0.3 and _common_chinese_share(text) < 0.8:
            raise ArticleError(f"{name}: not UTF-8, and read as GBK it is not Chinese text; save it as UTF-8")
        if why := _odd(text, "gb18030"):
            raise _not_text(name, why)
        return text, "gb18030"
    if why := _odd(text, "utf-8"):
        raise _not_text(name, why)
    return text, "utf-8"


def read_article(path: Path | str) -> tuple[str, str]:
    """The text of the article at ``path`` and its detected encoding.

    Raises :class:`ArticleError` for a missing, empty, binary, oversized or undecodable file,
    and for a path that is not a regular file (a directory, a FIFO, a device).
    """
    p = Path(path)
    try:
        data = read_regular(p, "article", MAX_BYTES)
    except ArticleError:
        raise
    except KgError as e:
        raise ArticleError(str(e)) from None
    text, enc = decode(data, str(p))
    if not text.strip():
        raise ArticleError(f"{p}: the article is empty")
    return text, enc
