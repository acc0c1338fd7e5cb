"""What a new user gets: the default install runs views, the endpoint and Cypher; a missing extra is one line."""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_missing_extra_is_one_line_naming_the_extra():
    code = (
        "import sys\nsys.modules['jieba'] = None\n"
        "from kg.cli import cli, main\n"
        "@cli.command('needs-jieba')\ndef needs_jieba():\n    import jieba  # noqa: F401\n"
        "sys.argv = ['kg', 'needs-jieba']\nmain()"
    )
    env = {k: v for k, v in os.environ.items() if k != "KG_DEBUG"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'park-kg[extract]'" in lines[0] and "internal error" not in lines[0]


def test_a_missing_module_of_no_extra_is_still_reported_as_a_bug():
    code = (
        "import sys\nfrom kg.cli import cli, main\n"
        "@cli.command('needs-nothing-known')\ndef needs():\n    import no_such_module_park_kg  # noqa: F401\n"
        "sys.argv = ['kg', 'needs-nothing-known']\nmain()"
    )
    env = {k: v for k, v in os.environ.items() if k != "KG_DEBUG"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 1 and "internal error" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.integration
def test_default_install_has_views_endpoint_and_cypher(tmp_path):
    """`pip install .` with no extra (as the README's first command does): view, serve and Cypher import."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    r = subprocess.run([str(py), "-m", "pip", "install", "-q", str(ROOT)], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    probe = (
        "import neo4j, pyvis, starlette, uvicorn, multipart, numpy; import kg.views, kg.server, kg.stores.bolt; "
        "from kg.server.page import asset, examples; assert len(examples()) >= 9 and asset('query.js'); "
        "from importlib.resources import files; m = files('kg.extract') / 'models'; "
        "assert all((m / f).is_file() for f in ('foolnltk_ner.npz', 'orgs.json', 'members.json'))"
    )  # the query page; the extractor's model and learned weights (without them it falls back to rules)
    r = subprocess.run([str(py), "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    out = tmp_path / "seed.html"
    kg = env_dir / "bin" / "kg"
    store = tmp_path / "store"
    r = subprocess.run(
        [str(kg), "--store", str(store), "build", "--facts", str(ROOT / "seeds" / "facts")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    r = subprocess.run(
        [str(kg), "--store", str(store), "view", "-o", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert out.stat().st_size > 10_000
