"""The manual stays honest: it builds with `mkdocs build --strict`, the CLI reference covers every
command, every page is in the navigation, and the query library shows every query file.

The outputs of the `$ kg …` examples on the pages are checked by tests/test_readme.py.
"""

import html
import os
import re
import subprocess
import sys
import tomllib

import click
import pytest
from conftest import ROOT

DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built once, strictly, outside the repository."""
    pytest.importorskip("mkdocs_click", reason="the docs extra: pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
                        "--site-dir", str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    return out


def _commands(group: click.Group, path: tuple[str, ...] = ("kg",)):
    for name, cmd in sorted(group.commands.items()):
        yield (*path, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*path, name))


def test_site_builds_strict(site):
    assert (site / "index.html").is_file()
    assert (site / "reference" / "cli" / "index.html").is_file()


def test_every_command_and_option_is_in_the_generated_reference(site):
    from kg.cli import cli

    page = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    heads = [(m.start(), m["id"]) for m in re.finditer(r'<h[2-6] id="(?P<id>kg(?:-[a-z0-9-]+)?)"', page)]
    sections = {hid: page[start:end] for (start, hid), (end, _) in zip(heads, [*heads[1:], (len(page), "")])}
    commands = list(_commands(cli))
    assert len(commands) > 20
    for path, cmd in commands:
        hid = "-".join(path)
        assert hid in sections, f"{' '.join(path)} is missing from docs/reference/cli.md"
        section = html.unescape(sections[hid])
        assert (cmd.help or "").split("\n")[0].split("`")[0][:40] in section, f"{' '.join(path)}: its help text"
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert opt in section, f"{' '.join(path)}: option {opt}"


def test_every_page_is_in_the_nav():
    pytest.importorskip("mkdocs", reason="the docs extra: pip install -e '.[docs]'")
    from mkdocs.config import load_config

    cfg = load_config(str(ROOT / "mkdocs.yml"))

    def files(nav):
        for item in nav:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from files(value)
            else:
                yield value

    in_nav = list(files(cfg["nav"]))
    on_disk = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    assert sorted(in_nav) == on_disk
    assert len(in_nav) == len(set(in_nav))


def test_the_query_library_includes_every_query_file_with_its_answer(site):
    page = (DOCS / "reference" / "queries.md").read_text(encoding="utf-8")
    html = (site / "reference" / "queries" / "index.html").read_text(encoding="utf-8")
    files = sorted((ROOT / "queries" / "sparql").glob("*.rq")) + sorted((ROOT / "queries" / "cypher").glob("*.cyp"))
    assert len(files) >= 15
    for p in files:
        rel = p.relative_to(ROOT).as_posix()
        lang = "sparql" if p.suffix == ".rq" else "cypher"
        assert f'```{lang}\n--8<-- "{rel}"\n```' in page, f"{rel} is not included from its file"
        assert re.search(rf"```console\n\$ kg {lang} -f {re.escape(rel)}[ \n]", page), f"{rel} has no answer"
        question = p.read_text(encoding="utf-8").splitlines()[0].lstrip("#/ ")
        assert question.split("—")[0][:30] in html, f"{rel}: the include did not render"
    assert "--8&lt;--" not in html


def test_the_readme_install_notes_name_every_extra_and_what_it_brings():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    rows = {m[1]: m[0] for m in re.finditer(r"^\| `([a-z]+)` \|.*$", readme, re.M)}
    assert set(rows) == set(extras)
    for extra, reqs in extras.items():
        for req in reqs:
            dist = re.match(r"[A-Za-z0-9_.-]+", req)[0]
            assert dist.lower() in rows[extra].lower(), f"extra {extra}: {dist} is not named in the README"
