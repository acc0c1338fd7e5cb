"""The speed-ups of kg extract return what the slower paths they replace return.

Each fast path here is held against the code it replaced (kept in the test, or still in the package):
the first-character index of model_cands._trim, the cached words of a name, the YAML nodes made directly,
the cached single-character conversions the NER model's encoder reads, and its input tables read from a cache file.
"""

import random

import pytest
import yaml

from kg.extract import model_cands
from kg.extract.candidates import _DUMPER, dump_candidates

pytest.importorskip("jieba")


# ---------------------------------------------------------------- model_cands._trim


def _trim_every_word(key: str, i: int, j: int) -> tuple[int, int]:
    """model_cands._trim as it was: every leading word tried at every step."""
    changed = True
    while changed and j - i > 2:
        changed = False
        for w in model_cands._LEADING:
            if key.startswith(w, i) and j - i - len(w) >= 2:
                i += len(w)
                changed = True
                break
    while j - i > 2 and key[j - 1] in model_cands._TRAILING:
        j -= 1
    return i, j


def test_trim_by_first_character_cuts_what_trying_every_word_cuts():
    rng = random.Random(7)
    pieces = [*model_cands._LEADING, *model_cands._TRAILING, "园区", "科技", "有限公司", "华", "合", "推", "持"]
    moved = 0
    for _ in range(3000):
        key = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        i = rng.randint(0, len(key) - 1)
        j = rng.randint(i + 1, len(key))
        assert model_cands._trim(key, i, j) == _trim_every_word(key, i, j), (key, i, j)
        moved += model_cands._trim(key, i, j) != (i, j)
    assert moved > 500  # the keys did exercise the cuts


def test_trim_cuts_stacked_leading_words():
    key = "持续助力打造宁德时代新能源科技股份有限公司"
    assert model_cands._trim(key, 0, len(key)) == _trim_every_word(key, 0, len(key)) == (6, len(key))


# ---------------------------------------------------------------- tokens.name_words


def test_name_words_are_the_words_tokens_cuts_and_are_cut_once():
    from kg.extract.tokens import Tokens, name_words

    for key in ("深圳市讯邦智联科技股份有限公司", "讯邦智联科技", "宁夏华宏新材料科技", "5gaiot联盟", "两新组织", ""):
        assert name_words(key) == tuple(Tokens(key).words)
        assert name_words(key) is name_words(key)


# ---------------------------------------------------------------- the candidates' YAML


def _safe_dump(value, **kw) -> str:
    return yaml.dump(value, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, width=1000, **kw)


def _fast_dump(value, **kw) -> str:
    return yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000, **kw)


