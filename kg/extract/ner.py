"""Named entities in Chinese text from a character BiLSTM-CRF model, run in numpy.

The model is foolnltk 0.1.7's NER network (Apache-2.0, ``models/LICENSE.foolnltk``),
converted by ``scripts/convert_ner_model.py`` into ``models/foolnltk_ner.npz``: a
100-dimensional character embedding, one bidirectional LSTM layer of 100 units each way,
a tanh layer, and a CRF over 25 BMES tags of six kinds — ``org``, ``company``,
``location``, ``person``, ``time`` and ``job``.

:func:`entities` cuts a text into chunks (at sentence ends, blank lines, and at commas or
every :data:`MAX_CHUNK` characters inside long runs, so memory is bounded and time linear),
maps each character to the form the model was trained on — traditional to simplified one
character at a time (:func:`kg.text.simplified_map`), letters and digits half-width,
Chinese punctuation full-width, whitespace dropped — runs the chunks in batches, and
returns spans whose offsets index the text it was given.

Fidelity: on the 1,913 chunks (96,545 characters) of tests/data/extract, this code with
float32 weights gives the logits of foolnltk's TensorFlow graph to within 1e-5 and the same
Viterbi tags; with the shipped float16 weights the logits move by at most 0.006 and not one
tag changes.

numpy is imported when the model is first used, never when :mod:`kg` is.

>>> [(s.start, s.end, s.label, s.text) for s in entities("他在北京大学读书。")]
[(2, 6, 'org', '北京大学')]
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract.dictionary import Buckets

__all__ = ["Span", "LABELS", "MAX_CHUNK", "WEIGHTS", "NerModel", "entities", "entities_many", "load_model"]

WEIGHTS = Path(__file__).with_name("models") / "foolnltk_ner.npz"
LABELS = ("org", "company", "location", "person", "time", "job")
MAX_CHUNK = 120  # characters the model sees at once; longer runs are cut
_BATCH_CHARS = 12288  # batch rows × padded length: bounds a batch's memory (~15 MB)
_SENTENCE_END = frozenset("。！？!?；;")
_CLOSERS = frozenset("”’\"'」』）)】》…") | _SENTENCE_END  # stay with the sentence they close
_SOFT_BREAKS = frozenset("，,、：:")
_PAD, _OOV = 0, 1


@dataclass(frozen=True, slots=True)
class Span:
    """An entity: ``text == source[start:end]``; ``label`` is one of :data:`LABELS`."""

    start: int
    end: int
    label: str
    text: str


class NerModel:
    """The converted BiLSTM-CRF: character ids in, BMES tag ids out (numpy, float32)."""

    def __init__(self, path: Path = WEIGHTS) -> None:
        import numpy as np

        with np.load(path, allow_pickle=False) as z:
            w = {k: z[k] for k in z.files if k != "embedding"}  # the embedding only to make the tables
            f32 = np.float32
            self.tags: list[str] = [str(t) for t in w["tags"]]
            self.vocab: dict[str, int] = {str(c): i for i, c in enumerate(w["vocab"])}
            n = w["hidden_w"].shape[0] // 2
            # sigmoid(x) = (1 + tanh(x/2)) / 2: the i, f, o gate columns are pre-halved so one
            # tanh serves all four gates. Gate order (BasicLSTMCell): i, j, f, o.
            half = np.ones(4 * n, f32)
            half[:n] = half[2 * n : 3 * n] = half[3 * n :] = 0.5
            recur = [w[f"{d}_kernel"].astype(f32)[n:] * half for d in ("fw", "bw")]
            tables = _cached_tables(path, lambda: input_tables(z["embedding"], w, half))
        self._tables = [tables[0], tables[1]]
        self._recur = np.stack(recur)  # (2, n, 4n)
        self._hidden_w = w["hidden_w"].astype(f32)
        self._hidden_b = w["hidden_b"].astype(f32)
        self._out_w = w["out_w"].astype(f32)
        self._out_b = w["out_b"].astype(f32)
        k = len(self.tags)
        self._trans = w["transitions"][:k, :k].astype(f32)
        self._start = w["transitions"][k, :k].astype(f32)  # from the CRF's start state
        self._n = n
        self._codes: dict[str, int] = {}

    def char_id(self, ch: str) -> int:
        """The vocabulary id of one (already simplified) character; -1 for whitespace."""
        return max(-1, self._code(ch, ch) >> 3)

    def encode(self, text: str) -> Any:
        """One code per character of ``text``: ``id << 3 | flags`` (1 sentence end, 2 closer,
        4 soft break), -1 for whitespace, -2 for a line break."""
        import numpy as np

        codes = self._codes
        new = set(text).difference(codes)
        if new:
            simp = simplified_map("".join(new))
            for ch in new:
                codes[ch] = self._code(ch, simp.get(ch, ch))
        return np.fromiter(map(codes.__getitem__, text), np.int64, len(text))

    def _code(self, ch: str, simplified: str) -> int:
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            return -2 if ch == "\n" else -1
        flags = (ch in _SENTENCE_END) | (ch in _CLOSERS) << 1 | (ch in _SOFT_BREAKS) << 2
        forms = {simplified, unicodedata.normalize("NFKC", simplified)}
        for f in list(forms):
            if len(f) == 1 and 0x21 <= ord(f) <= 0x7E:
                forms.add(chr(ord(f) + 0xFEE0))  # full-width twin
        # Of the forms in the vocabulary, the one seen most in training (ids are by frequency).
        ids = [self.vocab[f] for f in forms if f in self.vocab and self.vocab[f] > _OOV]
        return (min(ids) if ids else _OOV) << 3 | flags

    def tag(self, batch: Sequence[Sequence[int]]) -> list[Any]:
        """Viterbi tag ids of each id sequence of ``batch`` (each non-empty), run together."""
        import numpy as np

        lengths = np.array([len(s) for s in batch])
        b, t = len(batch), int(lengths.max())
        ids = np.full((t, b), _PAD, np.intp)
        for j, s in enumerate(batch):
            ids[: len(s), j] = s
        logits = self._logits(ids, lengths)
        path = self._viterbi(logits, lengths)
        return [path[: lengths[j], j] for j in range(b)]

    def _logits(self, ids: Any, lengths: Any) -> Any:
        import numpy as np

        t, b = ids.shape
        n = self._n
        fw, bw = self._tables
        h = np.zeros((2, b, n), np.float32)
        c = np.zeros((2, b, n), np.float32)
        g = np.empty((2, b, 4 * n), np.float32)
        out = np.empty((t, b, 2 * n), np.float32)
        min_len = int(lengths.min())
        mask = (np.arange(t)[::-1, None] < lengths[None, :]).astype(np.float32)[:, :, None]
        gi, gj, gf, go = g[:, :, :n], g[:, :, n : 2 * n], g[:, :, 2 * n : 3 * n], g[:, :, 3 * n :]
        for s in range(t):
            np.matmul(h, self._recur, out=g)
            g[0] += fw[ids[s]]
            g[1] += bw[ids[t - 1 - s]]  # the backward LSTM runs from the end
            np.tanh(g, out=g)
            gi += 1.0
            gi *= gj  # 2·sigmoid(i)·tanh(j)
            gf += 1.0
            gf *= c
            gf += gi
            np.multiply(gf, 0.5, out=c)  # c = sigmoid(f)·c + sigmoid(i)·tanh(j)
            np.tanh(c, out=h)
            go += 1.0
            h *= go
            h *= 0.5  # h = tanh(c)·sigmoid(o)
            if t - 1 - s >= min_len:  # backward state stays zero over a shorter row's padding
                c[1] *= mask[s]
                h[1] *= mask[s]
            out[s, :, :n] = h[0]
            out[t - 1 - s, :, n:] = h[1]
        hidden = np.tanh(out.reshape(t * b, 2 * n) @ self._hidden_w + self._hidden_b)
        return (hidden @ self._out_w + self._out_b).reshape(t, b, -1)

    def _viterbi(self, logits: Any, lengths: Any) -> Any:
        import numpy as np

        t, b, k = logits.shape
        score = logits[0] + self._start
        back = np.empty((t, b, k), np.int8)
        rows, cols = np.arange(b)[:, None], np.arange(k)
        min_len = int(lengths.min())
        for s in range(1, t):
            v = score[:, :, None] + self._trans  # (b, from, to)
            best = v.argmax(axis=1)
            new = v[rows, best, cols]
            new += logits[s]
            if s < min_len:
                score, back[s] = new, best
            else:  # a row past its end keeps its score and points to itself
                live = (s < lengths)[:, None]
                score = np.where(live, new, score)
                back[s] = np.where(live, best, cols)
        path = np.empty((t, b), np.intp)
        path[-1] = score.argmax(axis=1)
        for s in range(t - 1, 0, -1):
            path[s - 1] = back[s, rows[:, 0], path[s]]
        return path


@lru_cache(maxsize=1)
def _openblas_threads() -> tuple[Callable[[], int], Callable[[int], None]] | None:
    """OpenBLAS's get/set_num_threads for the library numpy loaded (Linux), or None."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            libs = sorted({line.split()[-1] for line in f if "openblas" in line.rsplit("/", 1)[-1].lower()})
    except OSError:
        return None
    for lib in libs:
        try:
            dll = ctypes.CDLL(lib)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "64_"),
                               ("openblas", "")):
            get = getattr(dll, f"{prefix}_get_num_threads{suffix}", None)
            put = getattr(dll, f"{prefix}_set_num_threads{suffix}", None)
            if get is not None and put is not None:
                return get, put
    return None


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Run the per-step products on one thread: OpenBLAS's threads spin-wait, and on a busy
    machine they made the small (rows × 100 × 400) products about nine times slower."""
    threads = _openblas_threads()
    if threads is None:
        yield
        return
    get, put = threads
    before = get()
    put(1)
    try:
        yield
    finally:
        put(before)


@lru_cache(maxsize=1)
def _conversions() -> tuple[Buckets, dict[str, str], dict[str, str]] | None:
    """OpenCC's t2s and s2t conversion of each character U+3400–U+9FFF it changes, from a cache file (written once
    from the installed opencc, see :mod:`~kg.extract.dictionary`), loaded by need; None when no cache can be written.
    Loading opencc's s2t tables took ~45 ms of every extraction, for the few characters an article has."""
    import opencc

    from kg.extract.dictionary import Buckets

    root = Path(opencc.__file__).parent
    files = sorted(p for d in ("config", "dictionary") for p in (root / d).glob("*") if p.is_file())
    source = "|".join(["opencc-chars-1", str(root), *(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                                                       for p in files)])
    t2s: dict[str, str] = {}
    s2t: dict[str, str] = {}
    try:
        return Buckets.open("opencc", source, 1, (t2s, s2t), _converted), t2s, s2t
    except OSError:
        return None


