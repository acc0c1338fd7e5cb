"""One self-contained HTML file per view: every script and style inlined, data as inert JSON.

The page makes no network request: vis-network's JavaScript and CSS are read from the copy
pyvis ships (``pyvis/lib/vis-9.1.2``) and inlined, and our own script and style sit beside
this module. The view's data goes into a ``<script type="application/json">`` block with
``<``, ``>``, ``&`` and U+2028/2029 escaped, so no label or quote can close the block or
become markup; the page's script writes every string into the DOM with ``textContent``.
Its Content-Security-Policy runs only the page's own two scripts (by SHA-256 hash, so a
script or event handler that got into the page some other way would not run) and lets it
load nothing from anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path

from kg.errors import KgError
from kg.views.drawing import View

__all__ = ["to_html", "write_html", "safe_json", "VIS_VERSION"]

VIS_VERSION = "9.1.2"
_HERE = Path(__file__).resolve().parent
_SLOT = re.compile(r"/\*@(\w+)@\*/")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def safe_json(data: object) -> str:
    """JSON that can sit inside ``<script>``: no ``</script>``, ``<!--`` or line separators survive.

    >>> safe_json({"label": "</script><b>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KgError("kg view needs pyvis, part of the default install: pip install park-kg")
    lib = Path(next(iter(spec.submodule_search_locations))) / "lib" / f"vis-{VIS_VERSION}"
    js, css = (
        (lib / "vis-network.min.js").read_text(encoding="utf-8"),
        (lib / "vis-network.css").read_text(encoding="utf-8"),
    )
    return _inline(js, "script"), _inline(css, "style")


def _inline(text: str, tag: str) -> str:
    """Text safe inside ``<tag>``: a closing tag in it (in a string or comment) is split."""
    return re.sub(f"</({tag})", r"<\\/\1", text, flags=re.I)


def _own(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


def to_html(view: View) -> str:
    """The page of ``view`` as one HTML string (UTF-8, no external reference)."""
    vis_js, vis_css = _vis_assets()
    page_js = _inline(_own("page.js"), "script")
    slots = {
        "SCRIPT_HASHES": " ".join(_csp_hash(js) for js in (vis_js, page_js)),
        "TITLE": html.escape(view.title, quote=True),
        "VIS_CSS": vis_css,
        "PAGE_CSS": _inline(_own("page.css"), "style"),
        "DATA": safe_json(view.data()),
        "VIS_JS": vis_js,
        "PAGE_JS": page_js,
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], _own("page.html"))


def _csp_hash(script: str) -> str:
    """The CSP source that lets exactly this inline script run."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def write_html(view: View, path: Path | str) -> Path:
    """Write ``view``'s page to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    if path.parent != Path(""):
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_html(view), encoding="utf-8")
    return path
