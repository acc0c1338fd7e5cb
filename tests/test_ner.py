"""kg.extract.ner: the numpy BiLSTM-CRF gives entities with offsets into the text it was given."""

import json
import subprocess
import sys

import pytest

pytest.importorskip("numpy")

from kg.extract import ner  # noqa: E402
from kg.extract.ner import MAX_CHUNK, Span, entities, entities_many  # noqa: E402

SIMPLIFIED = "北京大学的学生在中国科学院计算技术研究所实习，后来去了阿里巴巴集团控股有限公司。"
TRADITIONAL = "北京大學的學生在中國科學院計算技術研究所實習，後來去了阿里巴巴集團控股有限公司。"
EXPECTED = [(0, 4, "org"), (8, 20, "org"), (27, 39, "company")]


def _triples(spans: list[Span]) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in spans]


def test_simplified_sentence():
    spans = entities(SIMPLIFIED)
    assert _triples(spans) == EXPECTED
    assert [s.text for s in spans] == ["北京大学", "中国科学院计算技术研究所", "阿里巴巴集团控股有限公司"]


def test_traditional_sentence_gives_the_same_spans_in_its_own_characters():
    spans = entities(TRADITIONAL)
    assert _triples(spans) == EXPECTED
    assert [s.text for s in spans] == ["北京大學", "中國科學院計算技術研究所", "阿里巴巴集團控股有限公司"]


def test_offsets_index_the_original_text_across_spaces_line_breaks_and_full_width():
    text = "  据报道，\n华为技术有限\n公司位于深圳，ＡＢＣ科技有限公司也在那里。"
    spans = entities(text)
    for s in spans:
        assert text[s.start : s.end] == s.text
    assert ("华为技术有限\n公司", "company") in [(s.text, s.label) for s in spans]
    assert ("深圳", "location") in [(s.text, s.label) for s in spans]


def test_blank_line_separates_chunks():
    text = "中国科学院计算技术研究所\n\n阿里巴巴集团控股有限公司"
    assert [s.text for s in entities(text)] == ["中国科学院计算技术研究所", "阿里巴巴集团控股有限公司"]


def test_empty_and_blank_input():
    assert entities("") == []
    assert entities(" \n\n\u3000") == []
    assert entities_many([]) == []
    assert entities_many(["", SIMPLIFIED, ""])[0] == []


def test_span_is_frozen():
    s = Span(0, 2, "location", "北京")
    with pytest.raises(AttributeError):
        s.start = 1  # type: ignore[misc]


def test_batching_gives_the_same_result_as_one_by_one():
    texts = [SIMPLIFIED, TRADITIONAL, "他在北京大学读书。", "", "深圳市腾讯计算机系统有限公司与清华大学签署协议。" * 3,
             "一个傻子在北京"]
    assert entities_many(texts) == [entities(t) for t in texts]


def test_long_input_without_punctuation_is_cut_into_bounded_chunks(monkeypatch):
    text = "中国科学院计算技术研究所与阿里巴巴集团控股有限公司合作" * 2000  # 54,000 characters, no break
    model = ner.load_model()
    calls: list[tuple[int, int]] = []
    real_tag = model.tag

    def spy(batch):
        calls.append((len(batch), max(len(s) for s in batch)))
        return real_tag(batch)

    monkeypatch.setattr(model, "tag", spy)
    spans = entities(text)
    assert all(rows * width <= max(ner._BATCH_CHARS, MAX_CHUNK) for rows, width in calls)  # bounded memory
    assert all(width <= MAX_CHUNK for _, width in calls)
    assert sum(rows for rows, _ in calls) == -(-len(text) // MAX_CHUNK)  # linear: one row per chunk
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert sum(s.text == "阿里巴巴集团控股有限公司" for s in spans) > 1500


def test_chunks_cut_at_sentence_ends_and_soft_breaks():
    model = ner.load_model()
    text = "甲。”乙！丙" + "字" * 100 + "，" + "字" * 100
    chunks = [(len(ids), text[pos[0] : pos[-1] + 1]) for ids, pos in ner._chunks(text, model)]
    assert chunks[0][1] == "甲。”"
    assert chunks[1][1] == "乙！"
    assert chunks[2][1].endswith("，") and chunks[2][0] <= MAX_CHUNK


def test_characters_map_to_the_forms_seen_in_training():
    model = ner.load_model()
    assert model.char_id("Ａ") == model.char_id("A") != model.char_id("<")  # letters half-width
    assert model.char_id(",") == model.char_id("，")  # Chinese punctuation full-width
    assert model.char_id("\U0002a6a5") == 1  # unknown: <OOV>
    assert model.char_id(" ") == -1


def test_import_kg_extract_ner_does_not_load_numpy():
    code = "import kg, kg.extract.ner, sys, json; print(json.dumps('numpy' in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True)
    assert json.loads(out.stdout) is False


def test_a_model_span_keeps_a_name_that_starts_like_a_function_word():
    """Leading verbs and prepositions are cut from model spans, never the first character of a name."""
    from kg.extract.document import Document
    from kg.extract.model_cands import model_spans

    doc = Document.from_raw("携程集团与暨南大学、同济大学签约。")
    names = {s.key[i:j] for s in doc.sentences for i, j, _ in model_spans(doc).get(s.index, ())}
    assert names == {"携程集团", "暨南大学", "同济大学"}
