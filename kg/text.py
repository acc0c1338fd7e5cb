"""Chinese text normalization for OCR'd articles, with offsets back to the original text.

Two levels:

* :func:`normalize` makes OCR text readable: drops layout debris (page codes such as
  ``07A``), joins lines broken mid-sentence, removes spaces between CJK characters and
  folds full-width letters and digits to ASCII. Chinese punctuation is kept.
* :func:`match_key` is the form in which quotes and names are compared: NFKC width
  folding, every whitespace and line break removed, quotation marks dropped, traditional
  characters mapped to simplified, case folded. A quote "occurs in a document" when its
  key is a substring of the document's key.

Both remove control characters (Unicode ``Cc``: C0, DEL and C1, U+009B CSI among them; the
whitespace ones become spaces) and format characters (``Cf``: zero-width spaces and joiners,
the bidirectional marks, embeddings, overrides and isolates of :data:`BIDI_CONTROLS`), so
text cut from a normalized article never carries them, and a quote still matches the raw
document that has them: the quote "occurs verbatim in the source after normalization".

Both return, on request, an offset list that maps each output character to the index of
the original character it came from, so a match in normalized text is a span in the raw
text (a control character inside the quoted words is inside the raw span).

>>> normalize("打通\\n服务群众的“最后一 公里”")
'打通服务群众的“最后一公里”'
>>> match_key("“紅領寧商”黨建共同體")
'红领宁商党建共同体'
>>> raw = "园区金诃藏药集团有限公司\\n被认定为青海省首家新型研发机构"
>>> span = find_quote(raw, "金诃藏药集团有限公司被认定")
>>> raw[span[0]:span[1]]
'金诃藏药集团有限公司\\n被认定'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "simplified_map",
    "normalize",
    "normalize_with_offsets",
    "match_key",
    "match_key_with_offsets",
    "name_key",
    "find_quote",
    "is_cjk",
    "BIDI_CONTROLS",
    "find_control",
    "describe_char",
    "escape_controls",
]

# Quotation marks dropped from match keys: “红领宁商”党建共同体 == 红领宁商党建共同体.
_QUOTE_MARKS = frozenset("“”‘’\"'「」『』〝〞＂＇")
# Separators dropped from name keys only (智汇三江源·助力新青海).
_NAME_SEPARATORS = frozenset("·•・‧")
# A blank line after one of these is a paragraph break; after a bare character it is a
# column break in the middle of a sentence (环\n\n卫设备) and is joined.
_SENTENCE_END = frozenset("。！？；：…”』」）】")
_PAGE_CODE = re.compile(r"^\s*\d{1,3}[A-Z]?\s*$")

#: Bidirectional formatting characters: they reorder what a terminal or an editor shows
#: (U+202E makes "txt.exe" read "exe.txt") while the text stays the same.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0, DEL, C1 (U+009B is CSI, as good as ESC [ to a terminal) and the bidi controls.
_CONTROLS = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_CONTROLS_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
# What output may not carry: the same, but a line ending CR LF passes (CSV and SPARQL CSV use it).
_UNSAFE_OUTPUT = re.compile(f"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_C0_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "TAB", 0x0A: "LINE FEED", 0x0B: "LINE TABULATION",
             0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE",
             0x9B: "CONTROL SEQUENCE INTRODUCER", 0x9D: "OPERATING SYSTEM COMMAND"}


def find_control(text: str, *, lines: bool = False) -> int:
    """Index of the first terminal control or bidi character in ``text``, or -1.

    Controls are C0 (``\\x00``–``\\x1f``), DEL, C1 (``\\x80``–``\\x9f``) and
    :data:`BIDI_CONTROLS`; with ``lines``, line feeds and tabs are allowed.

    >>> find_control("红领宁商\\u202e党建"), find_control("一行\\n两行", lines=True), find_control("\\x9b2J")
    (4, -1, 0)
    """
    m = (_CONTROLS_BUT_LINES if lines else _CONTROLS).search(text)
    return m.start() if m else -1


def escape_controls(text: str) -> str:
    """``text`` with every control and bidi character but line feed, tab and CR LF written as ``\\uXXXX``.

    What a terminal shows is then what the text holds; in JSON, Turtle or N-Quads strings the
    escape is the same character.

    >>> escape_controls("红领\\u202e宁商\\x1b[2J\\n"), escape_controls("a\\rb\\r\\n")
    ('红领\\\\u202e宁商\\\\u001b[2J\\n', 'a\\\\u000db\\r\\n')
    """
    return _UNSAFE_OUTPUT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def describe_char(ch: str) -> str:
    """``U+XXXX (NAME)`` of one character, for a message.

    >>> describe_char("\\x9b"), describe_char("\\u202e")
    ('U+009B (CONTROL SEQUENCE INTRODUCER)', 'U+202E (RIGHT-TO-LEFT OVERRIDE)')
    """
    o = ord(ch)
    name = unicodedata.name(ch, "") or _C0_NAMES.get(o) or ("C1 control" if 0x80 <= o <= 0x9F else "control character")
    return f"U+{o:04X} ({name})"


def is_cjk(ch: str) -> bool:
    """True for CJK ideographs, CJK punctuation and full-width forms."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF  # unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x20000 <= o <= 0x2FA1F  # extensions B+ and compatibility supplement
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x3000 <= o <= 0x303F  # CJK symbols and punctuation
        or 0xFF00 <= o <= 0xFFEF  # half/full-width forms
        or 0x2010 <= o <= 0x2027  # dashes, quotes, ellipsis used in Chinese text
    )


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # opencc-python-reimplemented: pure Python, offline

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def simplified_map(texts) -> dict[str, str]:
    """Traditional character → simplified, for the characters of ``texts`` in either script.

    A page that searches these texts folds a query and the texts with it, so 金訶藏藥 finds
    金诃藏药 and the other way round, without shipping the whole conversion table.

    >>> simplified_map(["金诃藏药", "臺中"])
    {'臺': '台', '藥': '药', '訶': '诃'}
    """
    out: dict[str, str] = {}
    for ch in sorted({c for t in texts for c in t if is_cjk(c) and 0x3400 <= ord(c) <= 0x9FFF}):
        simp = _t2s().convert(ch)
        trad = _s2t().convert(ch)
        if len(simp) == 1 and simp != ch:
            out[ch] = simp
        if len(trad) == 1 and trad != ch:
            out[trad] = ch
    return out


