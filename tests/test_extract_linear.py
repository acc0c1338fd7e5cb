"""kg extract is linear in the input: the worst cases of issue 17 give the right output, and the work
(counted in function calls, never timed) grows with the input, not with its square.

The time is measured by scripts/bench_extract.py, not here.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT

from kg.extract import extract_text
from kg.extract.document import MAX_EVIDENCE, MAX_RUN, MAX_SENTENCE

sys.path.insert(0, str(ROOT / "scripts"))
from bench_extract import article, company_list  # noqa: E402

_COUNT = """
import cProfile, pstats, sys
sys.path.insert(0, "scripts")
from bench_extract import company_list, flat_line
from kg.extract import extract_text
from kg.extract.segment import words
words("预热")  # jieba's dictionary is loaded before the count
text = {"list": company_list, "line": flat_line}[sys.argv[1]](int(sys.argv[2]))
profile = cProfile.Profile()
profile.enable()
extract_text(text, "linear")
profile.disable()
print(pstats.Stats(profile).total_calls)
"""


def _calls(kind: str, size: int) -> int:
    """Function calls (Python and built-in) that extracting the input makes, in a fresh interpreter (no
    cache warmed by another input): a count of the work, not a time."""
    r = subprocess.run([sys.executable, "-c", _COUNT, kind, str(size)], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    assert r.returncode == 0, r.stderr
    return int(r.stdout.split()[-1])


@pytest.mark.parametrize("kind, small", [("list", 200), ("line", 20_000)])
def test_work_grows_with_the_input_not_its_square(kind, small):
    """Four times the input, at most four times the calls (3.8 for the list, 3.3 for the line); before, the
    list scan that re-walked the clause per join made about 11 times more, the unpunctuated line 47 times."""
    assert _calls(kind, 4 * small) / _calls(kind, small) < 6


def test_a_list_of_1500_companies_is_1500_memberships_with_short_quotes():
    text = company_list(1500)
    names = text.split("，", 1)[1].split("等")[0].split("、")
    ex = extract_text(text, "list")
    members = [st for st in ex.statements if st.is_membership]
    assert sorted(st.subject.name for st in members) == sorted(names)
    assert {st.object.name for st in members} == {"产业链党建联盟"}
    data, counts = ex.candidates()
    assert counts["memberships"] == 1500 and counts["dropped"] == 0
    quotes = {m["quote"] for m in data["memberships"]}
    # the first company, 19,000 characters from 加入: by its own name
    assert names[0] in quotes and all(len(q) <= MAX_EVIDENCE for q in quotes)


def test_a_line_without_punctuation_is_read_in_sentences_of_bounded_length():
    text = article(60_000)
    line = "".join(c for c in text if c.isalnum())
    ex = extract_text(line, "line")
    assert len(ex.doc.sentences) > 1 and all(s.end - s.start <= MAX_RUN for s in ex.doc.sentences)
    assert all(st.j - st.i <= MAX_EVIDENCE
               for st in ex.statements) and all(f.j - f.i <= MAX_EVIDENCE for f in ex.figures)
    named = {e.name for e in extract_text(text, "text").orgs if e.type in ("Company", "University")}
    assert len(named & {e.name for e in ex.orgs}) > 0.3 * len(named)  # run together, many names still read (0.48)


def test_a_text_whose_every_mark_is_a_comma_is_read_in_pieces_but_an_enumeration_is_not_cut():
    """Read as one sentence, text with commas only linked every name to every other (quadratic output);
    an enumeration keeps the clauses that introduce and follow it, however long it is."""
    text = re.sub(r"[。！？；\n]+", "，", article(30_000))
    ex = extract_text(text, "commas")
    assert len(ex.doc.sentences) > 10 and all(s.end - s.start <= MAX_SENTENCE for s in ex.doc.sentences)
    names = company_list(1500).split("，", 1)[1].split("等")[0].split("、")
    for listed in ("园区产业链党建联盟吸纳以下企业：" + "、".join(names) + "为成员单位。",
                   "经过审核，" + "、".join(names) + "，共同加入园区产业链党建联盟。"):
        ex = extract_text(listed, "list")
        assert len(ex.doc.sentences) == 1 and len([st for st in ex.statements if st.is_membership]) == 1500


def _reach(pattern: re.Pattern) -> int:
    return re._parser.parse(pattern.pattern).getwidth()[1]


@pytest.mark.parametrize(
    "module, pattern, reach",
    [
        ("clause", "_SEPARATOR", "SEPARATOR_WIDTH"),
        ("clause", "_OPENS_SHORT_FORM", 5),
        ("memberships", "_EXCEPT", 8),
        ("memberships", "_FOUNDS", 6),
        ("memberships", "_FORMED", 6),
        ("relations", "_TAIL_20", 21),
        ("relations", "_TAIL_12", 13),
        ("relations", "_WITH_WHOM", 31),
        ("grants", "_HELD", 4),
        ("relations", "_GUIDE", 4),
    ],
)
def test_bounded_searches_reach_as_far_as_a_match_can(module, pattern, reach):
    """A search started or stopped a fixed distance from a position finds what a search of the whole
    sentence finds only if no match is longer than that distance: checked against the pattern itself."""
    mod = importlib.import_module(f"kg.extract.{module}")
    assert _reach(getattr(mod, pattern)) <= (getattr(mod, reach) if isinstance(reach, str) else reach)


def test_patterns_searched_back_from_a_position_reach_no_further_than_assumed():
    from kg.extract.figures import _METRIC_STRIP
    from kg.extract.grants import _BEFORE_GRANT
    from kg.extract.orgspans import ENDING_WIDTH

    assert all(_reach(p) <= width for p, width in ENDING_WIDTH.items())
    # repeated pieces: the window grows until a match starts further in than one piece reaches
    piece = re.compile(_METRIC_STRIP.pattern.removesuffix("+$"))
    assert _reach(piece) <= 3 and _reach(re.compile(_BEFORE_GRANT.pattern.removesuffix("+$"))) <= 13


@pytest.mark.parametrize("piece", [5, 64])
def test_normalizing_an_article_in_pieces_is_normalizing_it_whole(piece):
    """A 16 MB article is normalized (and its match key taken) a piece at a time for memory; cut between two
    ideographs, the pieces give exactly what the whole gives, whatever the OCR noise around the cuts."""
    from kg.extract.document import _normalize, pieces
    from kg.text import match_key_with_offsets, normalize_with_offsets

    text = article(20_000)
    noise = ["\n", " ", "\n\n", "\r\n", "\n07A\n", "\u3000", "\n  ", "\u200b", "Ａ", "(chǎn)"]
    noisy = "".join(c + (noise[n % len(noise)] if n % 17 == 0 else "") for n, c in enumerate(text))
    for raw in (text, noisy):
        want_text, want_offsets = normalize_with_offsets(raw)
        got_text, got_offsets = _normalize(raw, piece)
        assert got_text == want_text and list(got_offsets) == want_offsets
        keys = [(a, match_key_with_offsets(raw[a:b])) for a, b in pieces(raw, piece)]
        expected = ("".join(k for _, (k, _) in keys), [a + o for a, (_, offs) in keys for o in offs])
        assert expected == match_key_with_offsets(raw)


def test_quotes_are_found_back_where_they_were_taken_as_in_the_whole_article():
    """A quote is looked for where it was cut before the whole article is searched (a search from the start
    per quote was quadratic): the answer is find_quote's, for any span, with OCR noise and pinyin readings."""
    import random

    from kg.extract.candidates import _Raw
    from kg.extract.document import Document
    from kg.text import find_quote

    text = article(6_000)
    raw = "".join(c + ("(chǎn)" if n % 23 == 0 and "\u4e00" <= c <= "\u9fff" else "\n07A\n" if n % 31 == 0 else "")
                  for n, c in enumerate(text))
    doc = Document.from_raw(raw)
    found = _Raw(doc)
    rng = random.Random(17)
    for _ in range(300):
        start = rng.randrange(len(doc.text) - 1)
        end = min(len(doc.text), start + rng.randint(1, 40))
        quote = doc.text[start:end]
        assert found.has(quote, [(start, end)]) == (find_quote(raw, quote) is not None)
        assert found.has(quote[::-1]) == (find_quote(raw, quote[::-1]) is not None)
