"""scripts/train_members.py leaves texts out: a hold-out scored by a model trained on the rest, or texts never read."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "extract"


@pytest.fixture()
def train_members():
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_members

    return train_members


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Six self-written annotated texts (with their gold) in a directory of their own."""
    for gold in sorted(DATA.glob("*.gold.yaml"))[:6]:
        stem = gold.name[: -len(".gold.yaml")]
        shutil.copy(gold, tmp_path / gold.name)
        shutil.copy(DATA / f"{stem}.txt", tmp_path / f"{stem}.txt")
    return tmp_path


def _listed(tmp_path: Path, stems: list[str]) -> Path:
    path = tmp_path / "stems.txt"
    path.write_text("\n".join(stems) + "\n", encoding="utf-8")
    return path


def test_a_hold_out_is_left_out_of_the_cv_and_scored_by_a_model_trained_on_the_others(train_members, corpus, capsys):
    stems = sorted(p.name[: -len(".gold.yaml")] for p in corpus.glob("*.gold.yaml"))
    shipped = (train_members.MODELS / "members.json").read_bytes()
    assert train_members.main(["--dir", str(corpus), "--hold-out", str(_listed(corpus, stems[:2]))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4 texts,") and "classifier, 2 held-out texts" in out and "rules alone, 2 held-out" in out
    assert "  confidence none " in out  # the memberships the CV kept by the model's confidence (the rules': none)
    assert "wrote" not in out and (train_members.MODELS / "members.json").read_bytes() == shipped


def test_texts_excluded_are_neither_read_nor_scored(train_members, corpus, capsys):
    stems = sorted(p.name[: -len(".gold.yaml")] for p in corpus.glob("*.gold.yaml"))
    (corpus / f"{stems[0]}.txt").unlink()  # read, it would fail
    assert train_members.main(["--dir", str(corpus), "--exclude-file", str(_listed(corpus, stems[:1]))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 texts,") and "held-out texts" not in out and "wrote" not in out


def test_unknown_stems_are_refused_in_one_line_before_a_text_is_read(train_members, corpus, capsys):
    stems = sorted(p.name[: -len(".gold.yaml")] for p in corpus.glob("*.gold.yaml"))
    typo = _listed(corpus, [stems[0], stems[1] + "x"])  # one right, one misspelt
    for option in ("--hold-out", "--exclude-file"):
        assert train_members.main(["--dir", str(corpus), option, str(typo)]) == 2
        captured = capsys.readouterr()
        err = captured.err.strip()
        assert err.count("\n") == 0 and f"{stems[1]}x" in err and "not among the texts" in err
        assert captured.out == ""  # refused before any text was read
    assert train_members.main(["--dir", str(corpus), "--hold-out", str(corpus / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err


def test_oracle_organizations_are_the_gold_ones_where_written_and_the_model_is_not_written(train_members, tmp_path,
                                                                                            capsys):
    from kg.extract.document import Document

    body, a, b = "甬江数字经济产业联盟", "宁波瑞丰精密机械有限公司", "杭州星河光电科技股份有限公司"
    doc = Document.from_raw(f"{a}、{b}加入{body}。联盟年会在宁波举行，瑞丰代表发言。")
    gold = {"organizations": [{"name": body, "aliases": ["联盟"], "type": "Alliance"},
                              {"name": a, "aliases": ["瑞丰"], "type": "Company"},
                              {"name": b, "aliases": [], "type": "Company"},
                              {"name": "温州东港电气有限公司", "aliases": [], "type": "Company"}]}  # not written
    found = train_members.oracle_found(doc, gold)
    assert [e.name for e in found.ents] == [body, a, b]
    assert [(m.ent.name, m.sent) for m in found.mentions(1)] == [(body, 1), (a, 1)]  # aliases, where written
    (tmp_path / "t.txt").write_text(f"{a}、{b}正式加入{body}。\n", encoding="utf-8")
    orgs = "".join(f"  - {{name: {n}, aliases: [], type: {t}}}\n" for n, t in ((body, "Alliance"), (a, "Company"),
                                                                                (b, "Company")))
    members = f"memberships:\n  - [{a}, {body}, active]\n  - [{b}, {body}, active]\n"
    text = f"organizations:\n{orgs}{members}relations: []\nindicators: []\n"
    (tmp_path / "t.gold.yaml").write_text(text, encoding="utf-8")
    shipped = (train_members.MODELS / "members.json").read_bytes()
    assert train_members.main(["--dir", str(tmp_path), "--oracle-orgs"]) == 0
    out = capsys.readouterr().out
    assert "rules alone (no training)          P 1.000  R 1.000" in out and "wrote" not in out
    assert (train_members.MODELS / "members.json").read_bytes() == shipped


def test_each_text_is_read_by_an_organization_filter_that_never_saw_it(corpus, monkeypatch):
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_orgs

    fitted: list[tuple[set[int], object]] = []
    fit = train_orgs._fit

    def recording(examples, threshold):
        model = fit(examples, threshold)
        fitted.append(({n for n, _, _ in examples}, model))
        return model

    monkeypatch.setattr(train_orgs, "_fit", recording)
    texts = train_orgs.read_texts(corpus)
    dev, held = texts[:5], texts[5:]
    filters = train_orgs.out_of_fold(dev, held)
    trained_on = {id(model): seen - {-1} for seen, model in fitted}  # -1: the self-written texts, always in
    for n, (stem, _, _) in enumerate(dev):
        assert n not in trained_on[id(filters[stem])] and trained_on[id(filters[stem])]
    assert trained_on[id(filters[held[0][0]])] == set(range(len(dev)))


def test_a_text_finds_its_organizations_with_the_filter_it_is_given(train_members, corpus):
    gold = sorted(corpus.glob("*.gold.yaml"))[0]
    shipped = train_members.Text(gold)
    none_kept = train_members.Text(gold, org_filter=train_members.Model({}, 1.01))  # weighs every name 0.5 < 1.01
    assert {e.confidence for e in shipped.orgs} - {None} and len(none_kept.orgs) < len(shipped.orgs)
    assert {e.confidence for e in none_kept.orgs} <= {None, 0.5}  # what it weighed, it weighed by the empty model


def test_the_learning_curve_scores_the_same_held_texts_with_pair_models_trained_on_more_texts(train_members, corpus,
                                                                                             capsys):
    texts, _ = train_members.load(corpus, in_sample=True)
    rows = train_members.learning_curve(texts, [1, 3, 9], l2=10.0, threshold=0.5, held=2, seeds=(10, 11))
    assert [n for n, _ in rows] == [1, 3, 4]  # 9 asked, 4 there
    golds = {s.n_gold for _, s in rows}
    assert len(golds) == 1  # the same held texts each time (two draws of 2)
    all_gold = sum(t.score([]).n_gold for t in texts)
    assert 0 < golds.pop() < 2 * all_gold  # the held texts of each draw only, not the texts trained on
    assert train_members.main(["--dir", str(corpus), "--learning-curve", "2", "4"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [x.split(" P ")[0].strip() for x in out[-2:]] == ["trained on 2 texts", "trained on 3 texts"]  # 3 held
