"""`kg extract` given the wrong things: an output that would destroy a file, an input that is not a
regular file or not text, a stem that is a path, a facts directory that is not there.

Each is refused with one line (exit 1, or 2 for a usage error), writes nothing, and leaves
no temporary file — also when the command is stopped half-way through writing.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import ROOT, SEED_STEM

from kg.extract import ArticleError, decode, read_article
from robustness.conftest import no_crash, one_line_error, run_kg

DATA = ROOT / "tests" / "data" / "extract"
ARTICLE = DATA / "suzhou_jianxun.txt"


@pytest.fixture
def work(tmp_path) -> Path:
    """A project (seeds/facts, seeds/sources) and an article beside it."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copyfile(ARTICLE, tmp_path / "article.txt")
    return tmp_path


def _extract(work: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return run_kg("extract", *args, "--facts", str(work / "seeds" / "facts"), timeout=timeout)


def _leftovers(*dirs: Path) -> list[Path]:
    return [p for d in dirs for p in d.rglob("*") if p.name.endswith(".tmp") or ".kg-" in p.name]


def _files(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file() and not p.is_symlink()}


# ---------------------------------------------------------------- 2. an output that would destroy something


def _same_path(w: Path) -> str:
    return str(w / "article.txt")


def _symlink(w: Path) -> str:
    (w / "link.yaml").symlink_to(w / "article.txt")
    return str(w / "link.yaml")


def _hardlink(w: Path) -> str:
    os.link(w / "article.txt", w / "hard.yaml")
    return str(w / "hard.yaml")


def _dotted(w: Path) -> str:
    return str(w / "seeds" / ".." / "article.txt")


OUTPUTS = {
    "the-input": (_same_path, "is the input file"),
    "a-link-to-the-input": (_symlink, "is the input file"),
    "a-hard-link-to-the-input": (_hardlink, "is the input file"),
    "the-input-by-another-path": (_dotted, "is the input file"),
    "a-curated-facts-file": (lambda w: str(w / "seeds" / "facts" / f"{SEED_STEM}.yaml"), "inside"),
    "a-new-file-in-facts": (lambda w: str(w / "seeds" / "facts" / "new.yaml"), "inside"),
    "a-file-in-sources": (lambda w: str(w / "seeds" / "sources" / "c.yaml"), "inside"),
    "an-existing-file": (lambda w: (w / "old.yaml").write_text("keep me\n") and str(w / "old.yaml"), "exists"),
}


# every output with and without --force, but an existing file with --force: --force replaces it
# (test_force_replaces_an_existing_output_and_leaves_no_temporary_file)
_CASES = [pytest.param(make, message, force, id=f"{name}{'-force' if force else ''}")
          for name, (make, message) in OUTPUTS.items() for force in (False, True)
          if not (force and message == "exists")]


@pytest.mark.parametrize("make, message, force", _CASES)
def test_an_output_that_would_destroy_a_file_is_refused(work, make, message, force):
    out = make(work)
    before = _files(work)
    r = _extract(work, str(work / "article.txt"), "-o", out, *(["--force"] if force else []))
    assert r.returncode == 1, r.stderr
    assert message in one_line_error(r.stderr.decode())
    assert _files(work) == before
    assert not _leftovers(work)


def test_force_replaces_an_existing_output_and_leaves_no_temporary_file(work):
    out = work / "old.yaml"
    out.write_text("keep me\n")
    r = _extract(work, str(work / "article.txt"), "-o", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith("#") and "source: article" in out.read_text(encoding="utf-8")
    assert not _leftovers(work)
    d = work / "adir"
    d.mkdir()
    r = _extract(work, str(work / "article.txt"), "-o", str(d), "--force")
    assert r.returncode == 1 and "not a regular file" in one_line_error(r.stderr.decode())


def test_a_write_interrupted_half_way_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    import kg.files

    out = tmp_path / "c.yaml"
    out.write_text("old\n")
    real_write = os.write

    def write(fd, data):
        real_write(fd, bytes(data)[:10])
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.files.os, "write", write)
    with pytest.raises(KeyboardInterrupt):
        kg.files.write_atomic(out, "new content " * 1000)
    monkeypatch.undo()
    assert out.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_kg_extract_stopped_while_writing_leaves_no_temporary_file(tmp_path, sig):
    """The write is slowed down so the signal lands in it; the command cleans up on its way out."""
    out, marker = tmp_path / "c.yaml", tmp_path / "writing"
    hook = tmp_path / "hook.py"
    hook.write_text(f"""\
import io, os, sys, time
OUT, MARK = {str(tmp_path)!r}, {str(marker)!r}

def mine(path):
    return str(path).startswith(OUT) and "c.yaml" in os.path.basename(str(path))

def pause():
    open(MARK, "w").close()
    time.sleep(5)

real_write, real_open = os.write, io.open

def write(fd, data):  # a raw descriptor
    if mine(os.readlink(f"/proc/self/fd/{{fd}}")):
        pause()
    return real_write(fd, data)

class Slow:  # a Python file object
    def __init__(self, f):
        self.f = f
    def write(self, data):
        pause()
        return self.f.write(data)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.f.close()
    def __getattr__(self, name):
        return getattr(self.f, name)

def open_(file, mode="r", *a, **kw):
    f = real_open(file, mode, *a, **kw)
    return Slow(f) if "w" in mode and mine(file) else f

os.write, io.open = write, open_
sys.argv[0] = "kg"
from kg.cli import main
main()
""", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(hook), "extract", str(ARTICLE), "-o", str(out), "--no-graph"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert marker.exists(), proc.communicate()[1].decode()[-2000:]
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hook.py", "writing"]


# ---------------------------------------------------------------- 13. not a regular file, not text


def _png() -> bytes:
    rnd = random.Random(1)
    raw = b"".join(b"\x00" + rnd.randbytes(30) for _ in range(10))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 10, 10, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _zip(text: str = "园区" * 2000) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", text)
    return buf.getvalue()


def _utf16_noise() -> bytes:
    """A UTF-16 byte-order mark and random characters that all decode (no lone surrogates)."""
    rnd = random.Random(2)
    chars = (rnd.choice([rnd.randrange(0x100, 0xD800), rnd.randrange(0xE000, 0xFFFE)]) for _ in range(3000))
    return b"\xff\xfe" + b"".join(struct.pack("<H", c) for c in chars)


ARTICLE_TEXT = ARTICLE.read_text(encoding="utf-8")
BINARIES = {
    "random-bytes": random.Random(3).randbytes(8192),
    # decodes as GB18030
    "random-high-bytes": random.Random(4).randbytes(16000).translate(bytes(0x81 + b % 0x7E for b in range(256))),
    "utf16-bom-and-noise": _utf16_noise(),  # decodes as UTF-16
    "png": _png(),
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 40 /Filter /FlateDecode >>\nstream\n"
    + zlib.compress(ARTICLE_TEXT.encode()) + b"\nendstream\nendobj\n%%EOF\n",
    "pdf-all-ascii": b"%PDF-1.1\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] "
                     b"/Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    "zip-docx": _zip(),
    "gzip": __import__("gzip").compress(ARTICLE_TEXT.encode()),
    "text-then-binary-after-64k": (ARTICLE_TEXT * 100).encode()[:100_000].decode("utf-8", "ignore").encode()
    + random.Random(5).randbytes(4096),
    "elf": b"\x7fELF\x02\x01\x01" + bytes(200),
    "sqlite": b"SQLite format 3\x00" + bytes(200),
}


@pytest.mark.parametrize("data", BINARIES.values(), ids=BINARIES.keys())
def test_binary_data_is_refused_as_not_text(work, data):
    art = work / "a.txt"
    art.write_bytes(data)
    with pytest.raises(ArticleError, match="not text"):
        read_article(art)
    r = _extract(work, str(art), "-o", str(work / "c.yaml"))
    assert r.returncode == 1
    assert "not text" in one_line_error(r.stderr.decode())
    assert not (work / "c.yaml").exists() and not _leftovers(work)


def test_every_real_article_is_still_text_in_every_encoding_it_may_come_in():
    """No false alarm: the annotated articles in UTF-8, GB18030, UTF-16 and UTF-8 with a BOM."""
    texts = ([p.read_text(encoding="utf-8") for p in sorted(DATA.rglob("*.txt"))]
             + [(ROOT / "seeds" / "sources" / f"{SEED_STEM}.txt").read_text(encoding="utf-8")])
    assert len(texts) > 50
    for text in texts:
        for enc in ("utf-8", "gb18030", "utf-16", "utf-8-sig"):
            try:
                data = text.encode(enc)
            except UnicodeEncodeError:
                continue
            assert decode(data)[0].lstrip("\ufeff") == text.lstrip("\ufeff"), (enc, text[:40])


def _fifo(w: Path) -> Path:
    os.mkfifo(w / "fifo.txt")
    return w / "fifo.txt"


def _directory(w: Path) -> Path:
    (w / "dir.txt").mkdir()
    return w / "dir.txt"


SPECIAL = {"directory": _directory, "fifo": _fifo, "character-device": lambda w: Path("/dev/zero"),
           "null-device": lambda w: Path("/dev/null")}


@pytest.mark.parametrize("make", SPECIAL.values(), ids=SPECIAL.keys())
def test_an_article_that_is_not_a_regular_file(work, make):
    path = make(work)
    r = _extract(work, str(path), "-o", str(work / "c.yaml"), timeout=60)
    assert r.returncode == 1
    assert "not a regular file" in one_line_error(r.stderr.decode())
    assert not (work / "c.yaml").exists()


def test_source_meta_that_is_not_a_regular_file(work):
    r = _extract(work, str(work / "article.txt"), "-o", str(work / "c.yaml"), "--source-meta", str(_fifo(work)),
                 timeout=60)
    assert r.returncode == 1 and "not a regular file" in one_line_error(r.stderr.decode())


def test_facts_option_naming_a_missing_directory_is_an_error(work):
    r = run_kg("extract", str(work / "article.txt"), "-o", str(work / "c.yaml"), "--facts",
               str(work / "seeds" / "fatcs"), timeout=120)
    assert r.returncode in (1, 2)
    assert "fatcs" in one_line_error(r.stderr.decode()) and not (work / "c.yaml").exists()


def test_without_facts_option_and_no_project_extraction_uses_the_rules(tmp_path):
    shutil.copyfile(ARTICLE, tmp_path / "a.txt")
    p = subprocess.run([sys.executable, "-m", "kg.cli", "extract", "a.txt", "-o", "c.yaml"], cwd=tmp_path,
                       capture_output=True, timeout=300,
                       env={**os.environ,
                            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
    assert p.returncode == 0, p.stderr.decode()
    no_crash(p.stderr.decode())


# ---------------------------------------------------------------- 12. a stem that is a path


@pytest.mark.parametrize("stem", ["../evil", "a/b", "/abs", ".hidden", "..", "a\\b", " "])
def test_a_stem_that_is_a_path_is_refused(work, stem):
    r = _extract(work, str(work / "article.txt"), "-o", str(work / "c.yaml"), "--stem", stem)
    assert r.returncode in (1, 2)
    assert "stem" in one_line_error(r.stderr.decode())
    assert not (work / "c.yaml").exists()


def test_an_article_whose_name_is_no_stem_asks_for_one(work):
    shutil.copyfile(ARTICLE, work / ".hidden.txt")
    r = _extract(work, str(work / ".hidden.txt"), "-o", str(work / "c.yaml"))
    assert r.returncode == 1 and "--stem" in one_line_error(r.stderr.decode())
    r = _extract(work, str(work / ".hidden.txt"), "-o", str(work / "c.yaml"), "--stem", "hidden")
    assert r.returncode == 0, r.stderr
