"""Node positions computed in Python, so the browser draws at once instead of simulating.

* up to :data:`SPRING_MAX` nodes: networkx's ``spring_layout`` (Fruchterman–Reingold);
* above: :func:`mesh_layout`, the same force model with the all-pairs repulsion computed on
  a grid with FFTs (a particle-mesh approximation), O(n + E + G² log G) per step — a
  5,000-node graph lays out in well under a second where ``spring_layout`` takes ~45 s;
* :func:`shells` (a focus in the middle, rings around it) and :func:`rows` (chains left
  to right) for the focused views.

Positions are returned in screen pixels (vis-network units), centred on the origin.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from functools import lru_cache

import networkx as nx

__all__ = ["layout", "mesh_layout", "shells", "rows", "SPRING_MAX", "EDGE_PX"]

SPRING_MAX = 400  # nodes; networkx's dense spring layout is quick up to here
EDGE_PX = 150.0  # target length of an edge on screen


def layout(g: nx.Graph, *, center: Hashable | None = None, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Force-directed positions for ``g`` (directions and parallel edges ignored), in pixels.

    ``center`` (optional) is pinned at the origin, for ego networks.
    """
    simple = nx.Graph(g)
    n = simple.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(simple)): (0.0, 0.0)}
    if n <= SPRING_MAX:
        if center is not None and center in simple:
            pos = nx.spring_layout(simple, pos={center: (0.0, 0.0)}, fixed=[center], seed=seed, iterations=100)
        else:
            pos = nx.spring_layout(simple, seed=seed, iterations=100)
    else:
        pos = mesh_layout(simple, seed=seed)
    return _to_pixels(pos, center)


def _to_pixels(pos: dict, center: Hashable | None) -> dict[Hashable, tuple[float, float]]:
    """Scale unit-box positions so that the median edge is about :data:`EDGE_PX` long."""
    import numpy as np

    nodes = list(pos)
    xy = np.array([pos[v] for v in nodes], dtype=float)
    origin = xy[nodes.index(center)] if center is not None and center in pos else xy.mean(axis=0)
    xy -= origin
    spread = float(np.abs(xy).max()) or 1.0
    scale = EDGE_PX * math.sqrt(len(nodes)) * 0.9 / spread
    return {v: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for v, (x, y) in zip(nodes, xy)}


