#!/usr/bin/env python3
"""Check kg.extract.ner against foolnltk's own TensorFlow graph: same logits, same tags.

Needs TensorFlow, so run it from a throwaway venv (never a dependency of kg)::

    python -m venv /tmp/tfenv && /tmp/tfenv/bin/pip install tensorflow-cpu opencc-python-reimplemented pyyaml jieba
    /tmp/tfenv/bin/python scripts/check_ner_fidelity.py /tmp/fool/foolnltk-0.1.7.tar.gz

It cuts every text under tests/data/extract (never real/test/) into the chunks
:func:`kg.extract.ner.entities` would feed the model, runs them through the graph in
TensorFlow (decoded as foolnltk decodes: its start row, ``viterbi_decode``) and through the
numpy model with float32 weights and with the shipped float16 weights, and prints how far
the logits and the tags differ.
"""

from __future__ import annotations

import argparse
import sys
import tarfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import convert_ner_model as cv  # noqa: E402

from kg.extract import ner  # noqa: E402


def tf_reference(pb: bytes, seqs: list[list[int]]) -> tuple[list[np.ndarray], list[list[int]]]:
    """Logits and foolnltk's Viterbi tags of each id sequence, computed by TensorFlow."""
    import tensorflow as tf

    tf1 = tf.compat.v1
    tf1.disable_eager_execution()
    gd = tf1.GraphDef()
    gd.ParseFromString(pb)
    graph = tf.Graph()
    with graph.as_default():
        tf1.import_graph_def(gd, name="prefix")
    sess = tf1.Session(graph=graph)
    get = graph.get_tensor_by_name
    logits_t, trans_t = get("prefix/project/logits:0"), get("prefix/crf_loss/transitions:0")
    all_logits, all_tags = [], []
    for k in range(0, len(seqs), 64):
        batch = seqs[k : k + 64]
        lengths = [len(s) for s in batch]
        ids = np.zeros((len(batch), max(lengths)), np.int32)
        for i, s in enumerate(batch):
            ids[i, : len(s)] = s
        feed = {get("prefix/char_inputs:0"): ids, get("prefix/lengths:0"): lengths, get("prefix/dropout:0"): 1.0}
        logits, trans = sess.run([logits_t, trans_t], feed)
        n = logits.shape[2]
        start = np.array([[-1000.0] * n + [0.0]])
        for i, length in enumerate(lengths):
            score = np.concatenate([logits[i, :length], np.full((length, 1), -1000.0)], axis=1)
            all_tags.append(_viterbi_decode(np.concatenate([start, score]), trans)[1:])
            all_logits.append(logits[i, :length])
    return all_logits, all_tags


def _viterbi_decode(score: np.ndarray, trans: np.ndarray) -> list[int]:
    """tf.contrib.crf.viterbi_decode, which foolnltk calls (a numpy function)."""
    trellis = np.zeros_like(score)
    back = np.zeros_like(score, dtype=np.int32)
    trellis[0] = score[0]
    for t in range(1, score.shape[0]):
        v = trellis[t - 1][:, None] + trans
        trellis[t] = score[t] + v.max(0)
        back[t] = v.argmax(0)
    path = [int(trellis[-1].argmax())]
    for bp in back[:0:-1]:
        path.append(int(bp[path[-1]]))
    return path[::-1]


def numpy_model(model: ner.NerModel, seqs: list[list[int]]) -> tuple[list[np.ndarray], list[list[int]]]:
    """Logits and tags of each sequence from kg.extract.ner, in batches of 64 in file order."""
    all_logits, all_tags = [], []
    for k in range(0, len(seqs), 64):
        batch = seqs[k : k + 64]
        lengths = np.array([len(s) for s in batch])
        ids = np.zeros((lengths.max(), len(batch)), np.intp)
        for j, s in enumerate(batch):
            ids[: len(s), j] = s
        logits = model._logits(ids, lengths)
        path = model._viterbi(logits, lengths)
        for j, length in enumerate(lengths):
            all_logits.append(logits[:length, j])
            all_tags.append(path[:length, j].tolist())
    return all_logits, all_tags


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sdist", type=Path, help=f"the downloaded {cv.SDIST}")
    args = ap.parse_args(argv)
    data = ROOT / "tests" / "data" / "extract"
    files = sorted(p for p in data.glob("**/*.txt") if "real" not in p.relative_to(data).parts)
    shipped = ner.NerModel()
    seqs = [ids.tolist() for f in files for ids, _ in ner._chunks(f.read_text(encoding="utf-8"), shipped)]
    with tarfile.open(args.sdist) as tar:
        pb = tar.extractfile("foolnltk-0.1.7/data/ner.pb").read()  # type: ignore[union-attr]
    ref_logits, ref_tags = tf_reference(pb, seqs)
    cv._HALF = ()  # type: ignore[assignment]  # a float32 copy of the weights
    f32 = Path("/tmp/foolnltk_ner_f32.npz")
    cv.write_npz(cv.convert(args.sdist), f32)
    n_chars = sum(map(len, seqs))
    print(f"{len(files)} texts, {len(seqs)} chunks, {n_chars} characters")
    for name, model in (("float32", ner.NerModel(f32)), ("float16 (shipped)", shipped)):
        logits, tags = numpy_model(model, seqs)
        diff = np.abs(np.concatenate(logits) - np.concatenate(ref_logits))
        chars = sum(a != b for x, y in zip(tags, ref_tags) for a, b in zip(x, y))
        chunks = sum(x != y for x, y in zip(tags, ref_tags))
        print(f"{name:<18} logits max |diff| {diff.max():.2e} mean {diff.mean():.2e}; tags differ on {chars} "
              f"characters, {chunks} chunks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
