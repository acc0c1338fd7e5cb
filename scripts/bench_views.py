"""Benchmark `kg view` pages on synthetic graphs: build time in Python, time to interactive in Chromium.

    python scripts/bench_views.py                    # 500 and 5,000 nodes
    python scripts/bench_views.py --sizes 500 5000 10000 --keep /tmp/bench

Each graph is a preferential-attachment graph (a few hubs, many small organizations, like
a park) with two edges per new node, random classes, relations and statuses (1 in 8
planned), Chinese names, 简称, English names and evidence quotes, drawn through the
library API (:func:`kg.views.draw` then :func:`kg.views.to_html`) exactly as `kg view`
draws the store's graph. "build" is draw + to_html + write; "interactive" is the time
from navigation until the page has drawn its first frame with every handler wired
(``body[data-ready]``), then a search is typed and its node focused. "key ms" is, per
character of a name typed into the search box, the time from the input event to the next
drawn frame (median and max); "search ms" the debounced search's own run (index look-up,
result list, moving to the best hit: ``kgView.searchStats``).

Chromium: Debian's /usr/bin/chromium, headless, driven by Playwright (no download).
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

TYPES = ["Company"] * 6 + [
    "Mechanism",
    "Program",
    "Project",
    "University",
    "GovernmentBody",
    "Incubator",
    "PolicyDocument",
    "Qualification",
]
PREDICATES = [
    "locatedIn",
    "implements",
    "coBuilds",
    "signedWith",
    "supports",
    "develops",
    "negotiatesWith",
    "org:memberOf",
]
RELATIONS = {
    "locatedIn": ("位于", "located in"),
    "implements": ("实施", "implements"),
    "coBuilds": ("协同建设", "co-builds"),
    "signedWith": ("签约", "signed with"),
    "supports": ("支持", "supports"),
    "develops": ("开发建设", "develops"),
    "negotiatesWith": ("对接", "negotiates with"),
}
_SYLLABLES = "青海西宁生物科技园区金诃藏药大美中药塞奇食品光电创新孵化加速众创高原健康产业研究发展投资集团有限公司"


def synthetic(n: int, seed: int = 1):
    """(graph, entities) shaped like the projection of kg.analytics, ``n`` entities."""
    import networkx as nx

    from kg.model.names import Entity

    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    iri = [f"https://w3id.org/park-kg/id/org/n{i}" for i in range(n)]
    entities = {}
    for i in range(n):
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(4, 14))) + f"{i}号"
        t = "IndustrialPark" if i == 0 else rng.choice(TYPES)
        entities[iri[i]] = Entity(iri[i], f"org/n{i}", name, f"Synthetic organization {i}", (name[:4] + str(i),), (t,))
    g = nx.MultiDiGraph()
    g.add_nodes_from(iri)
    for a, b in base.edges():
        p = rng.choice(PREDICATES)
        status = "planned" if rng.random() < 0.125 else "active"
        if p == "org:memberOf" and status == "planned":
            p = "plannedMemberOf"
        quote = f"{entities[iri[a]].name}与{entities[iri[b]].name}的关系（示例引文）"
        g.add_edge(iri[a], iri[b], key=(p, status), predicate=p, status=status, quote=quote, source="synthetic.txt")
    return g, entities


def build(n: int, out: Path) -> dict[str, float]:
    from kg.views import draw, write_html

    g, entities = synthetic(n)
    t0 = time.perf_counter()
    v = draw(g, entities, relations=RELATIONS, title=f"synthetic {n:,}")
    t1 = time.perf_counter()
    write_html(v, out)
    t2 = time.perf_counter()
    return {
        "nodes": len(v.nodes),
        "edges": len(v.edges),
        "draw_s": t1 - t0,
        "html_s": t2 - t1,
        "build_s": t2 - t0,
        "mb": out.stat().st_size / 1e6,
        "query": entities[next(iter(g))].aliases[0],
    }


_KEYS = """async text => {
  const input = document.getElementById('kg-search'), stats = () => (window.kgView.searchStats || {}).lastMs;
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  input.focus(); input.value = ''; const key = [], search = [];
  for (const ch of text) {
    const t0 = performance.now();
    input.value += ch; input.dispatchEvent(new Event('input', {bubbles: true}));
    await frame(); key.push(performance.now() - t0);
    await new Promise(r => setTimeout(r, 400)); await frame();  // longer than the debounce: every keystroke searches
    if (stats() !== undefined) search.push(stats());
  }
  return {key, search};
}"""


def keystrokes(page, query: str) -> dict[str, float]:
    """Per keystroke: from the input event to the next drawn frame, and the debounced search's own time (ms)."""
    import statistics

    r = page.evaluate(_KEYS, query)
    return {
        "key_ms": statistics.median(r["key"]),
        "key_max_ms": max(r["key"]),
        "search_ms": statistics.median(r["search"]) if r["search"] else float("nan"),
    }


def browse(path: Path, query: str, runs: int) -> dict[str, float]:
    import chromium
    from playwright.sync_api import sync_playwright

    best: dict[str, float] = {}
    with sync_playwright() as p:
        browser = chromium.launch(p)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            t0 = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready]", state="attached", timeout=600_000)
            t1 = time.perf_counter()
            page.fill("#kg-search", query)
            page.wait_for_selector("#kg-panel[data-kind=node]", timeout=60_000)
            t2 = time.perf_counter()
            if errors:
                raise SystemExit(f"console errors: {errors[:3]}")
            run = {
                "interactive_s": t1 - t0,
                "ready_at_ms": page.evaluate("kgView.readyAt"),
                "search_s": t2 - t1,
                **keystrokes(page, query),
            }
            if not best or run["interactive_s"] < best["interactive_s"]:
                best = run
            page.close()
        browser.close()
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    ap.add_argument("--runs", type=int, default=3, help="browser runs per size (best is reported)")
    ap.add_argument("--keep", type=Path, help="directory to keep the pages in")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"{'nodes':>7} {'edges':>7} {'draw s':>7} {'html s':>7} {'build s':>8} {'MB':>6} {'interactive s':>14} "
        f"{'search s':>9} "
        f"{'key ms':>7} {'key max':>8} {'search ms':>10}"
    )
    for n in args.sizes:
        path = out_dir / f"synthetic-{n}.html"
        b = build(n, path)
        nan = float("nan")
        r = (
            dict.fromkeys(("interactive_s", "search_s", "key_ms", "key_max_ms", "search_ms"), nan)
            if args.no_browser
            else browse(path, b["query"], args.runs)
        )
        print(
            f"{b['nodes']:>7,} {b['edges']:>7,} {b['draw_s']:>7.2f} {b['html_s']:>7.2f} {b['build_s']:>8.2f} "
            f"{b['mb']:>6.1f} "
            f"{r['interactive_s']:>14.2f} {r['search_s']:>9.2f} {r['key_ms']:>7.1f} {r['key_max_ms']:>8.1f} "
            f"{r['search_ms']:>10.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
