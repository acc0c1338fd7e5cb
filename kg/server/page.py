"""The offline query page at ``/``: its files, the project prefixes and the ``queries/sparql/`` library as examples.

Everything the page loads comes from this endpoint (``kg/server/static/``): no other host is asked for anything,
and its Content-Security-Policy lets it load scripts and styles from here and connect to here only.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kg.model.terms import PREFIXES

__all__ = ["PAGE_DIR", "PAGE_FILES", "PAGE_CSP", "examples", "page_config", "asset"]

#: the page's files: index.html, query.js, query.css, and examples/ (a link to queries/sparql/)
PAGE_DIR = Path(__file__).resolve().parent / "static"
#: what the page may fetch, by name -> media type
PAGE_FILES = {"query.js": "text/javascript; charset=utf-8", "query.css": "text/css; charset=utf-8",
              "icon.svg": "image/svg+xml"}
#: the page's own policy: scripts, styles and requests from this origin only; no inline code, no frames, no forms
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def _title(text: str, name: str) -> str:
    """The question a library query answers (its first ``# Question:`` line), else its file name."""
    for line in text.splitlines():
        if line.startswith("# Question:"):
            return line.removeprefix("# Question:").strip()
    return name


@cache
def examples() -> tuple[dict[str, str], ...]:
    """The query library as ``{"name", "title", "text"}``, by file name (read once)."""
    texts = {f.stem: f.read_text(encoding="utf-8") for f in sorted((PAGE_DIR / "examples").glob("*.rq"))}
    return tuple({"name": name, "title": _title(text, name), "text": text} for name, text in texts.items())


def page_config(writable: bool, max_rows: int, timeout: float) -> dict:
    """What the page needs to know: prefixes, examples, whether updates are possible, the limits."""
    return {"prefixes": PREFIXES, "examples": list(examples()), "writable": writable, "max_rows": max_rows,
            "timeout": timeout}


def asset(name: str) -> tuple[bytes, str] | None:
    """(content, media type) of a page file, None for any other name."""
    if name == "":
        return (PAGE_DIR / "index.html").read_bytes(), "text/html; charset=utf-8"
    if name not in PAGE_FILES:
        return None
    return (PAGE_DIR / name).read_bytes(), PAGE_FILES[name]