def _converted() -> tuple[int, list[dict[str, str]]]:
    """Each character of U+3400–U+9FFF that t2s, and each that s2t, converts to something else, with what it gives."""
    from opencc import OpenCC

    t2s, s2t = OpenCC("t2s"), OpenCC("s2t")
    out: list[dict[str, str]] = [{}, {}]
    for o in range(0x3400, 0xA000):
        ch = chr(o)
        for table, conv in zip(out, (t2s, s2t)):
            got = conv.convert(ch)
            if got != ch:
                table[ch] = got
    return 0, out


def simplified_map(chars: str) -> dict[str, str]:
    """:func:`kg.text.simplified_map` of ``[chars]``, the same map, from the cached conversions of single characters
    (the characters it converts are those of U+3400–U+9FFF, one at a time)."""
    conv = _conversions()
    if conv is None:
        from kg.text import simplified_map as convert_now

        return convert_now([chars])
    buckets, t2s, s2t = conv
    buckets.ensure(chars)
    out: dict[str, str] = {}
    for ch in sorted({c for c in chars if 0x3400 <= ord(c) <= 0x9FFF}):
        simp, trad = t2s.get(ch, ch), s2t.get(ch, ch)
        if len(simp) == 1 and simp != ch:
            out[ch] = simp
        if len(trad) == 1 and trad != ch:
            out[trad] = ch
    return out


