"""The real-news corpus (tests/data/extract/real/): every text has its page's header and an excerpt of at most 2,000
characters, and every gold file says only what its text holds — each name and alias verbatim in the excerpt, each
membership, relation and indicator about an organization the file annotates (tests/data/extract/real/GUIDE.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REAL = Path(__file__).parent / "data" / "extract" / "real"
PAIRS = sorted(p for part in ("dev", "test") for p in (REAL / part).glob("*.txt"))
STATUSES = {"active", "planned", "ended"}


def test_the_corpus_holds_its_two_parts():
    dev = [p for p in PAIRS if p.parent.name == "dev"]
    assert len(dev) >= 300 and len(PAIRS) - len(dev) >= 230
    assert not {p.name for p in dev} & {p.name for p in PAIRS if p.parent.name == "test"}


@pytest.mark.parametrize("txt", PAIRS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_text_and_its_gold_agree(txt):
    raw = txt.read_text(encoding="utf-8")
    assert raw.startswith("---\n"), "no header"
    head, _, body = raw[4:].partition("\n---\n")
    meta = yaml.safe_load(head)
    assert {"url", "date", "title"} <= set(meta), meta
    assert len(body.strip()) <= 2000, len(body.strip())
    gold = yaml.safe_load(txt.with_suffix("").with_suffix(".gold.yaml").read_text(encoding="utf-8")) or {}
    names = set()
    for org in gold.get("organizations") or []:
        for name in [org["name"], *(org.get("aliases") or [])]:
            assert str(name) in body, f"{name} is not in the text"
        names.add(org["name"])
    for member, body_name, status in gold.get("memberships") or []:
        assert {member, body_name} <= names and status in STATUSES, (member, body_name, status)
    for subject, _, obj in gold.get("relations") or []:
        assert {subject, obj} <= names, (subject, obj)
    for row in gold.get("indicators") or []:
        assert row[0] in names, row