SHARED = ["园区", "联盟"]
VALUES = [
    [{"id": "org/a", "name": "青海大学", "aliases": ["青大", "QHU"], "offsets": [3, 7], "n": 0}],
    [{"quote": "yes", "x": "null", "y": "1.5", "z": "0x1F", "t": "2024-01-02", "e": "", "s": " lead", "c": "a: b"}],
    [{"b": True, "none": None, "f": 0.25, "big": 10**20, "neg": -3, "tuple": (1, 2), "nested": {"k": [[], {}]}}],
    [{"first": SHARED, "again": SHARED}, {"third": SHARED}],  # one list object three times: anchored, then aliased
    [["a", "b"], ["a", {"k": "v"}], "多行\n文本", "带“引号”的名字", "- dash", "#hash", "~", "é"],
    {"extraction": {"article": "/tmp/x.txt", "meta": {"id": "x", "title": "标题：冒号", "date": "2024-05-06"}}},
    [],
    {},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
@pytest.mark.parametrize("flow", [None, False])
def test_direct_nodes_dump_as_the_safe_dumper_does(value, flow):
    assert _fast_dump(value, default_flow_style=flow) == _safe_dump(value, default_flow_style=flow)


def test_aliases_are_still_written_for_an_object_met_twice():
    assert "&id001" in _fast_dump([{"a": SHARED, "b": SHARED}])


def test_candidates_of_an_article_dump_as_the_safe_dumper_does(monkeypatch):
    from kg.extract import candidates, extract_text

    raw = ("青海大学与宁夏华宏新材料科技有限公司、甘肃丰成新材料科技有限公司等3家企业加入园区产业链党建联盟。"
           "联盟秘书长张三表示，2023年产值增长12.5%。\n")
    ex = extract_text(raw, "a")
    data, _ = ex.candidates(set())
    fast = dump_candidates(data, {})
    monkeypatch.setattr(candidates, "_DUMPER", getattr(yaml, "CSafeDumper", yaml.SafeDumper))
    assert fast == dump_candidates(data, {})
    assert "memberships:" in fast and "宁夏华宏新材料科技有限公司" in fast


# ---------------------------------------------------------------- the NER encoder's conversions


@pytest.fixture
def fresh_conversions(tmp_path, monkeypatch):
    pytest.importorskip("opencc")
    from kg.extract import ner

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    conversions = ner._conversions  # a test may replace it
    conversions.cache_clear()
    yield ner
    conversions.cache_clear()


def test_cached_conversions_give_kg_texts_simplified_map(fresh_conversions, tmp_path):
    from kg.text import simplified_map

    ner = fresh_conversions
    rng = random.Random(3)
    chars = [chr(o) for o in range(0x3400, 0xA000)]
    texts = ["".join(rng.sample(chars, n)) for n in (1, 5, 50, 500, 5000) for _ in range(20)]
    # characters whose map depends on what else is converted with them (劃 from t2s, or 㓰's traditional form)
    texts += ["劃㓰", "㓰劃", "瀰㳽", "綵䌽", "襬䙓", "臺台", "中國臺灣台湾", "金诃藏药", "abc ＡＢＣ 123", ""]
    for text in texts:
        assert ner.simplified_map(text) == simplified_map([text]), text
    assert ner.simplified_map("金訶藏藥臺中") == {"臺": "台", "藥": "药", "訶": "诃"}
    assert list((tmp_path / "park-kg").glob("opencc-*.bin"))  # written once, read by need


def test_without_a_cache_the_conversions_are_made_as_before(fresh_conversions, monkeypatch):
    from kg.text import simplified_map

    ner = fresh_conversions
    monkeypatch.setattr(ner, "_conversions", lambda: None)
    assert ner.simplified_map("劃㓰臺中") == simplified_map(["劃㓰臺中"])


def test_the_model_tags_as_before_with_cached_conversions(fresh_conversions, monkeypatch):
    """The encoder's codes, hence the tags, are those of converting with opencc at each call."""
    pytest.importorskip("numpy")
    from kg.text import simplified_map

    ner = fresh_conversions
    text = "北京大學的學生在中國科學院計算技術研究所實習，後來去了阿里巴巴集團控股有限公司。劃撥㓰"
    cached = ner.NerModel().encode(text).tolist()
    monkeypatch.setattr(ner, "simplified_map", lambda chars: simplified_map([chars]))
    assert ner.NerModel().encode(text).tolist() == cached


# ---------------------------------------------------------------- the NER model's input tables, from a cache file


def test_the_input_tables_read_from_the_cache_file_are_those_computed(tmp_path, monkeypatch):
    """The first model writes the tables; the next maps them from the file, bit for bit what the product gives
    (not computed again), and tags as a model that computed its own; a damaged file is computed over."""
    np = pytest.importorskip("numpy")
    from kg.extract import dictionary, ner

    monkeypatch.setattr(dictionary, "cache_dir", lambda: tmp_path)
    with np.load(ner.WEIGHTS) as z:
        w = {k: z[k] for k in z.files}
    n = w["hidden_w"].shape[0] // 2
    half = np.ones(4 * n, np.float32)
    half[:n] = half[2 * n : 3 * n] = half[3 * n :] = 0.5
    computed = ner.input_tables(w["embedding"], w, half)
    written = ner.NerModel()
    [cache] = tmp_path.glob("ner-tables-*.npy")
    real_input_tables = ner.input_tables
    monkeypatch.setattr(ner, "input_tables", lambda *a: pytest.fail("computed again"))
    read = ner.NerModel()
    for model in (written, read):
        assert np.stack(model._tables).tobytes() == computed.tobytes()
    text = "他在北京大学读书，后来去了阿里巴巴集团控股有限公司。"
    chunks = ner._chunks(text, read)
    assert [x.tolist() for x in read.tag([c for c, _ in chunks])] == \
        [x.tolist() for x in written.tag([c for c, _ in chunks])]
    cache.write_bytes(b"damaged")
    monkeypatch.setattr(ner, "input_tables", real_input_tables)
    assert np.stack(ner.NerModel()._tables).tobytes() == computed.tobytes()


# ---------------------------------------------------------------- the candidates' sections written directly


def _sections_dump(value) -> str:
    return yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)


