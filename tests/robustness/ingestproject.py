"""A project to ingest into, for the ingest robustness tests: a copy of the seeds with its own
store, an article and a secret outside it, and a system temporary directory of its own."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SEED_STEM

from robustness.conftest import one_line_error, run_kg

ARTICLE = "合成基金支持青海大学。\n"
SECRET = "SECRET-TOKEN the curator never meant to publish\n"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def candidates(stem: str = "mini", article: str | None = None, **extraction) -> dict:
    """A reviewed candidates file for ``stem``: a fund and the relation the article states."""
    ext = {"article": article, "sha256": sha(ARTICLE), **extraction}
    return {
        "source": stem,
        "extraction": {k: v for k, v in ext.items() if v is not None},
        "entities": [{"id": "fund/hecheng-jijin", "type": "Fund", "name": "合成基金", "quote": "合成基金",
                      "review": "accepted"}],
        "relations": [{"subject": "fund/hecheng-jijin", "predicate": "supports", "object": "university/qinghai-daxue",
                       "quote": "合成基金支持青海大学", "review": "accepted"}],
    }  # fmt: skip


class Project:
    """seeds/ (facts, sources) and a store built from it, an article outside, a secret outside, a temp dir."""

    def __init__(self, root: Path):
        from kg.build import build

        self.root = root
        self.seeds = root / "proj" / "seeds"
        shutil.copytree(ROOT / "seeds", self.seeds)
        self.facts, self.sources, self.store = self.seeds / "facts", self.seeds / "sources", root / "proj" / "store"
        build(self.facts, self.store, shacl=False)
        self.outside = root / "outside"
        self.outside.mkdir()
        self.article = self.outside / "mini.txt"
        self.article.write_text(ARTICLE, encoding="utf-8")
        self.secret = self.outside / "secret.txt"
        self.secret.write_text(SECRET, encoding="utf-8")
        self.tmp = root / "systmp"
        self.tmp.mkdir()

    def write(self, data, name: str = "c.yaml") -> Path:
        p = self.root / name
        p.write_text(
            data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        return p

    def tree(self) -> dict[str, tuple]:
        """Every path under the test's directory: its kind and content (links by target)."""
        out = {}
        for dirpath, dirnames, filenames in os.walk(self.root):
            for name in dirnames + filenames:
                p = Path(dirpath) / name
                rel = str(p.relative_to(self.root))
                if p.is_symlink():
                    out[rel] = ("link", os.readlink(p))
                elif p.is_dir():
                    out[rel] = ("dir",)
                else:
                    out[rel] = ("file", hashlib.sha256(p.read_bytes()).hexdigest())
        return out

    def current(self) -> str:
        from kg.stores.embedded import StoreDir

        return StoreDir(self.store).current.name

    def ingest(self, cand: Path, *args: str, **kw) -> subprocess.CompletedProcess:
        env = {"TMPDIR": str(self.tmp), **kw.pop("env", {})}
        return run_kg(
            "ingest", str(cand), "--facts", str(self.facts), "--no-shacl", *args, store=self.store, env=env, **kw
        )


def seed_candidates(project: Project) -> Path:
    """Items for the seed document that its facts do not hold yet."""
    return project.write({
        "source": SEED_STEM,
        "relations": [{"subject": "university/qinghai-daxue", "predicate": "relatedTo",
                       "object": "university/xining-chengshi-zhiye-jishu-xueyuan",
                       "quote": "青海大学、青海理工学院", "review": "accepted"}],
        "indicators": [{"about": "university/qinghai-daxue", "metric": "测试指标", "measure": "count", "value": 7,
                        "unit": "个", "quote": "青海大学、青海理工学院", "review": "accepted"}],
    })  # fmt: skip


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    p = Project(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(p.tmp))
    return p


def error_line(r: subprocess.CompletedProcess) -> str:
    """The one ``Error:`` line of a failed command, after its progress lines (``… validating``)."""
    text = r.stderr.decode("utf-8", "replace")
    return one_line_error("\n".join(ln for ln in text.splitlines() if not ln.startswith("… ")))