def input_tables(embedding: Any, w: dict[str, Any], half: Any) -> Any:
    """The input part of each LSTM gate for each vocabulary entry, forward and backward: (2, vocabulary, 4n)."""
    import numpy as np

    f32 = np.float32
    emb = embedding.astype(f32)
    n = emb.shape[1]
    tables = []
    for d in ("fw", "bw"):
        kernel = w[f"{d}_kernel"].astype(f32)
        bias = w[f"{d}_bias"].astype(f32).copy()
        bias[2 * n : 3 * n] += w["forget_bias"]
        tables.append((emb @ kernel[:n] + bias) * half)
    return np.stack(tables)


def _cached_tables(path: Path, compute: Callable[[], Any]) -> Any:
    """:func:`input_tables` of the weights at ``path``, from a cache file in :func:`~kg.extract.dictionary.cache_dir`
    (written once, named by a digest of the weights file and numpy's version), mapped into memory: the product of the
    whole vocabulary's embedding took ~50 ms of every extraction, for the few hundred characters a text uses. The
    computed tables when no cache file can be read or written."""
    import numpy as np

    from kg.extract.dictionary import cache_dir, cache_file, write_atomically

    st = path.stat()
    source = f"ner-tables-1|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{np.__version__}"
    cached = cache_file(cache_dir(), "ner-tables", source, ".npy")
    try:
        return np.asarray(np.load(cached, mmap_mode="r", allow_pickle=False))
    except (OSError, ValueError):
        pass
    tables = compute()
    try:
        write_atomically(cached, lambda out: np.save(out, tables, allow_pickle=False))
    except OSError:
        pass
    return tables


