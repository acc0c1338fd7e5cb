"""The word tables kg extract loads by need (kg/extract/dictionary.py) read exactly what the packages' own loaders read.

jieba's dictionary and pypinyin's phrase table are cut into buckets of a cache file; a text
loads only the buckets of its characters. These tests hold the cut words, their tags and the
pinyin of names to what jieba and pypinyin give when they load everything themselves, on the
self-written annotated texts.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT

from kg.extract.dictionary import Buckets, cache_dir

DATA = ROOT / "tests" / "data" / "extract"


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("round*/*.txt")) + sorted(DATA.glob("*.txt"))]


def test_buckets_load_only_what_a_text_can_hold_and_the_file_is_rebuilt_when_damaged(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    table = {"园区": 1, "园区管委会": 2, "联盟": 3, "联": 4, "区": 5}
    builds = []

    def build():
        builds.append(1)
        return 42, [dict(table)]

    loaded: dict[str, int] = {}
    b = Buckets.open("t", "source-1", 2, (loaded,), build)
    assert b.total == 42 and builds == [1] and cache_dir() == tmp_path / "park-kg"
    (path,) = cache_dir().glob("t-*.bin")
    b.ensure("成立联盟")
    assert loaded == {"联盟": 3, "联": 4}  # nothing that starts with 园 or 区
    b.ensure("园区")
    assert loaded == table
    Buckets.open("t", "source-1", 2, ({},), build)
    assert builds == [1]  # read from the file
    Buckets.open("t", "source-2", 2, ({},), build)
    assert builds == [1, 1]  # what it is built from changed: a new file
    path.write_bytes(b"not a cache")
    again: dict[str, int] = {}
    Buckets.open("t", "source-1", 2, (again,), build).ensure("园区联盟")
    assert again == table  # a damaged file is not read: the table is built again elsewhere


def test_pinyin_of_names_is_pypinyins():
    pypinyin = pytest.importorskip("pypinyin")
    from kg.extract.pinyin import lazy_pinyin
    from kg.extract.segment import words

    runs = {w for t in _texts()[:30] for run in re.findall(r"[\u3400-\u9fff]+", t) for w, _ in words(run)}
    assert len(runs) > 1000
    differ = [w for w in runs if lazy_pinyin(w) != pypinyin.lazy_pinyin(w)]
    assert not differ, differ[:10]
    assert lazy_pinyin("金诃藏药") == ["jin", "he", "zang",
                                       "yao"] and lazy_pinyin("绿色银行") == ["lv", "se", "yin", "hang"]


_REFERENCE = """
import json, logging, sys
import jieba, jieba.posseg
from kg.extract.lexicon import PLACE_NAMES
jieba.setLogLevel(logging.WARNING)
tok = jieba.Tokenizer()
tok.initialize()
pos = jieba.posseg.POSTokenizer(tok)
for place in PLACE_NAMES:
    tok.add_word(place, freq=max(tok.FREQ.get(place) or 0, 500), tag="ns")
texts = json.load(sys.stdin)
print(json.dumps([[[p.word, p.flag] for p in pos.cut(t)] for t in texts], ensure_ascii=False))
"""


def test_words_and_tags_are_jiebas_own():
    pytest.importorskip("jieba")
    from kg.extract.segment import word_freq, words

    sentences = [s for t in _texts()[:15] for s in re.split("[。\n]", t) if s.strip()]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _REFERENCE], input=json.dumps(sentences), capture_output=True,
                          text=True, env=env, check=True)
    expected = json.loads(done.stdout)
    assert len(sentences) > 150
    assert [[list(p) for p in words(s)] for s in sentences] == expected
    assert word_freq("有限公司") and word_freq("园区") and word_freq("青海大美中药") is None