@lru_cache(maxsize=8)
def _kernel_fft(grid: int):
    """FFT of the repulsion kernel d/|d|² (as one complex field x + iy) on a 2G×2G torus."""
    import numpy as np

    m = 2 * grid
    i = np.fft.fftfreq(m, 1.0 / m)  # 0, 1, …, G-1, -G, …, -1
    dx, dy = np.meshgrid(i, i, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = 1.0
    k = (dx + 1j * dy) / r2
    k[0, 0] = 0
    return np.fft.fft2(k)


def mesh_layout(g: nx.Graph, *, grid: int = 128, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Multilevel Fruchterman–Reingold positions with grid (particle-mesh) repulsion, in a unit box.

    The graph is coarsened by merging each node with its unmerged neighbours (a hub and its
    leaves become one node) until ~100 nodes remain; the coarsest graph is laid out from
    random positions, then each finer level starts from its parent's position and is
    refined by a few force steps (:func:`_refine`).

    >>> pos = mesh_layout(nx.path_graph(600))
    >>> len(pos), all(len(p) == 2 for p in pos.values())
    (600, True)
    """
    import numpy as np

    nodes = list(g)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    uv = np.array([(index[a], index[b]) for a, b in g.edges() if a != b], dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    levels = [(n, uv)]  # (node count, edges) from fine to coarse
    parents = []  # parents[i]: coarse id of each node of level i
    while levels[-1][0] > 100:
        size, edges = levels[-1]
        group = _coarsen(size, edges, rng)
        count = int(group.max()) + 1
        if count > 0.9 * size:
            break
        cu, cv = group[edges[:, 0]], group[edges[:, 1]]
        keep = cu != cv
        pairs = np.unique(np.sort(np.stack([cu[keep], cv[keep]], axis=1), axis=1), axis=0)
        parents.append(group)
        levels.append((count, pairs))
    size, edges = levels[-1]
    pos = _refine(rng.random((size, 2)), edges, _grid_for(size, grid), iterations=300, t0=0.1)
    for depth in range(len(levels) - 2, -1, -1):
        size, edges = levels[depth]
        k = 1.0 / math.sqrt(size)
        pos = pos[parents[depth]] + rng.normal(0.0, 0.3 * k, (size, 2))
        pos = _refine(pos, edges, _grid_for(size, grid), iterations=40, t0=2 * k)
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, pos)}


def _coarsen(n: int, edges, rng):
    """A coarse id per node: visiting nodes in random order, each unmerged node takes its unmerged neighbours."""
    import numpy as np

    nbrs: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges.tolist():
        nbrs[a].append(b)
        nbrs[b].append(a)
    group = np.full(n, -1, dtype=np.int64)
    gid = 0
    for i in rng.permutation(n).tolist():
        if group[i] >= 0:
            continue
        group[i] = gid
        for j in nbrs[i]:
            if group[j] < 0:
                group[j] = gid
        gid += 1
    return group


def _grid_for(n: int, largest: int) -> int:
    """Mesh size for ``n`` nodes: about two cells per node along each side, a power of two, 16 to ``largest``."""
    return max(16, min(largest, 2 ** math.ceil(math.log2(2 * math.sqrt(n)))))


def _refine(pos, edges, grid: int, *, iterations: int, t0: float):
    """Force steps: mesh repulsion k²/d, edge attraction d²/k, a weak pull to the centre; linear cooling."""
    import numpy as np

    n = len(pos)
    u, v = edges[:, 0], edges[:, 1]
    k = 1.0 / math.sqrt(n)
    kern = _kernel_fft(grid)
    m = 2 * grid
    t, dt = t0, t0 / (iterations + 1)
    gravity = 0.3 * k
    for _ in range(iterations):
        lo = pos.min(axis=0)
        h = float((pos.max(axis=0) - lo).max()) / (grid - 1) or 1.0
        cell = np.minimum(((pos - lo) / h).astype(np.int64), grid - 1)
        flat = cell[:, 0] * m + cell[:, 1]
        rho = np.bincount(flat, minlength=m * m).reshape(m, m).astype(float)
        field = np.fft.ifft2(np.fft.fft2(rho) * kern).ravel()[flat] / h
        disp = (k * k) * np.stack([field.real, field.imag], axis=1)
        delta = pos[v] - pos[u]
        dist = np.sqrt((delta * delta).sum(axis=1, keepdims=True))
        pull = delta * dist / k
        for axis in (0, 1):
            disp[:, axis] += np.bincount(u, pull[:, axis], minlength=n) - np.bincount(v, pull[:, axis], minlength=n)
        disp -= gravity * (pos - pos.mean(axis=0)) / k
        length = np.sqrt((disp * disp).sum(axis=1, keepdims=True))
        pos = pos + disp / np.maximum(length, 1e-9) * np.minimum(length, t)
        t -= dt
    return pos


def shells(rings: Sequence[Sequence[Hashable]], gap: float = 1.6 * EDGE_PX) -> dict[Hashable, tuple[float, float]]:
    """Concentric rings: ``rings[0]`` at the centre, each next ring ``gap`` further out.

    A ring gets wider when it holds many nodes, so labels keep ~110 px apart.
    """
    pos: dict[Hashable, tuple[float, float]] = {}
    radius, turn = 0.0, -math.pi / 2
    for depth, ring in enumerate(r for r in rings if r):
        if depth == 0 and len(ring) == 1:
            pos[ring[0]] = (0.0, 0.0)
            continue
        radius = max(radius + gap, len(ring) * 110.0 / (2 * math.pi))
        step = 2 * math.pi / len(ring)
        for i, node in enumerate(ring):
            a = turn + step * i
            pos[node] = (round(radius * math.cos(a), 1), round(radius * math.sin(a), 1))
        turn += step / 2  # the next ring starts between two nodes of this one
    return pos


def rows(lines: Sequence[Sequence[Hashable]], step: float = 1.5 * EDGE_PX) -> dict[Hashable, tuple[float, float]]:
    """Each sequence on its own row, left to right (chains)."""
    return {
        node: (round(i * step, 1), round(r * step, 1)) for r, line in enumerate(lines) for i, node in enumerate(line)
    }
