"""Vector bin packing: the fewest identical hosts that hold every system, and which goes where.

Items are vectors (vCPU, memory GB, optionally storage TB ...), an ``n x d`` array; every host
has the same capacity vector of length ``d``; an item fits a host only if it fits in every
dimension (no geometry). 1-D packing is ``d = 1``.

:func:`pack` works in stages, all inside one time limit:

1. **Lower bounds** (:func:`lower_bound`): per dimension the volume bound
   ``ceil(sum / capacity)`` and Martello & Toth's (1990) L2; and a *conflict* bound: a set
   ``B`` of pairwise incompatible items (two items that together exceed the capacity in some
   dimension) needs ``|B|`` hosts, and the other items need
   ``ceil((their load - the room B leaves) / capacity)`` more, per dimension. In 1-D the
   conflict bound with the items above ``c/2`` is L2 at ``K = 0``.
2. **Constructive heuristics**: first-fit and best-fit decreasing, each by several size
   measures of the capacity-normalised vectors (largest dimension, sum, sum weighted by each
   dimension's total demand, Euclidean norm); the best packing is kept.
3. **Local search** for ``k = bins - 1`` hosts, after Buljubašić & Vasquez's consistent
   neighbourhood search (2016): ``k - 1`` hosts are kept and the other items wait in a pool;
   a move swaps up to two items of a host with one or two pooled items, keeping the host
   within capacity, and the best move (most normalised volume into the hosts, the dimensions
   in which the pool overflows weighted up) is taken, improving or not; items that entered a
   host lately may not leave it (tabu). A pool that fits one host is a packing into ``k``.
   Restarts drop other hosts.
4. **Arc-flow model** for 1-D integer instances (Valério de Carvalho 1999; nodes are the
   loads a host can reach, at most :data:`ARCFLOW_MAX_ARCS` arcs), solved by HiGHS; its
   LP bound is nearly always the optimum. Otherwise the **cover model**, when the items
   have few maximal host patterns (sets that fit one host
   and take no further item; enumerated level by level, at most
   :data:`COVER_MAX_COLUMNS`): its LP relaxation (HiGHS through ``highspy``) gives the bound
   ``ceil(LP)``, usually the optimum, and a packing by rounding (columns by decreasing LP
   value while disjoint, the rest by the heuristics); then the set-cover MILP, with the best
   packing as incumbent. Patterns are few when a host holds few items (large systems).
5. **Assignment model** for the remaining gap: exactly ``k`` hosts, the items of the
   conflict set fixed to hosts ``0 .. |B|-1`` and item ``i`` (by decreasing size among the
   others) in a host below ``|B| + i + 1`` (symmetry breaking), the search's best partial
   packing as hint. OR-Tools CP-SAT when installed (``pip install ortools``): a short probe,
   more local search, then a large-neighbourhood search (a few hosts and the pool repacked
   by CP-SAT, minimising the pool's overflow) and the full model with the rest of the time.
   Without OR-Tools, or with ``solver`` given, a MILP through
   :func:`netplan._solver.make_solver` (HiGHS). A proof that ``k`` hosts cannot hold the
   items raises the lower bound to ``k + 1``.

The packing returned is always checked by :func:`check_packing` before it is returned.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netplan.errors import InfeasiblePlanError, Issue, ScenarioError, SolverFailedError

__all__ = [
    "Packing",
    "PackingViolation",
    "pack",
    "check_packing",
    "lower_bound",
    "l2_bound",
    "heuristic_packing",
]

#: Items above which the exact model is not tried (its size grows as items x hosts).
EXACT_MAX_ITEMS = 1000

#: The assignment model (CP-SAT or MILP) is built only up to this many item-host pairs
#: (building a larger one in Python takes seconds before the solver starts).
ASSIGNMENT_MAX_VARIABLES = 100_000

#: Local-search iterations per item before a restart from other dropped hosts.
LS_CHUNK = 20

#: The cover model is built only when the items have at most this many feasible host
#: patterns (every subset that fits) and this many maximal ones (its columns).
COVER_MAX_FEASIBLE_SETS = 200_000
COVER_MAX_COLUMNS = 40_000

#: The 1-D arc-flow model is built only up to this many arcs.
ARCFLOW_MAX_ARCS = 60_000


class PackingViolation(ValueError):
    """A packing breaks its instance: an item unplaced or a host over capacity."""


@dataclass(frozen=True)
class Packing:
    """A packing of items into identical hosts (bins).

    Parameters
    ----------
    bin_of : numpy.ndarray
        For every item the index of its host, ``0 .. n_bins - 1``.
    n_bins : int
        Number of hosts used.
    lower_bound : int
        A proven lower bound on the number of hosts of any packing.
    status : {"optimal", "feasible"}
        ``"optimal"`` when ``n_bins == lower_bound`` (proven), else ``"feasible"``.
    method : str
        What found the packing: a constructive rule (``"ffd-max"``, ``"bfd-weighted"`` ...),
        ``"local-search"``, ``"cover-lp"`` (rounded cover LP), ``"cover-highs"``,
        ``"arcflow-highs"``, ``"lns-cpsat"``, ``"cpsat"`` or ``"milp-<solver>"``.
    seconds : float
        Wall time of :func:`pack`, in seconds.
    sizes, capacity : numpy.ndarray
        The instance, for :meth:`to_frame`.
    names : tuple of str, optional
        Item names for :meth:`to_frame` (default ``item0`` ...).
    log : tuple of str
        What each stage did, for the curious.
    """

    bin_of: np.ndarray
    n_bins: int
    lower_bound: int
    status: str
    method: str
    seconds: float
    sizes: np.ndarray = field(repr=False)
    capacity: np.ndarray = field(repr=False)
    names: tuple[str, ...] | None = field(default=None, repr=False)
    log: tuple[str, ...] = field(default=(), repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per host: its items, load per dimension and utilisation in %.

        Returns
        -------
        pandas.DataFrame
            Index ``bin``; columns ``items`` (comma-separated names), ``n_items``,
            ``load_<k>`` and ``util_<k>_pct`` for every dimension ``k``.

        Examples
        --------
        >>> p = pack([[6], [4], [5]], [10])
        >>> p.to_frame()[["items", "load_0", "util_0_pct"]]
                   items  load_0  util_0_pct
        bin
        0    item0,item1      10       100.0
        1          item2       5        50.0
        """
        names = self.names or tuple(f"item{i}" for i in range(len(self.bin_of)))
        d = self.sizes.shape[1]
        rows = []
        for b in range(self.n_bins):
            members = np.flatnonzero(self.bin_of == b)
            load = self.sizes[members].sum(axis=0)
            row = {"bin": b, "items": ",".join(names[i] for i in members),
                   "n_items": len(members)}
            for k in range(d):
                row[f"load_{k}"] = load[k]
            for k in range(d):
                row[f"util_{k}_pct"] = round(100.0 * float(load[k]) / float(self.capacity[k]),
                                             2)
            rows.append(row)
        return pd.DataFrame(rows).set_index("bin")

    def __str__(self) -> str:
        return (f"Packing: {len(self.bin_of)} items in {self.n_bins} hosts "
                f"(lower bound {self.lower_bound}, {self.status}, {self.method}, "
                f"{self.seconds:.2f} s)")


