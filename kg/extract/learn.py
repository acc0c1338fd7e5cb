"""A small L2-regularized logistic regression over named features, for the extractor's learned filters.

A decision the rules cannot make from wording alone (is this span an organization, is this
pair a membership) is scored from named features (``{"suffix=公司": 1.0, "in_list": 1.0}``)
with weights trained on the annotated real articles (``real/dev`` only) by a script under
``scripts/``. The weights ship as a small JSON file in :mod:`kg.extract.models`; scoring needs
neither numpy nor the training data. :func:`group_folds` splits examples by text, so a
cross-validated figure is a first-sight figure for texts the weights never saw.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Features", "Model", "train", "group_folds", "load_model", "read_stems", "add_stem_options", "stem_options"]

Features = Mapping[str, float]

MODELS = Path(__file__).resolve().parent / "models"
BIAS = "__bias__"


@dataclass(frozen=True)
class Model:
    """Weights by feature name; unknown features weigh nothing."""

    weights: Mapping[str, float]
    threshold: float = 0.5

    def probability(self, features: Features) -> float:
        z = self.weights.get(BIAS, 0.0)
        for name, value in features.items():
            z += self.weights.get(name, 0.0) * value
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def accepts(self, features: Features) -> bool:
        return self.probability(features) >= self.threshold

    def save(self, path: Path, *, about: str = "") -> None:
        """Write the weights (rounded, sorted, zero weights left out) as JSON."""
        kept = {k: round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-5}
        body = {"about": about, "threshold": self.threshold, "weights": kept}
        path.write_text(json.dumps(body, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


_CACHE: dict[str, Model] = {}


def load_model(name: str) -> Model | None:
    """The model ``kg/extract/models/<name>.json``, or None when none has been trained."""
    if name not in _CACHE:
        path = MODELS / f"{name}.json"
        if not path.is_file():
            return None
        body = json.loads(path.read_text(encoding="utf-8"))
        _CACHE[name] = Model(body["weights"], float(body.get("threshold", 0.5)))
    return _CACHE[name]


def train(
    examples: Sequence[Features],
    labels: Sequence[bool],
    *,
    l2: float = 1.0,
    epochs: int = 300,
    rate: float = 0.5,
    threshold: float = 0.5,
) -> Model:
    """Fit the weights by full-batch gradient descent (Adagrad steps) on the log loss plus ``l2``·|w|²/2."""
    import numpy as np

    names = sorted({name for ex in examples for name in ex})
    index = {name: i for i, name in enumerate(names)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, ex in enumerate(examples):
        for name, value in ex.items():
            rows.append(r)
            cols.append(index[name])
            vals.append(value)
    row = np.asarray(rows, dtype=np.int64)
    col = np.asarray(cols, dtype=np.int64)
    val = np.asarray(vals, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    n = max(len(examples), 1)
    w = np.zeros(len(names))
    b = 0.0
    gw_sq = np.full(len(names), 1e-8)
    gb_sq = 1e-8
    for _ in range(epochs):
        z = np.full(len(examples), b)
        np.add.at(z, row, w[col] * val)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = p - y
        gw = np.zeros(len(names))
        np.add.at(gw, col, err[row] * val)
        gw = gw / n + l2 * w / n
        gb = float(err.sum()) / n
        gw_sq += gw * gw
        gb_sq += gb * gb
        w -= rate * gw / np.sqrt(gw_sq)
        b -= rate * gb / math.sqrt(gb_sq)
    weights = {name: float(w[i]) for i, name in enumerate(names)}
    weights[BIAS] = b
    return Model(weights, threshold)


def group_folds(groups: Sequence[str], k: int = 5) -> list[tuple[list[int], list[int]]]:
    """(train, held-out) index lists with every group (text) wholly on one side, groups dealt round-robin."""
    order = sorted(set(groups))
    fold_of = {g: i % k for i, g in enumerate(order)}
    folds = []
    for f in range(min(k, len(order))):
        held = [i for i, g in enumerate(groups) if fold_of[g] == f]
        kept = [i for i, g in enumerate(groups) if fold_of[g] != f]
        folds.append((kept, held))
    return folds


def read_stems(path: Path | None, known: Iterable[str] | None = None) -> set[str]:
    """The text stems listed in the file ``path``, one a line (none without a file); ValueError with one line naming
    those not among ``known`` (a typo would otherwise hold nothing out)."""
    stems = set(path.read_text(encoding="utf-8").split()) if path else set()
    unknown = sorted(stems - set(known)) if known is not None else []
    if unknown:
        raise ValueError(f"{path}: {len(unknown)} stem(s) not among the texts: {', '.join(unknown[:5])}"
                         + (" …" if len(unknown) > 5 else ""))
    return stems


def add_stem_options(ap) -> None:
    """The options of a training script (an :class:`argparse.ArgumentParser` ``ap``) that leave texts out, spelled
    the same in every script: ``--hold-out FILE`` and ``--exclude-file FILE`` (read them with :func:`read_stems`)."""
    ap.add_argument("--hold-out", type=Path, default=None, metavar="FILE",
                    help="the stems listed in FILE (one a line) are left out of the CV and of training, then scored "
                         "once by a model trained on the other texts (totals only); nothing is written")
    ap.add_argument("--exclude-file", type=Path, default=None, metavar="FILE",
                    help="the stems listed in FILE (one a line) are left out, never read nor scored; "
                         "nothing is written")


def stem_options(args, known: Iterable[str]) -> tuple[set[str], set[str]]:
    """The stems the options of :func:`add_stem_options` name, among ``known``: (held out, left out); ValueError or
    OSError in one line for a file that cannot be read or names a stem that is not among them."""
    known = set(known)
    return read_stems(args.hold_out, known), read_stems(args.exclude_file, known)