@lru_cache(maxsize=1)
def load_model() -> NerModel:
    """The shipped model, loaded once."""
    return NerModel()


def _chunks(text: str, model: NerModel) -> list[tuple[Any, Any]]:
    """(ids, offsets into ``text``) of each chunk of ``text``; whitespace is left out."""
    import numpy as np

    code = model.encode(text)
    pos = np.flatnonzero(code >= 0)
    kept = code[pos]
    ids, end, closer, soft = kept >> 3, (kept & 1) > 0, (kept & 2) > 0, (kept & 4) > 0
    lines = np.cumsum(code == -2)
    cut = np.zeros(len(pos), bool)
    cut[1:] = lines[pos[1:]] - lines[pos[:-1]] >= 2  # a blank line
    normal = np.flatnonzero(~closer)  # a sentence ends before the first normal character after 。”
    ends = np.cumsum(end)[normal]
    cut[normal[ends > np.concatenate(([0], ends[:-1]))]] = True
    cut[:1] = False
    bounds = [0, *np.flatnonzero(cut).tolist(), len(pos)]
    out = []
    half = MAX_CHUNK // 2 + 1
    for a, z in zip(bounds[:-1], bounds[1:]):
        while z - a > MAX_CHUNK:  # cut after the last soft break in the second half, else at the limit
            hits = np.flatnonzero(soft[a + half : a + MAX_CHUNK])
            k = a + half + int(hits[-1]) + 1 if hits.size else a + MAX_CHUNK
            out.append((ids[a:k], pos[a:k]))
            a = k
        if z > a:
            out.append((ids[a:z], pos[a:z]))
    return out


def _spans(text: str, path: Any, pos: Any, tags: list[str]) -> list[Span]:
    """Spans from one chunk's BMES tag ids: B…E or S of one kind; a broken run is dropped."""
    import numpy as np

    out: list[Span] = []
    start, kind, last = -1, "", -2
    for j in np.flatnonzero(path).tolist():  # tag 0 is O
        bmes, label = tags[path[j]].split("_", 1)
        if j != last + 1 or (bmes in "ME" and kind != label):
            start = -1
        if bmes in "BS":
            start, kind = j, label
        if bmes in "ES" and start >= 0:
            a, z = int(pos[start]), int(pos[j]) + 1
            out.append(Span(a, z, label, text[a:z]))
            start = -1
        last = j
    return out


def entities_many(texts: Sequence[str]) -> list[list[Span]]:
    """The entities of each of ``texts``, their chunks run in shared batches."""
    model = load_model()
    work = [(ti, ids, pos) for ti, text in enumerate(texts) for ids, pos in _chunks(text, model)]
    work.sort(key=lambda w: len(w[1]), reverse=True)  # similar lengths share a batch
    results: list[list[Span]] = [[] for _ in texts]
    i = 0
    with _one_blas_thread():
        while i < len(work):
            rows = max(1, _BATCH_CHARS // len(work[i][1]))
            batch = work[i : i + rows]
            for (ti, _, pos), path in zip(batch, model.tag([w[1] for w in batch])):
                results[ti].extend(_spans(texts[ti], path, pos, model.tags))
            i += rows
    for spans in results:
        spans.sort(key=lambda s: s.start)
    return results


def entities(text: str) -> list[Span]:
    """The named entities of ``text``, in order, with offsets into ``text``.

    >>> entities("")
    []
    """
    return entities_many([text])[0]
