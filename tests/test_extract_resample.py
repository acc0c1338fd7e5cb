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


def test_texts_unalike_give_the_95_percent_interval_around_the_whole_score():
    texts = _texts([(4, 4, 4)] * 10 + [(0, 4, 4)] * 10)  # half the texts all right, half all wrong: P 0.5
    lo, hi = intervals(texts, ["membership"], n=2000)["membership"]["precision"]
    assert 0.27 < lo < 0.33 and 0.67 < hi < 0.73  # 0.5 ± 1.96·√(0.25/20); a 50 % interval would be ±0.08
    assert intervals(texts, ["membership"], n=2000, seed=1) != intervals(texts, ["membership"], n=2000, seed=0)
    assert intervals(texts, ["membership"], n=2000, seed=1) == intervals(texts, ["membership"], n=2000, seed=1)


def test_a_draw_with_nothing_to_divide_by_is_left_out_not_counted_perfect():
    texts = [{"indicator": Score(1, 2, 2)}] + [{"indicator": Score(0, 0, 3)} for _ in range(99)]
    lo, hi = intervals(texts, ["indicator"], n=500)["indicator"]["precision"]
    assert (lo, hi) == (0.5, 0.5)  # every draw holding a prediction reads 0.5; draws with none are no 1.0


def test_a_resample_count_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        intervals(_texts([(1, 1, 1)]), ["membership"], n=0)


def test_a_kind_some_texts_lack_is_resampled_from_the_texts_that_have_it():
    texts = [{"indicator": Score(1, 1, 2)}, {"membership": Score(0, 3, 3)}]
    got = intervals(texts * 5, ["indicator", "relation"], n=100)
    assert got["indicator"]["precision"] == (1.0, 1.0) and got["indicator"]["recall"] == (0.5, 0.5)
    assert "relation" not in got  # no text scores it


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
    assert f"change on {len(stems)} texts" in r.stdout and "95 % by text, 200 draws" in r.stdout  # both tables
    assert "+0.000 (+0.000 +0.000)" in r.stdout.split("change on")[1].splitlines()[1]  # the same code: no change


def test_eval_script_refuses_bad_options_in_one_line_before_extracting(tmp_path):
    r = _eval("--against", str(tmp_path / "x.json"))
    assert r.returncode == 2 and "--against needs --bootstrap" in r.stderr
    r = _eval("--bootstrap", "-3")
    assert r.returncode == 2 and "must be at least 1" in r.stderr and "Traceback" not in r.stderr
    r = _eval("--bootstrap", "100", "--against", str(tmp_path / "missing.json"))
    assert r.returncode == 2 and "missing.json" in r.stderr and "Traceback" not in r.stderr
    assert "org_alias" not in r.stdout  # refused before any text was extracted


def test_eval_script_compares_with_the_counts_a_file_held_before_it_rewrites_them(tmp_path):
    counts = tmp_path / "counts.json"
    stems = sorted(p.name[: -len(".gold.yaml")] for p in (DATA / "heldout").glob("*.gold.yaml"))
    # an earlier run that found nothing: every gold organization missed
    counts.write_text(json.dumps({t: {"org_alias": [0, 0, 1]} for t in stems}), encoding="utf-8")
    r = _eval("--bootstrap", "200", "--against", str(counts), "--counts", str(counts))
    assert r.returncode == 0, r.stderr
    change = r.stdout.split("change on")[1].splitlines()[1]
    assert change.startswith("org_alias") and "+0.000 (+0.000 +0.000)" not in change
    assert "the gold of" in r.stderr  # the made-up counts had one gold organization per text
    assert json.loads(counts.read_text(encoding="utf-8"))[stems[0]]["org_alias"][2] > 1  # then rewritten
