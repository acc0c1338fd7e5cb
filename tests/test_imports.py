"""`import kg` and `kg --help` load no heavy optional package."""

import json
import subprocess
import sys

HEAVY = ["neo4j", "pyvis", "networkx", "rdflib", "jieba", "pyshacl", "falkordb", "numpy", "starlette", "uvicorn", "werkzeug", "SPARQLWrapper"]


def _loaded(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"], capture_output=True, check=True)
    return set(json.loads(out.stdout.decode().strip().splitlines()[-1]))


def test_import_kg_and_cli_loads_nothing_heavy():
    mods = _loaded("import kg, kg.cli")
    assert not {m for m in HEAVY if m in mods}


def test_help_loads_nothing_heavy():
    mods = _loaded("import sys\nfrom kg.cli import cli\ntry:\n    cli(['--help'], prog_name='kg')\nexcept SystemExit:\n    pass")
    assert not {m for m in HEAVY if m in mods}


def test_query_path_does_not_load_rdflib_or_networkx(seed_store):
    code = f"from kg.cli import cli\ntry:\n    cli(['--store', {str(seed_store)!r}, 'members', '红领宁商'], prog_name='kg')\nexcept SystemExit:\n    pass"
    mods = _loaded(code)
    assert "pyoxigraph" in mods
    assert not {m for m in ["rdflib", "networkx", "pyshacl", "neo4j", "pyvis"] if m in mods}
