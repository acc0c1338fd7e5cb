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
    # source fields, 专讯/报导 heads, datelines and site names
    ("来源:江北区人民政府网发布时间:2023-05-06", ["江北区人民政府网"]),  # the next field ends the name
    ("来源:西岭区委宣传部作者:王红", ["西岭区委宣传部"]),  # a field's whole value, whatever it ends in
    ("来源:北岸财经", ["北岸财经"]),
    ("【南湖时报专讯】园区开工。", ["南湖时报"]),
    ("【东岭时报记者王红台北报导】园区开工。", ["东岭时报"]),
    ("近日，江城日报·江声记者采访了园区。", ["江城日报·江声"]),
    ("园区负责人接受北岸日报记者采访时说，项目开工。", ["北岸日报"]),
    ("南岭大视野2019年3月5日讯(记者王红)园区开工。", ["南岭大视野"]),
    ("西江煤业网>新闻>园区动态", ["西江煤业网"]),
    ("欢迎访问北岸经济信息网!", ["北岸经济信息网"]),
])
def test_media_are_found_where_news_pages_name_them(raw, names):
    assert _media(raw) == names


def test_a_reporter_and_the_word_photo_are_not_part_of_the_name():
    assert _media("南湖晚报记者王红摄南湖晚报讯 园区开工。") == ["南湖晚报"]


def test_words_in_running_text_are_not_media():
    assert _media("园区与东湖光电技术有限公司签约，据介绍项目年内投产。") == []


def test_a_file_name_in_a_source_field_and_section_names_are_not_media():
    assert _media("来源:img20240420") == []
    assert _media("西江煤业网>滚动新闻>正文") == ["西江煤业网"]


def test_a_bylines_whole_name_wins_over_a_suffix_inside_it():
    from kg.extract import extract_text

    ex = extract_text("标题\n\n【2021-06-23来源:南岭广播电视集团北岸新闻网】园区开工。\n", "x")
    assert "南岭广播电视集团北岸新闻网" in [e.name for e in ex.orgs]
