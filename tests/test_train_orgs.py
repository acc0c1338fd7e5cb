"""scripts/train_orgs.py leaves texts out as train_members.py does, and refuses a file naming texts it does not hold."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from kg.extract.learn import read_stems

ROOT = Path(__file__).resolve().parent.parent


def test_read_stems_names_the_stems_it_does_not_know(tmp_path: Path):
    f = tmp_path / "stems.txt"
    f.write_text("a-1\nb-2\n", encoding="utf-8")
    assert read_stems(f, ["a-1", "b-2", "c-3"]) == {"a-1", "b-2"} and read_stems(None, ["a-1"]) == set()
    with pytest.raises(ValueError, match="1 stem.*b-2"):
        read_stems(f, ["a-1"])


@pytest.mark.parametrize("script", ["train_orgs", "missed_orgs"])
def test_a_script_refuses_unknown_stems_in_one_line_before_reading_a_text(script, tmp_path: Path, capsys):
    sys.path.insert(0, str(ROOT / "scripts"))
    main = importlib.import_module(script).main

    f = tmp_path / "stems.txt"
    f.write_text("no-such-text-0000\n", encoding="utf-8")
    for option in ("--hold-out", "--exclude-file"):
        assert main([option, str(f)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "no-such-text-0000" in err and "not among the texts" in err


def test_missed_orgs_tells_a_gold_name_never_proposed_from_one_found():
    sys.path.insert(0, str(ROOT / "scripts"))
    import missed_orgs

    text = "标题\n\n南岭星河电子有限公司与东湖新材料有限公司签约。\n"
    gold = {"organizations": [{"name": "南岭星河电子有限公司"}, {"name": "东湖"}]}
    out = missed_orgs.missed("t", text, gold)
    assert [(status, name) for status, name, _, _ in out] == [("never", "东湖")]
    assert "南岭星河电子有限公司与东湖新材料有限公司签约" in out[0][2] and "东湖新材料有限公司" in out[0][3]



def test_membership_errors_says_who_decided_each_pair_and_why_a_gold_one_was_missed(tmp_path: Path, capsys):
    sys.path.insert(0, str(ROOT / "scripts"))
    import membership_errors

    text = "标题\n\n南岭星河电子有限公司、东湖新材料有限公司加入滨江新材料产业联盟。\n"
    gold = {"organizations": [{"name": "南岭星河电子有限公司"}, {"name": "滨江新材料产业联盟"},
                              {"name": "西岭化工有限公司"}],
            "memberships": [["南岭星河电子有限公司", "滨江新材料产业联盟", "active"],
                            ["西岭化工有限公司", "滨江新材料产业联盟", "active"]]}
    rows = sorted(membership_errors.verdicts("t", text, gold))
    assert rows == [("missed", "member not found", "西岭化工有限公司", "滨江新材料产业联盟", "active"),
                    ("rule", "member not listed", "东湖新材料有限公司", "滨江新材料产业联盟", "active"),
                    ("rule", "right", "南岭星河电子有限公司", "滨江新材料产业联盟", "active")]
    f = tmp_path / "stems.txt"
    f.write_text("no-such-text-0000\n", encoding="utf-8")
    assert membership_errors.main(["--stems", str(f)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no-such-text-0000" in err

def test_the_oracle_judges_each_boundary_the_filter_weighs_by_the_gold():
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_orgs

    from kg.extract.entities import Ent

    oracle = train_orgs.Oracle(0.25)
    oracle.keys = {"青海大学"}
    e = Ent("青海大学附属医院", "Organization", "suffix")
    oracle.record.append((e, {}, None))
    assert oracle.probability({}) == 0.0  # as found: no gold name
    oracle.record.append((e, {}, "青海大学"))
    assert oracle.probability({}) == 1.0  # cut to a gold name


def test_the_oracle_keeps_what_the_gold_names_on_annotated_texts():
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_orgs

    texts = train_orgs.read_texts(train_orgs.WRITTEN)[:4]
    off, oracle = train_orgs._score(texts, None)["org_alias"], train_orgs._score_oracle(texts)["org_alias"]
    assert oracle.n_gold == off.n_gold and oracle.n_pred < off.n_pred
    assert oracle.precision > off.precision and oracle.precision >= 0.95 and oracle.recall >= off.recall - 0.02


def test_the_learning_curve_scores_the_same_held_texts_with_filters_trained_on_more_texts():
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_orgs

    texts = train_orgs.read_texts(train_orgs.WRITTEN)[:6]
    rows = train_orgs.learning_curve(texts, [2, 4, 9], held=2)
    assert [n for n, _ in rows] == [2, 4, 4]  # 9 asked, 4 there
    golds = {s["org_alias"].n_gold for _, s in rows}
    assert len(golds) == 1 and golds.pop() > 0  # the same held texts, scored each time
    held_gold = sum(len(g.get("organizations") or []) for _, _, g in texts)
    assert rows[0][1]["org_alias"].n_gold < held_gold  # only the held ones, not the texts trained on
