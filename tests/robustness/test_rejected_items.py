"""Items marked `review: rejected` never become facts: a facts file holding one is refused with the
item's line, by the full and the incremental build alike (issue 13, item 10), while `kg ingest`
still reads candidates files, where rejected items are simply left out."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_STEM

from kg.facts import FactsError, load_facts
from kg.workflows.ingest import ingest
from robustness.conftest import run_kg
from robustness.ingestproject import ARTICLE, candidates, project  # noqa: F401 - project is a fixture


def _with_rejected(facts: Path) -> tuple[Path, int]:
    f = facts / f"{SEED_STEM}.yaml"
    text = f.read_text(encoding="utf-8")
    anchor = "  - member: company/saiqi-shipin\n"
    assert anchor in text
    f.write_text(text.replace(anchor, "  - review: rejected\n    member: company/saiqi-shipin\n", 1), encoding="utf-8")
    line = f.read_text(encoding="utf-8").splitlines().index("  - review: rejected") + 1
    return f, line


@pytest.mark.parametrize("force", [True, False], ids=["full", "incremental"])
def test_a_rejected_item_in_a_facts_file_is_refused_with_its_line(project, force):
    from kg.build import build

    (project.facts / "extra.yaml").write_text(
        "source: extra\nentities:\n  - id: fund/x\n    type: Fund\n    name: 合成基金\n    quote: 合成基金\n",
        encoding="utf-8",
    )
    (project.sources / "extra.txt").write_text(ARTICLE, encoding="utf-8")
    (project.sources / "extra.meta.yaml").write_text("id: extra-doc\ntitle: 合成\n", encoding="utf-8")
    build(project.facts, project.store, shacl=False)
    gen = project.current()
    f, line = _with_rejected(project.facts)
    with pytest.raises(FactsError) as err:
        build(project.facts, project.store, shacl=False, force=force)
    assert f"{f}:{line}: memberships[" in str(err.value) and "rejected" in str(err.value)
    assert project.current() == gen
    r = run_kg("build", "--facts", str(project.facts), "--no-shacl", store=project.store)
    assert r.returncode == 1 and f"{f}:{line}:" in r.stderr.decode()


def test_rejected_items_of_a_candidates_file_are_still_skipped_by_ingest(project):
    data = candidates(article=str(project.article))
    data["entities"].append({"id": "fund/other", "type": "Fund", "name": "基金", "quote": "基金", "review": "rejected"})
    report = ingest(project.write(data), project.facts, project.store, shacl=False)
    assert report.skipped["rejected"] == 1 and report.added["entities"] == 1
    load_facts(project.facts)
