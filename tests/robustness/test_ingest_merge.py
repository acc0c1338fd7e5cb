"""`kg ingest` adds to a facts file written in any valid YAML style — PyYAML's default (lists at the
key's indentation), flow style, JSON, empty or null sections — keeping its text where it can,
and saying so when it must write the file out again (issue 13, item 11)."""

from __future__ import annotations

import pytest
import yaml
from conftest import SEED_STEM

from kg.facts import load_facts
from kg.workflows.ingest import ingest
from robustness.ingestproject import project, seed_candidates  # noqa: F401 - project is a fixture


@pytest.mark.parametrize(
    "style", ["pyyaml-default", "pyyaml-flow-none", "json-like", "flow-top-level", "empty-sections"]
)
def test_merging_into_a_facts_file_in_any_valid_yaml_style(project, style):
    seed = project.facts / f"{SEED_STEM}.yaml"
    data = yaml.safe_load(seed.read_text(encoding="utf-8"))
    if style == "pyyaml-default":
        text = yaml.safe_dump(data, allow_unicode=True)
    elif style == "pyyaml-flow-none":
        text = yaml.dump(data, allow_unicode=True, default_flow_style=None, indent=4)
    elif style == "json-like":
        import json

        text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    elif style == "flow-top-level":
        text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=True, width=100)
    else:
        data["indicators"], data["relations"] = None, []
        text = "# curated\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "# the end\n"
    seed.write_text(text, encoding="utf-8")
    before = load_facts(project.facts).counts()
    report = ingest(seed_candidates(project), project.facts, project.store, shacl=False)
    after = load_facts(project.facts).counts()
    assert after["relations"] == before["relations"] + 1 and after["indicators"] == before["indicators"] + 1
    assert report.added["relations"] == 1
    if style in ("pyyaml-default", "pyyaml-flow-none", "empty-sections"):
        assert seed.read_text(encoding="utf-8").startswith(text.split("\n", 1)[0])
        assert not report.notes
    if style == "empty-sections":
        assert seed.read_text(encoding="utf-8").rstrip().endswith("# the end")