# --------------------------------------------------------------------------- input

def _arrays(sizes, capacity, names=None) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert to ``(n x d, d)`` arrays (int64 when integral, else float)."""
    s = np.asarray(sizes)
    c = np.asarray(capacity)
    issues = []
    if s.ndim == 1:
        s = s.reshape(-1, 1)
    if c.ndim == 0:
        c = c.reshape(1)
    if s.ndim != 2 or c.ndim != 1:
        raise ScenarioError([Issue("sizes", f"sizes of shape {np.shape(sizes)} and capacity of "
                                            f"shape {np.shape(capacity)}",
                                   "sizes must be n x d and capacity length d")])
    if s.shape[1] != c.shape[0] and s.shape[0] > 0:
        issues.append(Issue("capacity", f"{c.shape[0]} capacities for {s.shape[1]} dimensions"))
    if not (np.issubdtype(s.dtype, np.number) and np.issubdtype(c.dtype, np.number)):
        issues.append(Issue("sizes", "sizes and capacity must be numbers"))
    if issues:
        raise ScenarioError(issues)
    if s.shape[0] == 0:
        s = s.reshape(0, c.shape[0])
    bad = np.argwhere(s < 0)
    if len(bad):
        i, k = bad[0]
        issues.append(Issue(f"sizes[{i}, {k}]", f"negative size {s[i, k]}"))
    if np.any(c <= 0):
        issues.append(Issue("capacity", f"capacity {c.tolist()} must be positive"))
    if not (np.all(np.isfinite(s)) and np.all(np.isfinite(c))):
        issues.append(Issue("sizes", "sizes and capacity must be finite"))
    if issues:
        raise ScenarioError(issues)
    integral = np.all(s == np.round(s)) and np.all(c == np.round(c))
    if integral:
        s, c = np.round(s).astype(np.int64), np.round(c).astype(np.int64)
    else:
        s, c = s.astype(float), c.astype(float)
    over = np.argwhere(s > c)
    if len(over):
        i, k = over[0]
        what = f"item {i}" if names is None or len(names) != len(s) else \
            f"item {i} ({names[i]})"
        raise InfeasiblePlanError(
            f"{what} needs {s[i, k]} in dimension {k} but a host has only {c[k]} "
            f"({len(np.unique(over[:, 0]))} items are larger than a host)",
            hint="no packing exists: use a larger host, or split the item over several")
    return s, c


# --------------------------------------------------------------------------- checker

def check_packing(sizes, capacity, packing) -> None:
    """Raise :class:`PackingViolation` unless ``packing`` is a valid packing of the items.

    Independent of :func:`pack`: every item must be in exactly one host ``0 .. n_bins - 1``,
    no host may exceed the capacity in any dimension, and no host may be empty.

    Parameters
    ----------
    sizes : array_like
        Item sizes, shape (n, d) (or (n,) for 1-D).
    capacity : array_like
        Host capacity, length d.
    packing : Packing or array_like
        A :class:`Packing`, or the host index of every item (then ``n_bins`` is the number of
        distinct hosts).

    Raises
    ------
    PackingViolation
        Naming the first item or host at fault.

    Examples
    --------
    >>> check_packing([[6], [5]], [10], [0, 0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netplan.capacity.binpack.PackingViolation: host 0 holds 11 in dimension 0, ...
    """
    s = np.asarray(sizes)
    if s.ndim == 1:
        s = s.reshape(-1, 1)
    c = np.atleast_1d(np.asarray(capacity))
    if isinstance(packing, Packing):
        bin_of, n_bins = np.asarray(packing.bin_of), packing.n_bins
    else:
        bin_of = np.asarray(packing)
        n_bins = len(np.unique(bin_of)) if len(bin_of) else 0
    if bin_of.shape != (s.shape[0],):
        raise PackingViolation(f"{bin_of.shape} host indices for {s.shape[0]} items")
    for i, b in enumerate(bin_of.tolist()):
        if not (isinstance(b, (int, np.integer)) and 0 <= b < n_bins):
            raise PackingViolation(f"item {i} is in host {b!r}, not one of 0..{n_bins - 1}")
    used = np.zeros(n_bins, dtype=bool)
    used[bin_of.astype(np.int64)] = True
    if not used.all():
        empty = np.flatnonzero(~used).tolist()
        raise PackingViolation(f"hosts {empty[:5]} are empty but counted in n_bins={n_bins}")
    loads = np.zeros((n_bins, s.shape[1]), dtype=np.result_type(s.dtype, np.int64))
    np.add.at(loads, bin_of.astype(np.int64), s)
    over = np.argwhere(loads > c[None, :] * (1 + 1e-12))
    if len(over):
        b, k = (int(x) for x in over[0])
        members = np.flatnonzero(bin_of == b).tolist()
        raise PackingViolation(f"host {b} holds {loads[b, k]} in dimension {k}, capacity "
                               f"{c[k]} (items {members})")


# --------------------------------------------------------------------------- bounds

def l2_bound(sizes, capacity) -> int:
    """Martello & Toth's L2 lower bound on the number of bins of a 1-D instance.

    For every ``K`` in ``[0, c/2]``: the items above ``c - K`` and those in ``(c/2, c - K]``
    need one bin each, and the items in ``[K, c/2]`` fill what the second group leaves, then
    whole bins.

    Parameters
    ----------
    sizes : array_like
        Item sizes (1-D).
    capacity : float
        Bin capacity.

    Returns
    -------
    int
        The bound (at least the volume bound).

    Examples
    --------
    Three items of 6 do not pair (capacity 10): 3 bins, though the volume is 1.8 bins.

    >>> l2_bound([6, 6, 6], 10)
    3
    >>> l2_bound([6, 6, 6, 3, 3, 3, 2, 2], 10)  # the 3s fill the 6s' bins, the 2s need one more
    4
    """
    w = np.sort(np.asarray(sizes, dtype=float).ravel())
    c = float(capacity)
    if len(w) == 0:
        return 0
    prefix = np.concatenate([[0.0], np.cumsum(w)])
    n = len(w)
    best = _ceil(prefix[-1] / c)
    half = c / 2
    ks = np.unique(np.concatenate([[0.0], w[w <= half]]))
    for k in ks:
        # J1: w > c - k; J2: c/2 < w <= c - k; J3: k <= w <= c/2
        i_j1 = np.searchsorted(w, c - k, side="right")
        i_half = np.searchsorted(w, half, side="right")
        i_k = np.searchsorted(w, k, side="left")
        n_j1 = n - i_j1
        n_j2 = i_j1 - i_half
        sum_j2 = prefix[i_j1] - prefix[i_half]
        sum_j3 = prefix[i_half] - prefix[i_k]
        extra = max(0, _ceil((sum_j3 - (n_j2 * c - sum_j2)) / c))
        best = max(best, n_j1 + n_j2 + extra)
    return int(best)


def _ceil(x: float) -> int:
    return int(math.ceil(x - 1e-9))


def _conflicts(s: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``n x n`` boolean: items ``i`` and ``j`` cannot share a host."""
    over = np.zeros((len(s), len(s)), dtype=bool)
    for k in range(s.shape[1]):
        over |= (s[:, k][:, None] + s[:, k][None, :]) > c[k]
    np.fill_diagonal(over, False)
    return over


def _greedy_clique(conflict: np.ndarray, order: np.ndarray) -> list[int]:
    clique: list[int] = []
    ok = np.ones(len(order), dtype=bool)
    for i in order:
        if ok[i]:
            clique.append(int(i))
            ok &= conflict[i]
    return clique


def _clique_bound(s: np.ndarray, c: np.ndarray, clique: list[int]) -> int:
    if not clique:
        return 0
    rest = np.ones(len(s), dtype=bool)
    rest[clique] = False
    room = (c[None, :] - s[clique]).sum(axis=0)
    need = s[rest].sum(axis=0) - room
    return len(clique) + max(0, max(_ceil(x / ck) for x, ck in zip(need, c, strict=True)))


def _bounds(s: np.ndarray, c: np.ndarray, conflict: np.ndarray | None):
    """The best bound, its name, and the largest conflict clique found."""
    n, d = s.shape
    if n == 0:
        return 0, "empty", []
    best, how = 0, "volume"
    for k in range(d):
        v = _ceil(s[:, k].sum() / c[k])
        if v > best:
            best, how = v, f"volume[{k}]"
        v = l2_bound(s[:, k], c[k])
        if v > best:
            best, how = v, f"L2[{k}]"
    cliques = []
    if conflict is not None:
        a = s / c
        measures = [a.max(axis=1), a.sum(axis=1), conflict.sum(axis=1) + a.max(axis=1)]
        measures += [a[:, k] for k in range(d)] if d > 1 else []
        for m in measures:
            cliques.append(_greedy_clique(conflict, np.argsort(-m, kind="stable")))
        for cl in cliques:
            v = _clique_bound(s, c, cl)
            if v > best:
                best, how = v, "conflict"
    big = max(cliques, key=len) if cliques else []
    return best, how, big


def lower_bound(sizes, capacity) -> int:
    """A lower bound on the number of hosts: volume, L2 per dimension and the conflict bound.

    Parameters
    ----------
    sizes : array_like
        Item sizes, shape (n, d) or (n,).
    capacity : array_like
        Host capacity, length d.

    Returns
    -------
    int
        The best of the bounds.

    Examples
    --------
    Each dimension alone packs into two hosts, but no two items fit together:

    >>> lower_bound([[6, 1], [5, 6], [5, 5]], [10, 10])
    3
    """
    s, c = _arrays(sizes, capacity)
    conflict = _conflicts(s, c) if len(s) <= 5000 else None
    return _bounds(s, c, conflict)[0]


# --------------------------------------------------------------------------- heuristics

def _measures(s: np.ndarray, c: np.ndarray) -> dict[str, np.ndarray]:
    a = s / c
    total = a.sum(axis=0)
    weights = total / total.sum() if total.sum() > 0 else np.full(len(c), 1.0 / len(c))
    out = {"max": a.max(axis=1), "sum": a.sum(axis=1), "weighted": a @ weights}
    if s.shape[1] > 1:
        out["l2norm"] = np.sqrt((a * a).sum(axis=1))
    return out


def _fit_decreasing(s: np.ndarray, c: np.ndarray, order: np.ndarray, best_fit: bool,
                    weights: np.ndarray) -> list[int]:
    """First-fit (or best-fit) in ``order``; returns the host of every item."""
    n, d = s.shape
    bin_of = [-1] * n
    loads = np.zeros((max(n, 1), d), dtype=s.dtype)
    n_bins = 0
    for i in order:
        if n_bins:
            room = c[None, :] - loads[:n_bins] - s[i][None, :]
            fits = np.all(room >= 0, axis=1)
            idx = np.flatnonzero(fits)
        else:
            idx = np.empty(0, dtype=int)
        if len(idx) == 0:
            b = n_bins
            n_bins += 1
        elif best_fit:
            slack = (room[idx] / c[None, :]) @ weights
            b = int(idx[int(np.argmin(slack))])
        else:
            b = int(idx[0])
        loads[b] += s[i]
        bin_of[i] = b
    return bin_of


def heuristic_packing(sizes, capacity) -> tuple[np.ndarray, str]:
    """The best first-fit / best-fit decreasing packing over several size measures.

    Parameters
    ----------
    sizes : array_like
        Item sizes, shape (n, d) or (n,).
    capacity : array_like
        Host capacity, length d.

    Returns
    -------
    bin_of : numpy.ndarray
        The host of every item.
    method : str
        Which rule found it, e.g. ``"bfd-weighted"``.

    Examples
    --------
    >>> bin_of, method = heuristic_packing([[6], [4], [5], [5]], [10])
    >>> int(bin_of.max()) + 1, method
    (2, 'ffd-max')
    """
    s, c = _arrays(sizes, capacity)
    return _heuristics(s, c)


def _heuristics(s: np.ndarray, c: np.ndarray,
                deadline: float | None = None) -> tuple[np.ndarray, str]:
    a = s / c
    total = a.sum(axis=0)
    weights = total / total.sum() if total.sum() > 0 else np.full(len(c), 1.0 / len(c))
    best, best_name = None, ""
    for name, m in _measures(s, c).items():
        order = np.argsort(-m, kind="stable")
        for rule in ("ffd", "bfd"):
            bin_of = _fit_decreasing(s, c, order, rule == "bfd", weights)
            if best is None or max(bin_of) < max(best):
                best, best_name = bin_of, f"{rule}-{name}"
            if deadline is not None and time.perf_counter() > deadline:
                break
        if deadline is not None and time.perf_counter() > deadline:
            break
    return np.array(best if best is not None else [], dtype=np.int64), best_name


# --------------------------------------------------------------------------- local search

class _SwapSearch:
    """Tabu search of swaps between a pool and ``k - 1`` hosts (see the module doc).

    A move exchanges up to two items of one host with one or two pooled items, keeping the
    host within capacity; the best move (most normalised volume into the hosts) is taken,
    improving or not, except that items that entered a host lately may not leave it.
    Success is a pool that fits one host.
    """

    def __init__(self, s: np.ndarray, c: np.ndarray, weights: np.ndarray, rng):
        self.s = s
        self.c = c
        a = (s / c) @ weights
        self.value = a + 0.1 * a * a  # volume, and bigger items into the hosts on ties
        self.a_norm = s / c
        self.rng = rng

    def run(self, bin_of: np.ndarray, k: int, deadline: float, max_iter: int,
            restart: int = 0):
        """Try to pack into ``k`` hosts starting from ``bin_of``.

        Returns the packing (or None) and the best partial assignment (pooled items -1)
        as a hint for the exact model. ``restart > 0`` drops randomly chosen hosts (the
        emptier the likelier) instead of the emptiest.
        """
        s, c, value, rng = self.s, self.c, self.value, self.rng
        a_norm = self.a_norm
        n, d = s.shape
        n_bins = int(bin_of.max()) + 1
        fill = np.zeros(n_bins)
        np.add.at(fill, bin_of, value)
        if restart:  # later runs drop other hosts than the emptiest ones
            fill *= 1 + 0.5 * rng.random(n_bins)
        keep = np.argsort(-fill, kind="stable")[:max(k - 1, 0)]
        m = len(keep)
        relabel = np.full(n_bins, -1, dtype=np.int64)
        relabel[keep] = np.arange(m)
        where = relabel[bin_of]
        if m == 0:
            return None, where
        loads = np.zeros((m, d), dtype=s.dtype)
        np.add.at(loads, where[where >= 0], s[where >= 0])
        tabu = np.zeros(n, dtype=np.int64)
        s0 = np.vstack([s, np.zeros((1, d), dtype=s.dtype)])
        v0 = np.append(value, 0.0)
        best_val, best_where = value[where < 0].sum(), where.copy()
        it = 0
        while True:
            pool = np.flatnonzero(where < 0)
            if np.all(s[pool].sum(axis=0) <= c):
                out = where.copy()
                out[out < 0] = m
                return out, where
            it += 1
            if it > max_iter or (it & 15) == 0 and time.perf_counter() > deadline:
                return None, best_where
            if d > 1:  # value the dimensions in which the pool overflows a host
                over = np.maximum(s[pool].sum(axis=0) / c - 1.0, 0.0)
                wt = 0.1 / d + over / over.sum()
                av = a_norm @ wt
                v0[:n] = av + 0.1 * av * av
            # pooled subsets q (one or two items); index n is a zero-size dummy
            iu, ju = np.triu_indices(len(pool), 1)
            q1 = np.concatenate([pool, pool[iu]])
            q2 = np.concatenate([np.full(len(pool), n), pool[ju]])
            q_sum = s0[q1] + s0[q2]
            q_val = v0[q1] + v0[q2]
            # host subsets p (nothing, one or two items not tabu)
            placed = np.flatnonzero((where >= 0) & (tabu <= it))
            placed = placed[np.argsort(where[placed], kind="stable")]
            pb = where[placed]
            starts = np.searchsorted(pb, np.arange(m + 1))
            p1, p2 = [np.full(m, n)], [np.full(m, n)]
            p_bin = [np.arange(m)]
            p1.append(placed)
            p2.append(np.full(len(placed), n))
            p_bin.append(pb)
            for bb in range(m):
                mem = placed[starts[bb]:starts[bb + 1]]
                if len(mem) > 1:
                    x, y = np.triu_indices(len(mem), 1)
                    p1.append(mem[x])
                    p2.append(mem[y])
                    p_bin.append(np.full(len(x), bb))
            p1, p2, p_bin = np.concatenate(p1), np.concatenate(p2), np.concatenate(p_bin)
            p_sum = s0[p1] + s0[p2]
            p_val = v0[p1] + v0[p2]
            room = (c[None, :] - loads[p_bin] + p_sum)  # (P, d)
            ok = np.all(q_sum[None, :, :] <= room[:, None, :], axis=2)  # (P, Q)
            if not ok.any():
                # nothing fits anywhere: push a random host's item out to the pool
                b = int(rng.integers(m))
                mem = np.flatnonzero(where == b)
                if len(mem):
                    j = int(rng.choice(mem))
                    where[j] = -1
                    loads[b] -= s[j]
                continue
            gain = q_val[None, :] - p_val[:, None]
            gain = np.where(ok, gain + 1e-6 * rng.random(gain.shape), -np.inf)
            # a swap that hands back exactly what it takes is no move
            gain[np.abs(gain) < 1e-9] = -np.inf
            flat = int(np.argmax(gain))
            if not np.isfinite(gain.flat[flat]):
                flat = int(np.argmax(np.where(ok, 0.0, -np.inf)))
            pi, qi = divmod(flat, len(q1))
            b = int(p_bin[pi])
            for j in (int(p1[pi]), int(p2[pi])):
                if j < n:
                    where[j] = -1
                    loads[b] -= s[j]
            for i in (int(q1[qi]), int(q2[qi])):
                if i < n:
                    where[i] = b
                    loads[b] += s[i]
                    tabu[i] = it + 3 + int(rng.integers(5))
            v = value[where < 0].sum()
            if v < best_val:
                best_val, best_where = v, where.copy()


# --------------------------------------------------------------------------- exact models

def _relabel(bin_of: np.ndarray, clique: list[int], free_order: list[int], k: int):
    """Relabel hosts for the symmetry-broken model.

    Clique item ``j`` goes to host ``j``, the other hosts are numbered by their first free
    item in ``free_order``; items of hosts beyond ``k - 1`` get -1.
    """
    mapping: dict[int, int] = {}
    for j, i in enumerate(clique):
        if bin_of[i] >= 0:
            mapping.setdefault(int(bin_of[i]), j)
    nxt = len(clique)
    for i in free_order:
        b = int(bin_of[i])
        if b >= 0 and b not in mapping:
            mapping[b] = nxt
            nxt += 1
    out = np.array([mapping.get(int(b), -1) if b >= 0 else -1 for b in bin_of], dtype=np.int64)
    out[out >= k] = -1
    return out


def _allowed(n: int, k: int, clique: list[int], free_order: list[int],
             conflict: np.ndarray | None) -> list[list[int]]:
    """The hosts each item may take in the symmetry-broken ``k``-host model."""
    allowed: list[list[int]] = [[] for _ in range(n)]
    m = len(clique)
    for j, i in enumerate(clique):
        allowed[i] = [j]
    for r, i in enumerate(free_order):
        hosts = range(min(k, m + r + 1))
        if conflict is not None:
            hosts = [b for b in hosts if b >= m or not conflict[i, clique[b]]]
        allowed[i] = list(hosts)
    return allowed


def _cpsat(s, c, k, allowed, hint, deadline, threads, seed):
    """CP-SAT feasibility model for ``k`` hosts.

    Returns ``("feasible", bin_of)``, ``("infeasible", None)`` or ``("unknown", None)``;
    None when ortools is not installed.
    """
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    n, d = s.shape
    model = cp_model.CpModel()
    x = {}
    for i in range(n):
        for b in allowed[i]:
            x[i, b] = model.new_bool_var(f"x{i}_{b}")
        model.add_exactly_one(x[i, b] for b in allowed[i])
    by_bin: list[list[int]] = [[] for _ in range(k)]
    for i, b in x:
        by_bin[b].append(i)
    for b in range(k):
        for t in range(d):
            items = by_bin[b]
            if int(s[items, t].sum()) > int(c[t]):
                model.add(sum(int(s[i, t]) * x[i, b] for i in items) <= int(c[t]))
    for i in range(n):
        if hint[i] >= 0:
            for b in allowed[i]:
                model.add_hint(x[i, b], b == hint[i])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    solver.parameters.num_workers = threads
    solver.parameters.random_seed = seed
    st = solver.solve(model)
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out = np.full(n, -1, dtype=np.int64)
        for (i, b), v in x.items():
            if solver.boolean_value(v):
                out[i] = b
        return "feasible", out
    if st == cp_model.INFEASIBLE:
        return "infeasible", None
    if st == cp_model.UNKNOWN:
        return "unknown", None
    raise RuntimeError(f"CP-SAT returned {solver.status_name(st)} on the packing model")


_HIGHS_PIP = "pip install 'pulp[highs]>=3.3,<4'"


def _highspy_importable() -> bool:
    try:
        import highspy  # noqa: F401
    except ImportError:
        return False
    return True


def _milp(s, c, k, allowed, deadline, threads, solver):
    """Assignment MILP for ``k`` hosts through PuLP (HiGHS by default).

    Same results as :func:`_cpsat`; with HiGHS its own model status and primal solution
    status are read (PuLP says "Optimal" after a time-limit stop).
    """
    import pulp

    from netplan._solver import make_solver, run_solver

    n, d = s.shape
    lp = pulp.LpProblem("binpack", pulp.LpMinimize)
    x = {(i, b): lp.add_variable(f"x{i}_{b}", cat="Binary") for i in range(n)
         for b in allowed[i]}
    lp += pulp.lpSum([])
    for i in range(n):
        lp += pulp.lpSum(x[i, b] for b in allowed[i]) == 1, f"one_{i}"
    by_bin: list[list[int]] = [[] for _ in range(k)]
    for i, b in x:
        by_bin[b].append(i)
    for b in range(k):
        for t in range(d):
            items = by_bin[b]
            if s[items, t].sum() > c[t]:
                lp += (pulp.lpSum(float(s[i, t]) * x[i, b] for i in items) <= float(c[t]),
                       f"cap_{b}_{t}")
    made = make_solver(solver, time_limit_s=max(0.05, deadline - time.perf_counter()),
                       threads=threads)
    report = run_solver(lp, made, what=f"packing MILP with {k} hosts")
    if report.outcome == "infeasible":
        return "infeasible", None
    if not report.feasible:
        return "unknown", None
    out = np.full(n, -1, dtype=np.int64)
    for (i, b), v in x.items():
        if v.varValue is not None and v.varValue > 0.5:
            out[i] = b
    return ("feasible", out) if np.all(out >= 0) else ("unknown", None)


def _lns(s, c, where, k, deadline, threads, seed, rng, bins_per_step=8):
    """Large-neighbourhood search with CP-SAT for ``k`` hosts.

    ``where`` holds ``k - 1`` hosts and a pool (-1). Each step frees a few random hosts and
    the pool, and CP-SAT repacks them into as many hosts plus the pool, minimising the pool's
    overflow of one host (then its volume). Returns the packing when the pool fits one host,
    else None. None too when ortools is not installed.
    """
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    n, d = s.shape
    where = np.array(where, dtype=np.int64)
    m = k - 1
    if m < 1:
        return None
    scale = [max(1, int(round(float(c.max()) / float(ck)))) for ck in c]
    ci = [int(x) for x in c]
    step = 0
    while time.perf_counter() < deadline:
        pool = np.flatnonzero(where < 0)
        pool_load = s[pool].sum(axis=0)
        if np.all(pool_load <= c):
            out = where.copy()
            out[out < 0] = m
            return out
        step += 1
        r = min(m, bins_per_step)
        chosen = rng.choice(m, size=r, replace=False)
        items = np.concatenate([pool, np.flatnonzero(np.isin(where, chosen))]).tolist()
        label = {int(b): q for q, b in enumerate(chosen.tolist())}
        model = cp_model.CpModel()
        x = {(i, q): model.new_bool_var("") for i in items for q in range(r + 1)}
        for i in items:
            model.add_exactly_one(x[i, q] for q in range(r + 1))
            model.add_hint(x[i, r], bool(where[i] < 0))
            for q in range(r):
                model.add_hint(x[i, q], bool(where[i] >= 0 and label[int(where[i])] == q))
        for q in range(r):
            for t in range(d):
                model.add(sum(int(s[i, t]) * x[i, q] for i in items) <= ci[t])
        terms = []
        for t in range(d):
            load = sum(int(s[i, t]) * x[i, r] for i in items)
            over = model.new_int_var(0, int(s[items, t].sum()), "")
            model.add(over >= load - ci[t])
            terms.append(over * (1000 * scale[t]))
            terms.append(load * scale[t])
        model.minimize(sum(terms))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, min(0.5, deadline -
                                                              time.perf_counter()))
        solver.parameters.num_workers = threads
        solver.parameters.random_seed = seed + step
        st = solver.solve(model)
        if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        for i in items:
            for q in range(r + 1):
                if solver.boolean_value(x[i, q]):
                    where[i] = -1 if q == r else int(chosen[q])
    return None


def _maximal_sets(s: np.ndarray, c: np.ndarray, max_sets: int, deadline: float):
    """Every inclusion-maximal set of items that fits one host, as (item lists), or None.

    Built level by level (sets of one item, two items ...); None when more than
    ``max_sets`` feasible sets exist or the deadline passes (then the cover model is not
    worth building).
    """
    n, d = s.shape
    levels = []
    idx = np.arange(n).reshape(n, 1)
    load = s.copy()
    total = 0
    while len(idx):
        levels.append((idx, load))
        total += len(idx)
        if total > max_sets or time.perf_counter() > deadline:
            return None
        new_idx, new_load = [], []
        step = max(1, 2_000_000 // max(1, n * d))
        for lo in range(0, len(idx), step):
            li, ll = idx[lo:lo + step], load[lo:lo + step]
            last = li[:, -1]
            fits = np.all(ll[:, None, :] + s[None, :, :] <= c, axis=2)
            fits &= np.arange(n)[None, :] > last[:, None]
            r, j = np.nonzero(fits)
            if len(r):
                new_idx.append(np.hstack([li[r], j[:, None]]))
                new_load.append(ll[r] + s[j])
            if total + sum(len(x) for x in new_idx) > max_sets or \
                    time.perf_counter() > deadline:
                return None
        if not new_idx:
            break
        idx, load = np.vstack(new_idx), np.vstack(new_load)
    sets = []
    for li, ll in levels:
        for lo in range(0, len(li), 20000):
            part, pl = li[lo:lo + 20000], ll[lo:lo + 20000]
            fits = np.all(pl[:, None, :] + s[None, :, :] <= c, axis=2)
            fits[np.arange(len(part))[:, None], part] = False
            keep = ~fits.any(axis=1)
            sets.extend(part[keep].tolist())
    return sets


def _cover_lp(s, c, sets, seconds, threads, seed):
    """The cover model's LP relaxation, rounded.

    Rounding: columns by decreasing LP value while they are disjoint, the remaining items by
    the constructive heuristics. Returns (LP optimum, bin_of, LP solution) or None when the
    LP was not solved in time.
    """
    out = _cover(s, c, sets, [], seconds, threads, seed, relax=True)
    return out if out[0] is not None else None


def _cover(s, c, sets, extra, seconds, threads, seed, relax=False):
    """Set-cover MILP over ``sets`` (plus ``extra`` bins) with HiGHS through highspy.

    Returns (outcome, bin_of or None, dual bound or None); outcome is ``optimal``,
    ``stopped`` or ``error``. With ``relax`` (see :func:`_cover_lp`) it returns
    (LP optimum or None, rounded bin_of, LP solution).
    """
    import highspy

    n = len(s)
    cols = [list(x) for x in sets] + [list(x) for x in extra]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(0.05, float(seconds)))
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_rel_gap", 0.0)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cols), n
    lp.col_cost_ = np.ones(len(cols))
    lp.col_lower_ = np.zeros(len(cols))
    lp.col_upper_ = np.ones(len(cols))
    lp.row_lower_ = np.ones(n)
    lp.row_upper_ = np.full(n, highspy.kHighsInf)
    a = lp.a_matrix_
    a.format_ = highspy.MatrixFormat.kColwise
    a.start_ = np.concatenate([[0], np.cumsum([len(x) for x in cols])]).astype(np.int32)
    a.index_ = np.array([i for x in cols for i in x], dtype=np.int32)
    a.value_ = np.ones(len(a.index_))
    a.num_col_, a.num_row_ = len(cols), n
    if not relax:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(cols)
    h.passModel(lp)
    if relax:
        h.run()
        if _highs_outcome(h.getModelStatus()) != "optimal":
            return None, None, None
        x = np.asarray(h.getSolution().col_value)
        bound = h.getInfo().objective_function_value
        covered = np.zeros(n, dtype=bool)
        bin_of = np.full(n, -1, dtype=np.int64)
        b = 0
        for q in np.argsort(-x, kind="stable"):
            if x[q] < 1e-6:
                break
            if not covered[cols[q]].any():
                covered[cols[q]] = True
                bin_of[cols[q]] = b
                b += 1
        rest = np.flatnonzero(~covered)
        if len(rest):
            rest_bins, _ = _heuristics(s[rest], c)
            bin_of[rest] = b + rest_bins
        return bound, bin_of, x
    if extra:  # the incumbent: the extra bins
        start = highspy.HighsSolution()
        start.col_value = [0.0] * len(sets) + [1.0] * len(extra)
        start.value_valid = True
        h.setSolution(start)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    what = _highs_outcome(status)
    bound = info.mip_dual_bound if what in ("optimal", "stopped") else None
    if bound is not None and not math.isfinite(bound):
        bound = None
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return what, None, bound
    x = np.asarray(h.getSolution().col_value)
    bin_of = np.full(n, -1, dtype=np.int64)
    b = 0
    for q in np.flatnonzero(x > 0.5):
        members = [i for i in cols[q] if bin_of[i] < 0]
        if members:
            bin_of[members] = b
            b += 1
    return what, (bin_of if np.all(bin_of >= 0) else None), bound


def _arcflow(s: np.ndarray, c: np.ndarray, seconds: float, threads: int, seed: int,
             max_arcs: int = ARCFLOW_MAX_ARCS):
    """Valério de Carvalho's arc-flow model of a 1-D instance, solved by HiGHS (highspy).

    Nodes are the loads ``0 .. c`` a host can reach taking item sizes in decreasing order;
    an item arc ``u -> u + w`` for each size ``w``, a loss arc from every node to ``c``.
    A host is a path ``0 -> c``; the flow out of 0 (hosts) is minimised with every size
    covered its number of times. Returns (outcome, bin_of or None, dual bound or None), or
    None when the graph has more than ``max_arcs`` arcs.
    """
    import highspy

    w = s[:, 0].astype(np.int64)
    cap = int(c[0])
    sizes, counts = np.unique(w, return_counts=True)
    order = np.argsort(-sizes, kind="stable")
    sizes, counts = sizes[order], counts[order]
    reach = np.zeros(cap + 1, dtype=bool)
    reach[0] = True
    tails, types = [], []
    for j, (wj, bj) in enumerate(zip(sizes.tolist(), counts.tolist(), strict=True)):
        start = reach.copy()
        frontier = start
        for _ in range(bj):  # type j taken up to b_j times in a row
            u = np.flatnonzero(frontier[:cap + 1 - wj])
            if len(u) == 0:
                break
            tails.append(u)
            types.append(np.full(len(u), j))
            nxt = np.zeros(cap + 1, dtype=bool)
            nxt[u + wj] = True
            reach |= nxt
            frontier = nxt
            if sum(len(t) for t in tails) > max_arcs:
                return None
    tail = np.concatenate(tails)
    typ = np.concatenate(types)
    key = np.unique(tail * len(sizes) + typ)  # the same arc reached twice counts once
    tail, typ = key // len(sizes), key % len(sizes)
    head = tail + sizes[typ]
    nodes = np.flatnonzero(reach)
    loss_tail = nodes[nodes < cap]
    n_item, n_loss = len(tail), len(loss_tail)
    ncol = n_item + n_loss
    col_tail = np.concatenate([tail, loss_tail])
    col_head = np.concatenate([head, np.full(n_loss, cap)])
    # rows: flow conservation at every node except 0 and cap, then one cover row per size
    inner = nodes[(nodes > 0) & (nodes < cap)]
    row_of = np.full(cap + 1, -1)
    row_of[inner] = np.arange(len(inner))
    m = len(sizes)
    rows, cols, vals = [], [], []
    for arr_node, sign in ((col_head, 1.0), (col_tail, -1.0)):
        r = row_of[arr_node]
        ok = r >= 0
        rows.append(r[ok])
        cols.append(np.flatnonzero(ok))
        vals.append(np.full(int(ok.sum()), sign))
    rows.append(len(inner) + typ)
    cols.append(np.arange(n_item))
    vals.append(np.ones(n_item))
    rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    order = np.lexsort((rows, cols))
    rows, cols, vals = rows[order], cols[order], vals[order]
    nrow = len(inner) + m
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(0.05, float(seconds)))
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_rel_gap", 0.0)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = ncol, nrow
    lp.col_cost_ = (col_tail == 0).astype(float)
    lp.col_lower_ = np.zeros(ncol)
    upper = np.concatenate([counts[typ].astype(float), np.full(n_loss, float(len(w)))])
    lp.col_upper_ = upper
    lp.row_lower_ = np.concatenate([np.zeros(len(inner)), counts.astype(float)])
    lp.row_upper_ = np.concatenate([np.zeros(len(inner)), np.full(m, highspy.kHighsInf)])
    a = lp.a_matrix_
    a.format_ = highspy.MatrixFormat.kColwise
    a.start_ = np.searchsorted(cols, np.arange(ncol + 1)).astype(np.int32)
    a.index_ = rows.astype(np.int32)
    a.value_ = vals
    a.num_col_, a.num_row_ = ncol, nrow
    lp.integrality_ = [highspy.HighsVarType.kInteger] * ncol
    h.passModel(lp)
    h.run()
    what = _highs_outcome(h.getModelStatus())
    info = h.getInfo()
    bound = info.mip_dual_bound if what in ("optimal", "stopped") else None
    if bound is not None and not math.isfinite(bound):
        bound = None
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return what, None, bound
    flow = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
    # decompose the flow into paths 0 -> cap; each path is a host
    out_arcs: dict[int, list[int]] = {}
    for q in np.flatnonzero(flow > 0).tolist():
        out_arcs.setdefault(int(col_tail[q]), []).append(q)
    pending = {j: list(np.flatnonzero(w == sizes[j])) for j in range(m)}
    bin_of = np.full(len(w), -1, dtype=np.int64)
    b = 0
    while True:
        u, path = 0, []
        while u != cap:
            arcs = [q for q in out_arcs.get(u, []) if flow[q] > 0]
            if not arcs:
                break
            q = arcs[0]
            flow[q] -= 1
            path.append(q)
            u = int(col_head[q])
        if not path:
            break
        members = []
        for q in path:
            if q < n_item and pending[int(typ[q])]:
                members.append(pending[int(typ[q])].pop())
        if members:
            bin_of[members] = b
            b += 1
    if np.any(bin_of < 0):
        return "error", None, bound
    return what, bin_of, bound


