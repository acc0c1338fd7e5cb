#!/usr/bin/env python3
"""Convert foolnltk 0.1.7's character BiLSTM-CRF NER model into the weights file kg ships.

The foolnltk sdist on PyPI holds the model as a frozen TensorFlow-1 GraphDef (``data/ner.pb``)
and its character and tag maps (``data/map.zip``). This script reads both without
TensorFlow (a small reader of the protobuf wire format), checks the graph is the network
:mod:`kg.extract.ner` computes, and writes ``kg/extract/models/foolnltk_ner.npz``:

* ``embedding`` (6592 × 100), the four LSTM and projection matrices, stored as float16
  (the tags are unchanged on our fidelity set: see the module docstring of kg.extract.ner);
* their biases and the CRF ``transitions`` (26 × 26, the last row the start state) as float32;
* ``vocab`` (id → character, ``<PAD>`` 0, ``<OOV>`` 1) and ``tags`` (id → ``B_org`` …);
* ``forget_bias`` and ``source`` (the sdist's name and SHA-256).

Run it on the sdist fetched with
``pip download --no-deps --no-binary :all: foolnltk==0.1.7 -d /tmp/fool``::

    python scripts/convert_ner_model.py /tmp/fool/foolnltk-0.1.7.tar.gz

The output is byte-for-byte reproducible (fixed zip timestamps, sorted members).
The model is Apache-2.0 (the LICENSE of github.com/rockyzhengwu/FoolNLTK; the sdist itself
carries none); ``kg/extract/models/LICENSE.foolnltk`` is shipped beside the weights.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "kg" / "extract" / "models" / "foolnltk_ner.npz"
SDIST = "foolnltk-0.1.7.tar.gz"
SDIST_SHA256 = "296dac1ca37b647d81ee8c37bb123f2b4cda4aec305893952b39e5686b7416f6"

_DTYPES = {1: np.float32, 3: np.int32}  # TensorFlow DataType enum → numpy
_PREFIX = "char_bilstm/bidirectional_rnn/"
# Graph constant → name in the npz. The embedding is concat(Const_1, char_embeding).
_WEIGHTS = {
    _PREFIX + "fw/basic_lstm_cell/kernel": "fw_kernel",
    _PREFIX + "fw/basic_lstm_cell/bias": "fw_bias",
    _PREFIX + "bw/basic_lstm_cell/kernel": "bw_kernel",
    _PREFIX + "bw/basic_lstm_cell/bias": "bw_bias",
    "project/hidden/w_tanh": "hidden_w",
    "project/hidden/b_tanh": "hidden_b",
    "project/output/w_out": "out_w",
    "project/output/b_out": "out_b",
    "crf_loss/transitions": "transitions",
}
_HALF = ("embedding", "fw_kernel", "bw_kernel", "hidden_w", "out_w")
# Ops the network must consist of (besides control flow, shapes and dropout plumbing).
_EXPECTED_OPS = {"Gather", "MatMul", "BiasAdd", "Sigmoid", "Tanh", "ReverseSequence", "Split"}


def _varint(b: bytes, i: int) -> tuple[int, int]:
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def _fields(b: bytes):
    """(field number, wire type, value) of one protobuf message."""
    i, n = 0, len(b)
    while i < n:
        key, i = _varint(b, i)
        f, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(b, i)
        elif wt == 1:
            v, i = b[i : i + 8], i + 8
        elif wt == 2:
            size, i = _varint(b, i)
            v, i = b[i : i + size], i + size
        elif wt == 5:
            v, i = b[i : i + 4], i + 4
        else:
            raise ValueError(f"unsupported wire type {wt}")
        yield f, wt, v


def _tensor(b: bytes) -> np.ndarray | None:
    """A TensorProto as an array (float32/int32 only; None for other types)."""
    dtype, shape, content, floats, ints = None, [], None, [], []
    for f, wt, v in _fields(b):
        if f == 1:
            dtype = v
        elif f == 2:  # TensorShapeProto: dim = 2, Dim.size = 1
            shape = [dict((g, x) for g, _, x in _fields(d)).get(1, 0) for h, _, d in _fields(v) if h == 2]
        elif f == 4:
            content = v
        elif f == 5:
            floats.extend(np.frombuffer(v, "<f4"))
        elif f == 7:
            if wt == 2:
                j = 0
                while j < len(v):
                    x, j = _varint(v, j)
                    ints.append(x)
            else:
                ints.append(v)
    if dtype not in _DTYPES:
        return None
    dt = np.dtype(_DTYPES[dtype]).newbyteorder("<")
    if content is not None:
        return np.frombuffer(content, dt).astype(_DTYPES[dtype]).reshape(shape)
    vals = floats or [x - (1 << 64) if x >= 1 << 63 else x for x in ints] or [0]
    arr = np.array(vals, _DTYPES[dtype])
    n = int(np.prod(shape)) if shape else 1
    return (np.full(n, arr[-1]) if arr.size == 1 else arr).reshape(shape)


def read_graph(pb: bytes) -> tuple[dict[str, np.ndarray], dict[str, str], dict[str, list[str]]]:
    """Constants, op of each node and inputs of each node of a frozen GraphDef."""
    consts: dict[str, np.ndarray] = {}
    ops: dict[str, str] = {}
    inputs: dict[str, list[str]] = {}
    for f, _, node in _fields(pb):
        if f != 1:  # GraphDef.node = 1
            continue
        name = op = ""
        ins: list[str] = []
        value = None
        for g, _, v in _fields(node):
            if g == 1:
                name = v.decode()
            elif g == 2:
                op = v.decode()
            elif g == 3:
                ins.append(v.decode())
            elif g == 5:  # attr map entry: key = 1, AttrValue = 2; AttrValue.tensor = 8
                kv = dict((h, x) for h, _, x in _fields(v))
                if kv.get(1) == b"value":
                    value = dict((h, x) for h, _, x in _fields(kv.get(2, b""))).get(8)
        ops[name] = op
        inputs[name] = ins
        if op == "Const" and value is not None:
            t = _tensor(value)
            if t is not None:
                consts[name] = t
    return consts, ops, inputs


def _check(consts: dict[str, np.ndarray], ops: dict[str, str], inputs: dict[str, list[str]]) -> None:
    """Refuse a graph that is not the network kg.extract.ner computes."""
    missing = _EXPECTED_OPS - set(ops.values())
    if missing:
        raise SystemExit(f"graph lacks ops {sorted(missing)}")
    if inputs.get("concat", [])[:2] != ["Const_1", "char_embeding/read"]:
        raise SystemExit("embedding is not concat(Const_1, char_embeding)")
    if float(consts["input_dropout_keep_prob/input"]) != 1.0:
        raise SystemExit("input dropout is active at inference")
    for d in ("fw", "bw"):
        fb = consts[f"{_PREFIX}{d}/{d}/while/{d}/basic_lstm_cell/add/y"]
        if float(fb) != 1.0:
            raise SystemExit(f"unexpected forget bias {fb}")
        if ops.get(f"{_PREFIX}{d}/{d}/while/{d}/basic_lstm_cell/Sigmoid") != "Sigmoid":
            raise SystemExit("not a BasicLSTMCell")


def convert(sdist: Path) -> dict[str, np.ndarray]:
    """The arrays of the weights file, read from the foolnltk sdist."""
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(f"{sdist}: SHA-256 {digest}, expected {SDIST_SHA256} ({SDIST})")
    with tarfile.open(sdist) as tar:
        top = SDIST[: -len(".tar.gz")]
        pb = tar.extractfile(f"{top}/data/ner.pb").read()  # type: ignore[union-attr]
        maps = tar.extractfile(f"{top}/data/map.zip").read()  # type: ignore[union-attr]
    with zipfile.ZipFile(io.BytesIO(maps)) as z:
        data = json.loads(z.read("all_map.json").decode("utf-8"))
    consts, ops, inputs = read_graph(pb)
    _check(consts, ops, inputs)
    char_map: dict[str, int] = data["char_map"]
    vocab = [""] * len(char_map)
    for ch, i in char_map.items():
        vocab[i] = ch
    tags = [data["ner_map"][str(i)] for i in range(len(data["ner_map"]))]
    out: dict[str, np.ndarray] = {
        "embedding": np.concatenate([consts["Const_1"], consts["char_embeding"]]),
        "forget_bias": np.float32(1.0),
        "vocab": np.array(vocab),
        "tags": np.array(tags),
        "source": np.array(f"{SDIST} sha256:{digest} data/ner.pb data/map.zip"),
    }
    for graph_name, name in _WEIGHTS.items():
        out[name] = consts[graph_name]
    assert out["embedding"].shape[0] >= len(vocab) and out["transitions"].shape == (len(tags) + 1,) * 2
    for name in _HALF:
        out[name] = out[name].astype(np.float16)
    return out


def write_npz(arrays: dict[str, np.ndarray], path: Path) -> None:
    """A compressed npz with fixed timestamps and sorted members, so reruns give the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asanyarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, buf.getvalue(), compresslevel=9)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sdist", type=Path, help=f"the downloaded {SDIST}")
    ap.add_argument("--out", type=Path, default=OUT, help="weights file to write (default: %(default)s)")
    args = ap.parse_args(argv)
    arrays = convert(args.sdist)
    write_npz(arrays, args.out)
    sha = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"{args.out}: {args.out.stat().st_size:,} bytes, sha256 {sha}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
