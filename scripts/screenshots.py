#!/usr/bin/env python3
"""Re-take the screenshots of `kg view` in docs/img/ from the current build, in headless Chromium.

    python scripts/screenshots.py                 # builds the seed graph in a temporary directory
    python scripts/screenshots.py --out /tmp/img  # somewhere else (to compare before copying)

Pages are written by the library exactly as `kg view` writes them, opened in Debian's
/usr/bin/chromium (Playwright, no download) at 1200×760, and shot once they have drawn:
the whole seed graph, the community 红领宁商, the incubation chain, and a synthetic
5,000-entity graph (scripts/synth.py, 12 parks) as its summary and with one park opened.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SEED = {"view-graph": {}, "view-community": {"community": "红领宁商"}, "view-chain": {"chain": "启迪众创空间"}}
SIZE = {"width": 1200, "height": 760}


def big_store(work: Path) -> Path:
    """A store of ~5,000 entities from the synthetic generator (12 parks, 3,900 organizations)."""
    import synth

    from kg.build import build

    docs, _ = synth.generate(12, 3900, seed=5, per_doc=60)
    synth.write_facts(docs, work / "synth")
    build(work / "synth" / "facts", work / "synth" / "store", shacl=False)
    return work / "synth" / "store"


def pages(work: Path, big: bool, store: Path | None) -> dict[str, Path]:
    from kg import views
    from kg.build import build
    from kg.stores.embedded import EmbeddedStore

    build(ROOT / "seeds" / "facts", work / "seed")
    seed = EmbeddedStore(work / "seed")
    out = {}
    for name, kw in SEED.items():
        out[name] = work / f"{name}.html"
        views.write_view(seed, out[name], **kw)
    if big:
        views.write_view(EmbeddedStore(store or big_store(work)), work / "view-summary.html")
        out["view-summary"] = out["view-summary-open"] = work / "view-summary.html"
    return out


def still(page) -> None:
    """Wait until the camera stops moving (a fit animation takes longer on a loaded machine)."""
    camera = "JSON.stringify([kgView.network.getScale(), kgView.network.getViewPosition()])"
    before = None
    for _ in range(100):
        time.sleep(0.3)
        now = page.evaluate(camera)
        if now == before:
            return
        before = now


def shoot(shots: dict[str, Path], out: Path) -> None:
    import chromium
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = chromium.launch(p)
        for name, path in shots.items():
            page = browser.new_page(viewport=SIZE)
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
            if name == "view-summary-open":  # open the largest park's group
                page.evaluate(
                    "kgView.expand(kgView.data.clusters.filter(c => !c.parent).sort((a, b) => b.count - a.count)[0].id)"
                )
            still(page)
            page.screenshot(path=str(out / f"{name}.png"))
            print(f"wrote {out / f'{name}.png'}", flush=True)
            page.close()
        browser.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    ap.add_argument("--no-big", action="store_true", help="skip the 5,000-entity graph (it takes ~40 s to build)")
    ap.add_argument("--synth-store", type=Path, help="a store built earlier by big_store() (saves the build)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-shots-") as tmp:
        shoot(pages(Path(tmp), not args.no_big, args.synth_store), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
