"""The extractor's learned filters: logistic regression over named features, folds by text."""

from __future__ import annotations

import json
import random

from kg.extract import learn
from kg.extract.learn import Model, group_folds, train


def _data(n: int = 1500) -> tuple[list[dict[str, float]], list[bool]]:
    rng = random.Random(7)
    examples, labels = [], []
    for _ in range(n):
        a, b, noise = rng.random() < 0.5, rng.random() < 0.5, rng.random() < 0.5
        feats = {name: 1.0 for name, on in (("a", a), ("b", b), ("noise", noise)) if on}
        examples.append(feats)
        labels.append(a and b)
    return examples, labels


def test_train_learns_a_conjunction_and_ignores_noise():
    examples, labels = _data()
    model = train(examples, labels)
    assert model.accepts({"a": 1.0, "b": 1.0})
    assert not model.accepts({"a": 1.0})
    assert not model.accepts({"b": 1.0, "noise": 1.0})
    assert abs(model.weights["noise"]) < 0.5 * min(model.weights["a"], model.weights["b"])


def test_unknown_features_weigh_nothing():
    model = Model({"a": 2.0, learn.BIAS: -1.0})
    assert model.probability({"a": 1.0, "never seen": 5.0}) == model.probability({"a": 1.0})


def test_save_and_load_round_trip(tmp_path, monkeypatch):
    examples, labels = _data(400)
    model = train(examples, labels, threshold=0.4)
    monkeypatch.setattr(learn, "MODELS", tmp_path)
    monkeypatch.setattr(learn, "_CACHE", {})
    model.save(tmp_path / "toy.json", about="a toy")
    body = json.loads((tmp_path / "toy.json").read_text(encoding="utf-8"))
    assert body["about"] == "a toy" and body["threshold"] == 0.4
    loaded = learn.load_model("toy")
    assert loaded is not None
    assert abs(loaded.probability({"a": 1.0, "b": 1.0}) - model.probability({"a": 1.0, "b": 1.0})) < 1e-3
    assert learn.load_model("absent") is None


def test_group_folds_keep_each_text_on_one_side():
    groups = [f"text{i % 7}" for i in range(40)]
    folds = group_folds(groups, k=3)
    assert len(folds) == 3
    held_all = sorted(i for _, held in folds for i in held)
    assert held_all == list(range(40))  # every example held out exactly once
    for kept, held in folds:
        assert not {groups[i] for i in kept} & {groups[i] for i in held}
