from conftest import SEED_STEM, SEEDS

from kg.text import find_quote, match_key, name_key, normalize, normalize_with_offsets

RAW = (SEEDS / "sources" / f"{SEED_STEM}.txt").read_text(encoding="utf-8")


def test_joins_lines_broken_mid_word():
    assert normalize("营商环境，切实提高政务服务效率，打通\n服务群众") == "营商环境，切实提高政务服务效率，打通服务群众"


def test_drops_spaces_between_cjk_and_around_numbers():
    assert normalize("助 力 新 青 海 提供咨询文印服务 5000 余次") == "助力新青海提供咨询文印服务5000余次"


def test_keeps_spaces_between_latin_words_and_paragraphs():
    assert normalize("open source\nsoftware") == "open source software"
    assert normalize("第一段。\n\n第二段") == "第一段。\n\n第二段"


def test_column_break_inside_a_word_is_joined():
    assert normalize("形成以精密数控机床、环\n\n卫设备") == "形成以精密数控机床、环卫设备"


def test_strips_page_code_lines():
    assert "07A" not in normalize(RAW)
    assert normalize(RAW).endswith("开展前期招商工作。")


def test_full_width_letters_and_digits_fold():
    assert normalize("ＡＢＣ１２３") == "ABC123"


def test_offsets_point_back_to_raw():
    text, offsets = normalize_with_offsets(RAW)
    assert len(text) == len(offsets)
    for i, ch in enumerate(text):
        if ch not in "\n ":
            assert RAW[offsets[i]] in (ch, chr(ord(ch) + 0xFEE0))


def test_match_key_folds_width_quotes_script_and_case():
    assert match_key("“紅領寧商”黨建共同體") == "红领宁商党建共同体"
    assert match_key("１００％") == match_key("100%")
    assert match_key("A b\nC") == "abc"


def test_name_key_drops_separators():
    assert name_key("智汇三江源·助力新青海") == name_key("智汇三江源助力新青海")


def test_find_quote_spans_broken_lines_in_raw():
    start, end = find_quote(RAW, "“红领宁商”党建共同体吸纳生物园区管委会机关")
    assert RAW[start:end].startswith("“红领宁商”党\n建共同体吸纳")  # the opening mark, in the article right there, too
    assert match_key(RAW[start:end]) == match_key("红领宁商党建共同体吸纳生物园区管委会机关")


def test_find_quote_matches_traditional_quote_against_simplified_text():
    assert find_quote(RAW, "紅領寧商黨建共同體") is not None


def test_find_quote_rejects_text_not_in_source():
    assert find_quote(RAW, "青海大学已加入联盟") is None
    assert find_quote(RAW, "") is None


def test_pinyin_readings_inserted_by_mirrors_are_not_part_of_a_name():
    assert name_key("產(chǎn)業(yè)園") == name_key("產業園") == "产业园"
    assert name_key("周口市創(chuàng )新聯合體") == name_key("周口市創新聯合體")  # a space before ")"
    assert name_key("A(b)公司") != name_key("A公司")  # no tone mark: not a reading