def test_direct_sections_are_what_the_dumper_writes():
    from kg.extract.candidates import _Direct

    items = [{"id": "company/ningxia-huahong", "type": "Company", "name": "宁夏华宏新材料科技有限公司",
              "confidence": 0.99, "aliases": ["华宏", "QHU-2"],
              "quote": "宁夏华宏（新材料）科技，有限公司", "offsets": [3, 16], "review": "candidate"},
             {"member": "company/x", "organization": "org/y", "status": "current", "confidence": 0.5,
              "role": "理事单位", "quote": "A、B等6家单位加入", "offsets": [0, 11], "stages": [], "value": -3,
              "review": "candidate"}]
    direct = _Direct().section(items)
    assert direct is not None  # the fast path is taken for the candidates' usual items
    assert direct == _sections_dump(items)


TRICKY = ["", "yes", "null", "~", "1.5", "0x1F", "2024-01-02", "=", "- dash", "-", ".5", "...", "#x", "a: b", "a,b",
          "[x]", "{x}", " lead", "trail ", "two  spaces", "多行\n文本", "tab\t", "é", "\u3000全角空格", "\ufeffbom",
          "\u2028", "𠀀", "'q'", '"q"', "&a", "*a", "!a", "|a", ">a", "%a", "@a", "`a", "?a", "a?", "1e3", "+1", "0o7"]


@pytest.mark.parametrize("text", TRICKY)
def test_direct_sections_write_a_scalar_as_the_dumper_does_or_leave_it_to_it(text):
    from kg.extract.candidates import _Direct

    for items in ([{"name": text, "offsets": [1, 2]}], [{"aliases": [text, "名"], "offsets": [0, 1]}],
                  [{"id": "x", "offsets": [1, 2], text or "k": "v"}]):
        direct = _Direct().section(items)
        assert direct is None or direct == _sections_dump(items), items


def test_direct_sections_leave_to_the_dumper_what_it_writes_otherwise():
    from kg.extract.candidates import _Direct

    shared = [1, 2]
    others = [
        [{"id": "a", "offsets": shared}, {"id": "b", "offsets": shared}],  # one list twice: anchored
        [{"id": "a", "type": "Company"}],  # scalars only: a flow mapping
        [{"id": "a", "offsets": [1, 2], "flag": True}],
        [{"id": "a", "offsets": [1, 2], "none": None}],
        [{"id": "a", "offsets": [[1], 2]}],
        [{"id": "a", "offsets": [1, 2], "f": 1e-05}],
        [{"id": "a", "offsets": [1, 2], "f": float("inf")}],
        [{"id": "a", "offsets": ["长" * 200] * 6}],  # past the width: libyaml folds the flow sequence
        ["scalar"],
    ]
    for items in others:
        assert _Direct().section(items) is None, items
    rng = random.Random(11)
    alphabet = "青海大学华宏abcXYZ019-_.~=^$;/+()（），、：é:,#' \n"
    taken = 0
    for _ in range(3000):
        items = [{"name": "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5))),
                  "value": rng.choice([rng.randint(-50, 50), rng.random(), "x"]), "offsets": [rng.randint(0, 9), 3]}]
        direct = _Direct().section(items)
        if direct is not None:
            taken += 1
            assert direct == _sections_dump(items), items
    assert taken > 300


# ---------------------------------------------------------------- the linear forms of n² loops over a list's items


def _list_probabilities_item_by_item(pairs, model):
    """pairs._list_probabilities as it was: each item read its whole list again."""
    from kg.extract.pairs import LIST_FLOOR, LIST_MEAN, LONG_LIST

    probs = {id(p): model.probability(p.features) for p in pairs}
    got: dict = {}
    for p in pairs:
        for k in p.lists:
            got.setdefault((*k, id(p.body)), []).append(1.0 if p.rule is not None else probs[id(p)])
    for p in pairs:
        for k in p.lists:
            ps = got[(*k, id(p.body))]
            if len(ps) >= LONG_LIST and (max(ps) >= model.threshold or sum(ps) / len(ps) >= LIST_MEAN) \
                    and probs[id(p)] >= LIST_FLOOR:
                probs[id(p)] = max(probs[id(p)], model.threshold)
    return probs