@lru_cache(maxsize=65536)
def _fold(ch: str) -> str:
    """Width-fold (NFKC) and map traditional to simplified, one character at a time."""
    s = unicodedata.normalize("NFKC", ch)
    if len(s) == 1 and 0x3400 <= ord(s) <= 0x9FFF:
        t = _t2s().convert(s)
        if len(t) == 1:
            s = t
    return s.casefold()


# a pinyin reading that web mirrors insert after a character: 產(chǎn)業(yè) — it has a tone mark; some
# mirrors leave a space before the closing bracket: 創(chuàng )新
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_NOTE = re.compile(rf"(?<=[\u3400-\u9fff])[(（] ?[a-zü]*[{_TONED}][a-zü{_TONED}]* ?[)）]")


def _pinyin_notes(text: str) -> set[int]:
    """Indices of the characters of inserted pinyin readings (產(chǎn) → the 6 characters of (chǎn))."""
    if "(" not in text and "（" not in text:
        return set()
    return {i for m in _PINYIN_NOTE.finditer(text) for i in range(m.start(), m.end())}


@lru_cache(maxsize=65536)
def _char_key(ch: str, drop: frozenset[str], controls: bool) -> str:
    """What one character contributes to a match key (see :func:`match_key_with_offsets`)."""
    if ch.isspace() or ch in drop:
        return ""
    cat = unicodedata.category(ch)
    if cat == "Cf" or (controls and cat == "Cc"):
        return ""
    return "".join(f for f in _fold(ch) if not (f.isspace() or f in drop))


def match_key_with_offsets(
    text: str, *, drop: frozenset[str] = _QUOTE_MARKS, controls: bool = True
) -> tuple[str, list[int]]:
    """The match key of ``text`` and, for each key character, its index in ``text``.

    Format characters (``Cf``) are always dropped, control characters (``Cc``) unless
    ``controls`` is false: a name typed with ESC or NUL in it names nothing. Inserted pinyin
    readings (產(chǎn)業(yè) on mirrored pages) are not part of the key.
    """
    out: list[str] = []
    offsets: list[int] = []
    notes = _pinyin_notes(text)
    for i, ch in enumerate(text):
        k = _char_key(ch, drop, controls)
        if k and i not in notes:
            out.append(k)
            offsets.extend([i] * len(k))
    return "".join(out), offsets


def match_key(text: str) -> str:
    """The form in which quotes are compared with documents (see module docstring)."""
    # no pinyin reading: a lookup a character
    if ("(" not in text and "（" not in text) or not _PINYIN_NOTE.search(text):
        return "".join([_char_key(ch, _QUOTE_MARKS, True) for ch in text])
    return match_key_with_offsets(text)[0]


_NAME_DROP = _QUOTE_MARKS | _NAME_SEPARATORS | frozenset("《》〈〉")


@lru_cache(maxsize=1 << 16)  # a name is keyed again at each pass that compares it (1,500 names: 18,000 calls)
def name_key(name: str) -> str:
    """The form in which names are compared: the match key without separators or 《》."""
    return match_key_with_offsets(name, drop=_NAME_DROP, controls=False)[0]


