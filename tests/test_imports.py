"""`import kg` and `kg --help` load no heavy optional package; imports run down the layers, never to private names."""

import ast
import json
import subprocess
import sys
from pathlib import Path

HEAVY = [
    "neo4j",
    "pyvis",
    "networkx",
    "rdflib",
    "jieba",
    "pyshacl",
    "falkordb",
    "numpy",
    "starlette",
    "uvicorn",
    "werkzeug",
    "SPARQLWrapper",
]


def _loaded(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        check=True,
    )
    return set(json.loads(out.stdout.decode().strip().splitlines()[-1]))


def test_import_kg_and_cli_loads_nothing_heavy():
    mods = _loaded("import kg, kg.cli")
    assert not {m for m in HEAVY if m in mods}


def test_help_loads_nothing_heavy():
    mods = _loaded(
        "import sys\nfrom kg.cli import cli\ntry:\n    cli(['--help'], prog_name='kg')\nexcept SystemExit:\n    pass"
    )
    assert not {m for m in HEAVY if m in mods}


def test_query_path_does_not_load_rdflib_or_networkx(seed_store):
    args = ["--store", str(seed_store), "members", "红领宁商"]
    code = f"from kg.cli import cli\ntry:\n    cli({args!r}, prog_name='kg')\nexcept SystemExit:\n    pass"
    mods = _loaded(code)
    assert "pyoxigraph" in mods
    assert not {m for m in ["rdflib", "networkx", "pyshacl", "neo4j", "pyvis"] if m in mods}


# ---------------------------------------------------------------------------- layers and private names
# The layers as the code stands (docs/explanation/architecture.md): a module imports only from its own
# layer or the ones below. kg/__init__.py (the version) is not checked.
ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    ("model", ["kg.model", "kg.errors", "kg.text", "kg.progress", "kg.processes"]),
    ("facts", ["kg.facts", "kg.files"]),
    ("mappings", ["kg.validate", "kg.shacl_sparql", "kg.decompile", "kg.pg"]),
    ("stores", ["kg.stores", "kg.graphdb"]),
    ("build", ["kg.build"]),
    ("queries", ["kg.queries"]),
    ("analytics", ["kg.analytics"]),
    ("sparql/server", ["kg.sparql", "kg.server"]),
    ("workflows/extract", ["kg.workflows", "kg.extract"]),  # ingest reads an article with kg.extract.reading
    ("views", ["kg.views", "kg.render"]),
    ("api", ["kg.api"]),
    ("cli", ["kg.cli"]),
]
# Imports that still run upward, each with what removes it; the list only shrinks.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}
# Private names imported across modules, left for the rewrite of those modules; the list only shrinks.
KNOWN_PRIVATE: set[tuple[str, str]] = set()


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> list[tuple[str, str, str]]:
    """(importing module, imported module, name or '') for every ``kg`` import in kg/, lazy ones included."""
    out = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        me = _module(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out += [(me, a.name, "") for a in node.names if a.name.split(".")[0] == "kg"]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "kg":
                out += [(me, node.module, a.name) for a in node.names]
    return out


def _layer(module: str) -> int | None:
    for rank, (_name, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    return None


def _target(module: str, name: str) -> str:
    """``from kg.a import b``: the module kg.a.b when b is a module, else kg.a."""
    sub = f"{module}.{name}"
    return (
        sub if (ROOT / (sub.replace(".", "/") + ".py")).is_file() or (ROOT / sub.replace(".", "/")).is_dir() else module
    )


def test_no_import_runs_up_the_layers():
    upward = set()
    for me, module, name in _imports():
        target = _target(module, name) if name else module
        mine, theirs = _layer(me), _layer(target)
        if mine is not None and theirs is not None and theirs > mine:
            key = (me, target if (me, target) in KNOWN_UPWARD else module)
            if key not in KNOWN_UPWARD:
                upward.add(f"{me} imports {target} ({LAYERS[mine][0]} → {LAYERS[theirs][0]})")
    assert not upward, "imports that run upward:\n" + "\n".join(sorted(upward))


def test_no_module_imports_another_modules_private_names():
    found = {
        (me, f"{module}.{name}")
        for me, module, name in _imports()
        if name.startswith("_") and not name.startswith("__") and _target(module, name) == module and module != me
    }
    assert found <= KNOWN_PRIVATE, "private names imported across modules: " + ", ".join(
        sorted(map(str, found - KNOWN_PRIVATE))
    )
    assert KNOWN_PRIVATE <= found, f"fixed, take them off KNOWN_PRIVATE: {sorted(KNOWN_PRIVATE - found)}"


def test_the_model_layer_imports_only_the_standard_library_and_itself():
    bottom = LAYERS[0][1]
    for path in sorted((ROOT / "kg" / "model").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            for n in names:
                top = n.split(".")[0]
                assert top in sys.stdlib_module_names or any(n == b or n.startswith(b + ".") for b in bottom), (
                    f"{path.relative_to(ROOT)} imports {n}: the model layer takes nothing from third parties or above"
                )


def test_nothing_imports_the_cli():
    assert not [
        (me, m)
        for me, m, _n in _imports()
        if (m == "kg.cli" or m.startswith("kg.cli.")) and not me.startswith("kg.cli")
    ]


def test_a_mistyped_term_is_an_error():
    import pytest

    from kg.model.terms import ORG, PARK

    assert PARK.memberCount == str(PARK) + "memberCount" and ORG.memberOf == "http://www.w3.org/ns/org#memberOf"
    with pytest.raises(AttributeError):
        PARK.membercount  # noqa: B018
    with pytest.raises(KeyError, match="not a term of PARK"):
        PARK["membercount"]
    with pytest.raises(AttributeError, match="read-only"):
        PARK.memberCount = "x"


def _command_bodies() -> dict[str, int]:
    """Every click command or group in kg/cli → the lines of its body, the docstring left out."""
    sizes = {}
    for path in sorted((ROOT / "kg" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            decorators = [ast.unparse(d) for d in node.decorator_list]
            if not any(".command(" in d or ".group(" in d for d in decorators):
                continue
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            sizes[f"{path.name}:{node.name}"] = body[-1].end_lineno - body[0].lineno + 1 if body else 0
    return sizes


def test_every_cli_command_is_a_thin_layer():
    """Issue 14: a command parses, makes one library call and renders, in at most 15 lines."""
    import click

    from kg.cli import cli

    def count(c: click.Command) -> int:
        return 1 + sum(count(s) for s in c.commands.values()) if isinstance(c, click.Group) else 1

    sizes = _command_bodies()
    assert len(sizes) == count(cli)  # every command was found
    assert {name: n for name, n in sizes.items() if n > 15} == {}