def _fix_and_cover(s, c, sets, x, seconds, threads, seed):
    """Keep the columns the cover LP sets to 1 (disjoint), cover the rest by a small MILP.

    The residual model's columns are the patterns cut down to the uncovered items (still
    fitting a host). Returns a packing or None.
    """
    n = len(s)
    covered = np.zeros(n, dtype=bool)
    bins = []
    for q in np.argsort(-x, kind="stable"):
        if x[q] < 0.99:
            break
        if not covered[sets[q]].any():
            covered[sets[q]] = True
            bins.append(sets[q])
    rest = np.flatnonzero(~covered)
    if len(rest) == 0:
        return None
    local = np.full(n, -1)
    local[rest] = np.arange(len(rest))
    cut = {tuple(int(local[i]) for i in q if local[i] >= 0) for q in sets}
    cut.discard(())
    what, got, _ = _cover(s[rest], c, sorted(cut), [], seconds, threads, seed)
    if got is None:
        return None
    bin_of = np.full(n, -1, dtype=np.int64)
    for b, q in enumerate(bins):
        bin_of[q] = b
    bin_of[rest] = len(bins) + got
    return bin_of


def _highs_outcome(status) -> str:
    """A ``highspy.HighsModelStatus`` of the cover model as ``optimal``/``stopped``/``error``.

    The cover model always has a solution (one host per item), so "infeasible" or
    "unbounded" can only be a solver failure.
    """
    import highspy

    S = highspy.HighsModelStatus
    table = {
        "kOptimal": "optimal",
        "kTimeLimit": "stopped", "kIterationLimit": "stopped", "kSolutionLimit": "stopped",
        "kInterrupt": "stopped", "kHighsInterrupt": "stopped", "kMemoryLimit": "stopped",
        "kObjectiveBound": "stopped", "kObjectiveTarget": "stopped", "kUnknown": "stopped",
        "kInfeasible": "error", "kUnboundedOrInfeasible": "error", "kUnbounded": "error",
        "kNotset": "error", "kModelEmpty": "error", "kLoadError": "error",
        "kModelError": "error", "kPresolveError": "error", "kSolveError": "error",
        "kPostsolveError": "error",
    }
    for name, what in table.items():
        if hasattr(S, name) and status == getattr(S, name):
            return what
    raise RuntimeError(f"HiGHS returned model status {status!r}, unknown to netplan")