@lru_cache(maxsize=32)
def _doc_key(raw: str) -> tuple[str, tuple[int, ...]]:
    key, offsets = match_key_with_offsets(raw)
    return key, tuple(offsets)


def find_quote(raw: str, quote: str) -> tuple[int, int] | None:
    """Span ``(start, end)`` of ``quote`` in ``raw`` compared by match key, or None.

    The span covers the original characters, line breaks and spaces included, so
    ``raw[start:end]`` is what the quote was taken from.
    """
    qkey = match_key(quote)
    if not qkey:
        return None
    dkey, offsets = _doc_key(raw)
    i = dkey.find(qkey)
    if i < 0:
        return None
    start, end = offsets[i], offsets[i + len(qkey) - 1] + 1
    # what the key drops at either end of the quote (“红领宁商”党建共同体: the opening mark) is in the
    # span when the article has it right there, so the span reads as the quote does
    lead = next((k for k in range(len(quote)) if match_key(quote[: k + 1])), 0)
    trail = next((k for k in range(len(quote)) if match_key(quote[len(quote) - k - 1 :])), 0)
    if lead and raw[max(0, start - lead) : start] == quote[:lead]:
        start -= lead
    if trail and raw[end : end + trail] == quote[len(quote) - trail :]:
        end += trail
    return start, end


def _is_joinable(ch: str) -> bool:
    return is_cjk(ch) or unicodedata.category(ch).startswith("P")


def normalize_with_offsets(raw: str) -> tuple[str, list[int]]:
    """Readable text from OCR'd ``raw`` and each output character's index in ``raw``.

    Paragraph breaks (a blank line, or an indented line after a
    sentence end) are kept as one blank line; a single line break is
    removed between CJK characters or punctuation and becomes a space between Latin
    words; spaces next to a CJK character are removed; lines holding only a page code
    are dropped; full-width letters and digits become ASCII; control and format characters
    (ESC, CSI, bidi overrides, zero-width spaces) are dropped.
    """
    return _collapse(_folded(raw))


def _folded(raw: str) -> list[tuple[str, int]]:
    """Steps 1 and 2 of :func:`normalize_with_offsets`: (character, index in ``raw``) pairs."""
    # 1. Drop layout-debris lines, keeping offsets.
    kept: list[tuple[str, int]] = []
    pos = 0
    for line in raw.splitlines(keepends=True):
        if not _PAGE_CODE.match(line):
            kept.extend((ch, pos + j) for j, ch in enumerate(line))
        pos += len(line)
    # 2. Fold width for letters/digits/space; unify line endings.
    chars: list[tuple[str, int]] = []
    for ch, i in kept:
        if ch == "\r":
            continue
        if 0xFF10 <= ord(ch) <= 0xFF5A and unicodedata.normalize("NFKC", ch).isalnum():
            ch = unicodedata.normalize("NFKC", ch)
        elif ch == "\u3000" or (ch.isspace() and ch != "\n"):
            ch = " "
        elif ch != "\n" and unicodedata.category(ch) in ("Cf", "Cc"):  # zero-width, direction marks, controls
            continue
        chars.append((ch, i))
    return chars


def _collapse(chars: list[tuple[str, int]]) -> tuple[str, list[int]]:
    """Step 3 of :func:`normalize_with_offsets`: a run of whitespace becomes a paragraph break, a space or nothing."""
    # 3. Collapse runs of whitespace, deciding what each run becomes.
    out: list[str] = []
    offsets: list[int] = []
    n = len(chars)
    k = 0
    while k < n:
        ch, i = chars[k]
        if ch not in " \n":
            out.append(ch)
            offsets.append(i)
            k += 1
            continue
        start = k
        while k < n and chars[k][0] in " \n":
            k += 1
        run = "".join(c for c, _ in chars[start:k])
        prev = out[-1] if out else ""
        nxt = chars[k][0] if k < n else ""
        if not prev or not nxt:
            continue  # leading/trailing whitespace
        blank_line = run.count("\n") >= 2
        indented = "\n " in run
        mid_sentence = is_cjk(prev) and is_cjk(nxt) and prev not in _SENTENCE_END
        if (blank_line and not mid_sentence) or (indented and prev in _SENTENCE_END):
            out.extend("\n\n")
            offsets.extend((chars[start][1], chars[start][1]))
        elif _is_joinable(prev) or _is_joinable(nxt):
            continue
        else:
            out.append(" ")
            offsets.append(chars[start][1])
    return "".join(out), offsets


def normalize(raw: str) -> str:
    """Readable text from OCR'd ``raw`` (see :func:`normalize_with_offsets`)."""
    return normalize_with_offsets(raw)[0]
