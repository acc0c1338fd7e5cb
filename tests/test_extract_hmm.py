"""kg.extract.hmm: jieba.posseg's Viterbi over arrays must return exactly jieba's own path and score."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

pytest.importorskip("jieba")

from kg.extract import segment  # noqa: E402
from kg.extract.hmm import Viterbi  # noqa: E402

DATA = Path(__file__).parent / "data" / "extract"


def _runs() -> list[str]:
    """Runs of Chinese characters as jieba's HMM meets them: cut from the self-written texts, random
    characters (most not in the emission tables, so every score ties at jieba's floor), one character."""
    rng = random.Random(17)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt")))
    found = re.findall("[\u4e00-\u9fd5]+", text)
    runs = {r[k:k + rng.randint(1, 10)] for r in rng.sample(found, min(60, len(found))) for k in (0, 3)}
    runs |= {"".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 12))) for _ in range(40)}
    runs |= {"华宏", "信禾", "嘉", "有限公司"}
    return sorted(r for r in runs if r)


def test_the_same_path_and_score_as_jiebas_viterbi():
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
    from jieba.posseg.viterbi import viterbi

    fast = Viterbi(start_P, trans_P, emit_P)
    for run in _runs():
        assert fast(run, char_state_tab_P, start_P, trans_P, emit_P) == viterbi(
            run, char_state_tab_P, start_P, trans_P, emit_P), run


def test_other_tables_go_to_jiebas_own_decoder():
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
    from jieba.posseg.viterbi import viterbi

    fast = Viterbi(start_P, trans_P, emit_P)
    own = fast("华宏", char_state_tab_P, start_P, trans_P, emit_P)
    # other tables: only the state of 华 that the tables it was built from like least may start a run
    last = min(char_state_tab_P["华"], key=lambda s: (start_P[s], s))
    start = {s: (0.0 if s == last else -3.14e100) for s in start_P}
    other = fast("华宏", char_state_tab_P, start, trans_P, emit_P)
    assert other == viterbi("华宏", char_state_tab_P, start, trans_P, emit_P)
    assert other[1][0] == last != own[1][0]  # its own tables would not have given this path


def test_segmentation_uses_it():
    _, posseg, _ = segment._posseg()
    assert isinstance(posseg.viterbi, Viterbi)
    assert segment.words("宁夏华宏新材料科技有限公司")[-1] == ("有限公司", "n")


def test_the_per_character_cache_gives_the_same_paths(monkeypatch):
    """Decoded again (each character's states and emissions cached), with the cache cleared as it fills, and with
    another character state table (the cache is read again): always jieba's own path and score."""
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
    from jieba.posseg.viterbi import viterbi

    from kg.extract import hmm

    monkeypatch.setattr(hmm, "_CHARS", 16)  # cleared every 16 characters
    fast = Viterbi(start_P, trans_P, emit_P)
    runs = _runs()
    for states in (char_state_tab_P, {**char_state_tab_P, "华": char_state_tab_P["宏"]}, {}):
        for run in runs + runs[::-1]:
            assert fast(run, states, start_P, trans_P, emit_P) == viterbi(run, states, start_P, trans_P, emit_P), run
    assert 0 < len(fast._chars) <= 16