# --------------------------------------------------------------------------- driver

def _compact(bin_of: np.ndarray) -> np.ndarray:
    """Renumber hosts 0.. in order of first use (drops empty ones)."""
    _, inverse = np.unique(bin_of, return_inverse=True)
    first = {}
    for b in inverse.tolist():
        first.setdefault(b, len(first))
    return np.array([first[b] for b in inverse.tolist()], dtype=np.int64)


def pack(sizes, capacity, *, time_limit_s: float = 10, seed: int = 0,
         exact_max_items: int = EXACT_MAX_ITEMS, solver=None, threads: int = 2,
         names=None) -> Packing:
    """Pack vector items into the fewest identical hosts.

    Parameters
    ----------
    sizes : array_like
        Item sizes, shape (n, d) (or (n,) for 1-D), non-negative, in the capacity's units
        (vCPU, GB, TB ...).
    capacity : array_like
        Capacity of one host per dimension, length d, positive.
    time_limit_s : float
        Wall-clock limit in seconds for everything (bounds, heuristics, search, exact model).
    seed : int
        Seed of the local search and CP-SAT; the result depends only on it and on where the
        time limit stops the search.
    exact_max_items : int
        The exact model is tried only up to this many items.
    solver : pulp.LpSolver or str or None
        MILP solver of the assignment model when OR-Tools is not installed (default HiGHS
        via :func:`netplan._solver.make_solver`); passing one forces the MILP over CP-SAT.
        The cover and arc-flow models always use HiGHS through ``highspy`` and are skipped
        when a solver other than ``"HiGHS"`` is given.
    threads : int
        Threads for CP-SAT or the MILP solver.
    names : sequence of str, optional
        Item names for :meth:`Packing.to_frame`.

    Returns
    -------
    Packing
        Checked with :func:`check_packing`; ``status="optimal"`` when the number of hosts
        equals the proven lower bound.

    Raises
    ------
    ScenarioError
        When shapes disagree or a size is negative.
    InfeasiblePlanError
        When an item exceeds the host capacity in some dimension (named when ``names`` is
        given).
    SolverUnavailableError
        When ``solver`` is given and not installed. Without HiGHS (highspy) the cover and
        arc-flow models are skipped and the log says so; a solver that fails during the
        search leaves the packing found so far (checked, its status ``feasible``), logged.

    Examples
    --------
    Four systems (vCPU, GB) on hosts of 16 vCPU and 64 GB:

    >>> p = pack([[8, 16], [8, 48], [4, 40], [12, 20]], [16, 64])
    >>> p.n_bins, p.lower_bound, p.status
    (2, 2, 'optimal')
    >>> p.bin_of.tolist()
    [0, 0, 1, 1]
    """
    t0 = time.perf_counter()
    deadline = t0 + float(time_limit_s)
    s, c = _arrays(sizes, capacity, None if names is None else list(names))
    n, d = s.shape
    if solver is not None:
        from netplan._solver import make_solver

        make_solver(solver)  # a missing solver fails here, not only if the search needs it
    if names is not None:
        names = tuple(str(x) for x in names)
        if len(names) != n:
            raise ScenarioError([Issue("names", f"{len(names)} names for {n} items")])
    log: list[str] = []

    def result(bin_of, n_bins, lb, method):
        status = "optimal" if n_bins <= lb else "feasible"
        p = Packing(np.asarray(bin_of, dtype=np.int64), int(n_bins), int(min(lb, n_bins)),
                    status, method, time.perf_counter() - t0, s, c, names, tuple(log))
        check_packing(s, c, p)
        return p

    if n == 0:
        return result(np.empty(0, dtype=np.int64), 0, 0, "empty")
    conflict = _conflicts(s, c) if n <= 5000 else None
    lb, how, clique = _bounds(s, c, conflict)
    log.append(f"lower bound {lb} ({how}); conflict clique of {len(clique)}")
    best, method = _heuristics(s, c, t0 + 0.3 * float(time_limit_s))
    ub = int(best.max()) + 1
    log.append(f"heuristic {method}: {ub} hosts")
    if ub <= lb:
        return result(best, ub, lb, method)

    rng = np.random.default_rng(seed)
    a = s / c
    total = a.sum(axis=0)
    weights = total / total.sum() if total.sum() > 0 else np.full(d, 1.0 / d)
    search = _SwapSearch(s, c, weights, rng)
    in_clique = set(clique)
    size = a @ weights
    free_order = [int(i) for i in np.argsort(-size, kind="stable") if int(i) not in in_clique]
    use_exact = n <= exact_max_items
    highs = solver is None or (isinstance(solver, str) and solver.lower() == "highs")
    if highs and not _highspy_importable():
        highs = False
        log.append("HiGHS (highspy) cannot be imported: its cover and arc-flow models are "
                   f"skipped ({_HIGHS_PIP})")
    cover_tried = False
    restarts = 0  # local-search runs so far: the first drops the emptiest hosts
    while ub > lb:
        k = ub - 1
        found = partial = None
        what, name = "unknown", ""
        for phase, share in (("ls", 0.05), ("cover", 0.6), ("probe", 0.1), ("ls", 0.75),
                             ("lns", 0.6), ("exact", 1.0)):
            left = deadline - time.perf_counter()
            if left <= 0.02:
                break
            budget = share * left if use_exact else left
            if phase == "ls":
                stop = time.perf_counter() + budget
                while time.perf_counter() < stop:
                    found, part = search.run(best, k, stop, max_iter=LS_CHUNK * n,
                                             restart=restarts)
                    partial = part if partial is None else partial
                    if found is not None:
                        break
                    restarts += 1
                if found is not None:
                    what, name = "feasible", "local-search"
                    break
                continue
            if not use_exact:
                break
            if phase == "cover":
                if cover_tried or not highs:
                    continue
                cover_tried = True
                if d == 1 and np.issubdtype(s.dtype, np.integer):
                    # HiGHS can overrun its limit in a large root LP: some slack
                    flow = _arcflow(s, c, 0.8 * budget, threads, seed)
                    if flow is not None:
                        outcome, got, bound = flow
                        log.append(f"arc-flow model: {outcome}, bound {bound}")
                        if bound is not None:
                            lb = max(lb, _ceil(bound - 1e-6))
                        if got is not None and int(got.max()) + 1 < ub:
                            best, ub, method = _compact(got), int(got.max()) + 1, "arcflow-highs"
                        if outcome == "optimal" and got is not None:
                            lb = max(lb, ub)
                        if ub <= k:
                            what = "done"
                            break
                        continue
                sets = _maximal_sets(s, c, COVER_MAX_FEASIBLE_SETS,
                                     time.perf_counter() + 0.2 * budget)
                if sets is None or len(sets) > COVER_MAX_COLUMNS:
                    log.append("cover model: too many host patterns, skipped")
                    continue
                relaxed = _cover_lp(s, c, sets, budget, threads, seed)
                if relaxed is not None:
                    bound, got, x_lp = relaxed
                    lb = max(lb, _ceil(bound - 1e-6))
                    log.append(f"cover LP over {len(sets)} patterns: bound {bound:.3f}, "
                               f"rounded to {int(got.max()) + 1} hosts")
                    if int(got.max()) + 1 < ub:
                        best, ub, method = _compact(got), int(got.max()) + 1, "cover-lp"
                    if ub <= lb:
                        what = "done"
                        break
                    found, part = search.run(best, ub - 1, time.perf_counter() + 0.2 *
                                             (deadline - time.perf_counter()), LS_CHUNK * n)
                    if found is not None:
                        best, ub, method = _compact(found), ub - 1, "local-search"
                        what = "done"
                        break
                    got = _fix_and_cover(s, c, sets, x_lp, 0.5 *
                                         (deadline - time.perf_counter()), threads, seed)
                    if got is not None and int(got.max()) + 1 < ub:
                        best, ub, method = _compact(got), int(got.max()) + 1, "cover-highs"
                        log.append(f"cover LP fixed at 1, rest by MILP: {ub} hosts")
                        if ub <= lb:
                            what = "done"
                            break
                bins = [np.flatnonzero(best == b).tolist() for b in range(ub)]
                budget = 0.7 * (deadline - time.perf_counter())
                outcome, got, bound = _cover(s, c, sets, bins, budget, threads, seed)
                log.append(f"cover model over {len(sets)} patterns: {outcome}, "
                           f"bound {bound}")
                if bound is not None:
                    lb = max(lb, _ceil(bound - 1e-6))
                if got is not None and int(got.max()) + 1 < ub:
                    best, ub, method = _compact(got), int(got.max()) + 1, "cover-highs"
                if outcome == "optimal" and got is not None:
                    lb = max(lb, ub)
                if ub <= k:  # improved (or proven): start again from the new packing
                    what = "done"
                    break
                continue
            if phase == "lns":
                if solver is not None or n * k > 4 * ASSIGNMENT_MAX_VARIABLES:
                    continue
                if partial is None:
                    partial = np.where(best < k - 1, best, -1)
                found = _lns(s, c, partial, k, time.perf_counter() + budget, threads, seed, rng)
                if found is not None:
                    what, name = "feasible", "lns-cpsat"
                    break
                continue
            if partial is None:
                partial = np.where(best < k - 1, best, -1)
            if n * k > ASSIGNMENT_MAX_VARIABLES:
                continue
            allowed = _allowed(n, k, clique, free_order, conflict)
            hint = _relabel(partial, clique, free_order, k)
            outcome = None
            if solver is None:
                outcome = _cpsat(s, c, k, allowed, hint, time.perf_counter() + budget,
                                 threads, seed)
                name = "cpsat"
            if outcome is None:
                try:
                    outcome = _milp(s, c, k, allowed, time.perf_counter() + budget, threads,
                                    solver)
                except SolverFailedError as exc:  # the packing found so far stands
                    log.append(f"exact model failed, the best packing so far is kept: {exc}")
                    outcome = ("unknown", None)
                name = "milp-" + (solver if isinstance(solver, str) else
                                  getattr(solver, "name", "highs") if solver else "highs").lower()
            what, found = outcome
            if what != "unknown":
                break
        if what == "done":
            continue
        log.append(f"{name or 'search'} with {k} hosts: {what}")
        if what == "feasible" and k < ub:
            best, ub, method = _compact(found), k, name
        elif what == "infeasible":
            lb = k + 1
        else:
            break
    return result(best, ub, lb, method)