def test_list_probabilities_read_once_per_list_are_those_read_per_item():
    from kg.extract.entities import Ent
    from kg.extract.pairs import Pair, _list_probabilities

    class Model:
        threshold = 0.5

        def probability(self, f):
            return f["p"]

    rng = random.Random(5)
    bodies = [Ent(f"联盟{k}", "Alliance", "suffix") for k in range(3)]
    lifted = 0
    for _ in range(300):
        pairs = []
        for n in range(rng.randint(1, 12)):
            p = Pair(Ent(f"公司{n}", "Company", "list"), rng.choice(bodies), 0, 0, 1, "active",
                     features={"p": rng.choice([0.1, 0.2, 0.3, 0.34, 0.36, 0.4, 0.45, 0.6])},
                     rule=object() if rng.random() < 0.05 else None)  # type: ignore[arg-type]
            p.lists = {(0, rng.choice([0, 5]))} if rng.random() < 0.9 else set()
            pairs.append(p)
        fast, slow = _list_probabilities(pairs, Model()), _list_probabilities_item_by_item(pairs, Model())
        assert fast == slow
        lifted += sum(fast[id(p)] != p.features["p"] for p in pairs)
    assert lifted > 100  # lists did lift their items


def test_name_index_finds_the_names_holding_a_key_as_a_scan_does():
    from kg.extract.shortforms import NameIndex, abbreviate

    class E:
        def __init__(self, key, type_):
            self.key, self.type = key, type_

    rng = random.Random(9)
    chars = "华宏丰恒信泰嘉新材料科技有限公司宁夏青海"
    names = [E("".join(rng.choice(chars) for _ in range(rng.randint(2, 9))), rng.choice(["Company", "Alliance"]))
             for _ in range(400)]
    ix = NameIndex(names)
    found = 0
    for _ in range(500):
        key = "".join(rng.choice(chars) for _ in range(rng.randint(1, 4)))
        t = rng.choice(["Company", "Alliance"])
        scan = [e for e in names if e.type == t and set(key) <= set(e.key) | set(abbreviate(e.key))]
        assert ix.holding(key, t) == scan, key
        found += len(scan)
    assert found > 1000


def test_occurrences_in_a_long_sentence_are_those_a_search_finds():
    from kg.extract import linking

    def search(text, form):
        a = text.find(form)
        while a >= 0:
            yield a
            a = text.find(form, a + len(form))

    rng = random.Random(4)
    hits = 0
    for _ in range(300):
        alphabet = rng.choice(["ab", "华宏新材料、", "aab"])
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(linking._LONG, linking._LONG + 200)))
        form = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
        assert list(linking._occurrences(text, form)) == list(search(text, form)), form
        hits += len(list(search(text, form)))
    assert hits > 10000


def test_cached_keys_and_buckets_are_those_computed_anew():
    from kg.extract import orgbounds, pairfeatures
    from kg.text import name_key

    for name in ("宁夏华宏新材料科技有限公司", "“红领”宁商", "《南岭日报》", "A·B 联盟", "青海大学", ""):
        assert name_key(name) == name_key(name) == name_key.__wrapped__(name)
    for n in range(-2, 30):
        for edges in ((1, 2, 4), (2, 3, 4, 6, 9, 14, 20), (0,)):
            assert orgbounds.bucket(n, edges) == orgbounds.bucket.__wrapped__(n, edges)
            assert pairfeatures.bucket(n, edges) == pairfeatures.bucket.__wrapped__(n, edges)
    assert orgbounds.bucket(5, (1, 2, 4)) == ">4" and pairfeatures.bucket(3, (1, 2, 4)) == "<=4"


def test_the_pinyin_cache_key_changes_with_pypinyins_files(tmp_path, monkeypatch):
    import importlib.util
    import os

    from kg.extract import pinyin

    pkg = tmp_path / "pypinyin"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("__version__ = '1'\n")
    (pkg / "pinyin_dict.json").write_text("{}")
    spec = importlib.util.spec_from_file_location("pypinyin", pkg / "__init__.py")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec)
    before = pinyin._source()
    (pkg / "__init__.py").write_text("__version__ = '1.1'\n")  # an upgrade rewrites it
    assert pinyin._source() != before
    st = os.stat(pkg / "__init__.py")
    os.utime(pkg / "pinyin_dict.json", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert pinyin._source() != before
