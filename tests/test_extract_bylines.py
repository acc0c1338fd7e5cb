"""Media names in bylines, datelines and source lines (kg.extract.bylines)."""

from __future__ import annotations

import pytest

from kg.extract.bylines import byline_spans
from kg.extract.document import Document


def _media(raw: str) -> list[str]:
    doc = Document.from_raw(raw)
    return [doc.sentences[s].key[a:b] for s, spans in sorted(byline_spans(doc).items()) for a, b, _ in spans]


@pytest.mark.parametrize(("raw", "names"), [
    ("东方网上海3月2日电 (记者 李明)日前，园区揭牌。", ["东方网"]),
    ("西江日报2021年5月6日讯 园区开工。", ["西江日报"]),
    ("据南湖晚报报道，园区开工。", ["南湖晚报"]),
    ("(北岸日报记者 王红 通讯员 李强)园区开工。", ["北岸日报"]),
    ("园区开工。(南湖晚报)", ["南湖晚报"]),
    ("本文原载于江城在线，转载请注明。", ["江城在线"]),
    ("西江日报资料图", ["西江日报"]),
    ("東方網上海3月2日電 园区揭牌。", ["东方网"]),
])
def test_media_are_found_where_news_pages_name_them(raw, names):
    assert _media(raw) == names


def test_a_reporter_and_the_word_photo_are_not_part_of_the_name():
    assert _media("南湖晚报记者王红摄南湖晚报讯 园区开工。") == ["南湖晚报"]


def test_words_in_running_text_are_not_media():
    assert _media("园区与东湖光电技术有限公司签约，据介绍项目年内投产。") == []
