"""A force-directed layout computed in Python for graphs too large for the browser's physics.

vis-network's own physics needs minutes on a few thousand nodes (DESIGN.md: 100 of 1,000
stabilisation iterations after 35 s on 5,000 nodes), and networkx's `spring_layout` needs
scipy for its sparse path and is O(n²) in memory without it (5,000 nodes: a 400 MB array per
step). This is Fruchterman–Reingold with the repulsion approximated on a grid, vectorised
with numpy: each node is pushed exactly by the nodes of its own cell and by every other
cell's centre of mass, so a step costs O(n · cells + Σ cell²) instead of O(n²). It runs in
about a second for 5,000 nodes and 10,000 edges; the page then draws fixed positions with
physics off, and is interactive as soon as it is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def force_layout(n: int, edges: Sequence[tuple[int, int]], *, iterations: int = 60, seed: int = 1,
                 spacing: float = 60.0) -> list[tuple[float, float]]:
    """Positions (in vis-network pixels) for nodes 0..n-1 linked by `edges`.

    `spacing` is the ideal edge length; the same seed gives the same picture, so that two
    renders of one graph look alike.
    """
    if n == 0:
        return []
    rng = np.random.default_rng(seed)
    k = 1.0
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * np.sqrt(n) * k
    if edges:
        ends = np.asarray(edges, dtype=np.int64)
        src, dst = ends[:, 0], ends[:, 1]
        keep = src != dst
        src, dst = src[keep], dst[keep]
    else:
        src = dst = np.zeros(0, dtype=np.int64)
    cells_per_side = int(min(24, max(4, np.sqrt(n / 8))))
    temperature = np.sqrt(n) * k / 4
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        disp = _repulsion(pos, k, cells_per_side)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.sqrt((delta ** 2).sum(axis=1)) + 1e-9
            pull = delta * (dist / k)[:, None]  # |F| = d²/k along the edge
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(src, weights=pull[:, axis], minlength=n)
                disp[:, axis] += np.bincount(dst, weights=pull[:, axis], minlength=n)
        disp -= pos * (0.02 * k)  # weak gravity keeps separate components in view
        length = np.sqrt((disp ** 2).sum(axis=1)) + 1e-9
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature = max(temperature - cooling, k * 0.05)
    pos -= pos.mean(axis=0)
    pos *= spacing / k
    return [(round(float(x), 1), round(float(y), 1)) for x, y in pos]


def _repulsion(pos: np.ndarray, k: float, side: int) -> np.ndarray:
    """Σ k²/d pushes: exact within a node's grid cell, by centre of mass from the others."""
    n = len(pos)
    low, high = pos.min(axis=0), pos.max(axis=0)
    size = np.maximum(high - low, 1e-9) / side
    cell_xy = np.minimum(((pos - low) / size).astype(np.int64), side - 1)
    cell = cell_xy[:, 0] * side + cell_xy[:, 1]
    count = np.bincount(cell, minlength=side * side).astype(float)
    occupied = np.nonzero(count)[0]
    mass = count[occupied]
    centre = np.stack([np.bincount(cell, weights=pos[:, axis], minlength=side * side)[occupied] / mass
                       for axis in (0, 1)], axis=1)

    # Far field: every other occupied cell as one body at its centre of mass. Written as
    # matrix products (Σ_j s_ij (p_i − c_j) = p_i Σ_j s_ij − S·c) to avoid an n × cells × 2 array.
    x, y = pos[:, 0], pos[:, 1]
    dx = x[:, None] - centre[None, :, 0]
    dy = y[:, None] - centre[None, :, 1]
    strength = (mass * (k * k))[None, :] / (dx * dx + dy * dy + 1e-9)
    strength[np.arange(n), np.searchsorted(occupied, cell)] = 0.0
    total_strength = strength.sum(axis=1)
    disp = pos * total_strength[:, None] - np.stack([strength.dot(centre[:, 0]), strength.dot(centre[:, 1])], axis=1)

    # Near field: exact pairs inside each cell.
    order = np.argsort(cell, kind="stable")
    sorted_cell = cell[order]
    starts = np.searchsorted(sorted_cell, sorted_cell, side="left")
    ends = np.searchsorted(sorted_cell, sorted_cell, side="right")
    sizes = ends - starts
    total = int(sizes.sum())
    if total > n:
        first = np.repeat(order, sizes)
        offsets = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        second = order[np.repeat(starts, sizes) + offsets]
        keep = first != second
        first, second = first[keep], second[keep]
        delta = pos[first] - pos[second]
        dist2 = (delta ** 2).sum(axis=1)
        # Coincident nodes get a random nudge instead of an infinite push.
        tiny = dist2 < 1e-12
        if tiny.any():
            delta[tiny] = np.random.default_rng(n).uniform(-0.01, 0.01, (int(tiny.sum()), 2))
            dist2[tiny] = (delta[tiny] ** 2).sum(axis=1)
        push = delta * ((k * k) / dist2)[:, None]
        for axis in (0, 1):
            disp[:, axis] += np.bincount(first, weights=push[:, axis], minlength=n)
    return disp
