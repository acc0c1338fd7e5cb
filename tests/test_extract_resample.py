"""Bootstrap intervals by text (kg.extract.resample) and the eval script's --bootstrap/--counts/--against."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.extract.resample import intervals, paired_intervals
from kg.extract.score import Score

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "extract"


def _texts(counts: list[tuple[int, int, int]]) -> list[dict[str, Score]]:
    return [{"membership": Score(*c)} for c in counts]


def test_texts_alike_give_an_interval_of_no_width_at_their_score():
    got = intervals(_texts([(3, 4, 6)] * 20), ["membership"], n=200)["membership"]
    assert got["precision"] == (0.75, 0.75) and got["recall"] == (0.5, 0.5)
    assert got["f1"][0] == pytest.approx(0.6) and got["f1"][1] == pytest.approx(0.6)


def test_texts_unalike_give_an_interval_around_the_whole_score():
    texts = _texts([(4, 4, 4)] * 10 + [(0, 4, 4)] * 10)  # half the texts all right, half all wrong: P 0.5
    lo, hi = intervals(texts, ["membership"], n=500)["membership"]["precision"]
    assert 0.2 < lo < 0.5 < hi < 0.8
    assert intervals(texts, ["membership"], n=500) == intervals(texts, ["membership"], n=500)  # seeded


def test_a_kind_some_texts_lack_is_summed_over_the_texts_that_have_it():
    texts = [{"indicator": Score(1, 1, 2)}, {"membership": Score(0, 3, 3)}]
    assert intervals(texts * 5, ["indicator"], n=100)["indicator"]["precision"] == (1.0, 1.0)


def test_the_change_of_one_text_in_many_is_its_difference_and_an_interval_that_holds_it():
    before = {f"t{i}": {"membership": Score(2, 3, 4)} for i in range(30)}
    after = dict(before, t0={"membership": Score(4, 5, 4)})  # two more right pairs in one text
    got = paired_intervals(after, before, ["membership"], n=500)["membership"]
    delta, lo, hi = got["recall"]
    assert delta == pytest.approx(62 / 120 - 60 / 120) and lo <= 0 < delta <= hi
    assert paired_intervals(before, before, ["membership"], n=100)["membership"]["f1"] == (0.0, 0.0, 0.0)


def test_no_text_is_refused():
    with pytest.raises(ValueError, match="no texts"):
        intervals([], ["membership"])
    with pytest.raises(ValueError, match="share no text"):
        paired_intervals({"a": {}}, {"b": {}}, ["membership"])


def _eval(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/eval_extract.py", "--dir", str(DATA / "heldout"), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_eval_script_writes_counts_and_prints_intervals_and_a_paired_change(tmp_path):
    counts = tmp_path / "counts.json"
    r = _eval("--bootstrap", "200", "--counts", str(counts))
    assert r.returncode == 0, r.stderr
    assert "95 % by text, 200 draws" in r.stdout and "\norg_alias " in r.stdout.split("95 % by text")[1]
    saved = json.loads(counts.read_text(encoding="utf-8"))
    stems = sorted(p.name[: -len(".gold.yaml")] for p in (DATA / "heldout").glob("*.gold.yaml"))
    assert sorted(saved) == stems and len(saved[stems[0]]["org_alias"]) == 3
    r = _eval("--bootstrap", "200", "--against", str(counts))
    assert r.returncode == 0, r.stderr
    assert f"change on {len(stems)} texts" in r.stdout
    assert "+0.000 (+0.000 +0.000)" in r.stdout.split("change on")[1].splitlines()[1]  # the same code: no change


def test_eval_script_against_without_bootstrap_is_a_usage_error(tmp_path):
    r = _eval("--against", str(tmp_path / "x.json"))
    assert r.returncode == 2 and "--against needs --bootstrap" in r.stderr
