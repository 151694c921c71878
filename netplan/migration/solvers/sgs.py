"""Schedule generation for the heuristic: the serial SGS, right justification and their fitness.

- :func:`serial_sgs` — the serial schedule generation scheme (SGS): activities are taken in
  the order of a priority list and each is started at the earliest period where its
  predecessors have finished, its release date has passed, its per-period demand profile fits
  every renewable resource's remaining (time-varying) capacity, and its landing amounts fit
  every landing resource from its finish to the end of the horizon. Deadlines and the horizon
  are hard: the SGS fails (returns None) when an activity cannot finish in time.
- :func:`double_justify` — forward-backward improvement (Valls, Ballestín & Quintanilla 2005,
  "Justification and RCPSP: a technique that pays", EJOR 165): shift every activity as late as
  possible within the makespan (right justification, in decreasing order of finish), then as
  early as possible again (a forward SGS in increasing order of the right-justified starts).
  The makespan never grows in the classical RCPSP and often shrinks.

How the state is kept (``_Compiled``), so that the work per activity scales with its duration
and the project, not with the horizon:

- renewable resources: the remaining capacity of every binding resource in a period is a
  field of its own, with a guard bit on top, in one Python integer (SWAR, "SIMD within a
  register"): ``((avail | G) - q) & G == G`` exactly when every field of ``avail`` covers the
  demand ``q``. Periods are packed into overlapping blocks of ``2B`` periods (block ``b``
  holds periods ``b*B .. b*B + 2B - 1``; ``B`` at least the longest duration, about
  :data:`BLOCK_BITS` bits), so the window of a start lies in one block and one subtraction
  tests every period and resource of it, at a cost that does not grow with the horizon (the
  earlier single integer over all periods had 69,383 bits on Meizhou). A resource whose
  capacity in every period covers the demands of all activities at once can never bind and
  is left out.
- full periods: on a resource that activities queue for (more than :data:`QUEUE` times as
  many need it as it holds of its smallest demand: a handful of migration teams), a
  union-find over periods leads from a period where its smallest demand no longer fits to
  the next one where it may; periods are marked when a start fails there, and an activity
  that needs the resource in its first period skips the marked ones. Capacities only shrink
  while the SGS runs, so a marked period stays full.
- landing resources: an activity finishing at ``f`` occupies periods ``f .. H-1``, so the
  occupied amount never decreases over time; the capacity is a step function that never
  decreases either. Within a run of equal capacity the slack is therefore smallest in the
  run's last period, and the slack is kept only there (one number per capacity level, one in
  all for a constant capacity): the earliest finish that fits is one past the last run end
  whose slack is short, and placing an activity subtracts its amount from the run ends at or
  after its finish. This gives the same floats as keeping every period (a run end's
  subtractions are a superset of its earlier periods', and rounding is monotone).

Deadlines and milestones enter the fitness of the genetic search as a violation measured in
periods (``_violation``), compared before the objective.
"""

from __future__ import annotations

import bisect
import dataclasses
import heapq
import itertools

import numpy as np

from netplan.migration.project import Project

__all__ = ["serial_sgs", "double_justify"]

#: Tolerance of the landing (float) capacities.
_EPS = 1e-9
#: A renewable resource gets skip lists of its full periods when more than this many times as
#: many activities need it as its largest capacity holds of its smallest demand.
QUEUE = 4
#: From this many eligible activities on, list sampling computes its weights with numpy.
_NUMPY_ELIGIBLE = 48
#: Bits of the renewable resources' periods packed into half a block (see ``_Compiled``).
BLOCK_BITS = 1024


class _Compiled:
    """A :class:`Project` flattened to Python lists for fast schedule generation."""

    def __init__(self, project: Project) -> None:
        n = project.n
        H = int(project.horizon)
        acts = project.activities
        self.project = project
        self.n = n
        self.H = H
        self.dur = [int(a.duration) for a in acts]
        self.preds = project.predecessors()
        self.succs = project.successors()
        self.topo = project.topological_order()
        self.topo_pos = [0] * n
        for k, j in enumerate(self.topo):
            self.topo_pos[j] = k
        self.release = [int(a.release) for a in acts]
        # latest finish: the deadline and the horizon (both hard)
        self.lf = [min(H, int(a.deadline)) if a.deadline is not None else H for a in acts]
        # Periods kept for the soft mode (the genetic search), where activities may run past
        # the horizon at the capacity of its last period: enough to place every activity one
        # after another after the latest release.
        self.Hext = max(H, max(self.release, default=0) + sum(self.dur)) + 1
        self._pack_renewables(project)
        self._pack_landing(project)
        # per activity everything the forward pass reads, in one tuple (one lookup)
        self.fwd = [(self.release[j], self.preds[j], d, self.land[j], self.qw[j], self.gw[d],
                     self.mask[d], d * self.pw, self.flat[j], self.skip[j], self.least[j],
                     self.least[j] & self.every[j], self.lf[j], self.needs[j])
                    for j, d in enumerate(self.dur)]
        # and what the backward pass reads
        self.bwd = [(self.succs[j], d, self.qw[j], self.gw[d], self.mask[d], d * self.pw,
                     self.flat[j], self.release[j], self.lf[j]) for j, d in enumerate(self.dur)]
        self.weights = [float(a.weight) for a in acts]
        self.makespan = project.objective == "makespan"
        self.milestones = [
            (int(m.period), int(m.count),
             list(range(n)) if m.activities is None else [int(i) for i in m.activities])
            for m in project.milestones
        ]
        # direct precedences, for the mutation's swap test
        self.related = {(i, j) for i, j in project.precedences}
        self.related |= {(j, i) for i, j in project.precedences}

    def _pack_renewables(self, project: Project) -> None:
        n, H, R = self.n, self.H, project.n_resources
        cap = project.capacity
        dur = self.dur
        prof = np.zeros((R, n, max(dur, default=0)), dtype=np.int64)
        for j, a in enumerate(project.activities):
            for r in range(min(R, len(a.demand))):
                prof[r, j, :dur[j]] = a.profile(r)
        # a resource binds only if all activities at their peaks could exceed it somewhere
        peak = prof.max(axis=2, initial=0).sum(axis=1)
        low = cap.min(axis=1) if H else np.zeros(R, dtype=np.int64)
        self.binding = [r for r in range(R) if peak[r] > low[r]]
        top = max([1] + [int(cap[r].max(initial=0)) for r in self.binding]
                  + [int(prof[r].max(initial=0)) for r in self.binding])
        fw = top.bit_length() + 1  # field width, the top bit a guard
        shift = {r: i * fw for i, r in enumerate(self.binding)}
        pw = self.pw = max(1, fw * len(self.binding))  # bits per period
        guard = sum(1 << (s + fw - 1) for s in shift.values())
        # per resource its capacity in every period; beyond the horizon (soft mode only)
        # capacities stay at their last value
        caps = {r: (cap[r].tolist() + [int(cap[r, -1])] * (self.Hext - H)) if H
                else [0] * self.Hext for r in self.binding}
        word = [sum(caps[r][t] << s for r, s in shift.items()) for t in range(self.Hext)]
        # block b packs periods b*B .. b*B + 2B - 1 (period b*B + k at bit k * pw), so the
        # window of any activity starting in b*B .. b*B + B - 1 lies in block b
        B = self.B = max(1, max(dur, default=0), BLOCK_BITS // pw)
        self.blocks0 = [sum(w << (k * pw) for k, w in enumerate(word[b * B:b * B + 2 * B]))
                        for b in range(self.Hext // B + 2)]
        self.full = (1 << (2 * B * pw)) - 1
        self.blk = [t // B for t in range(self.Hext + 1)]  # the block of a start period
        self.offs = [(t % B) * pw for t in range(self.Hext + 1)]  # its bit in the block
        maxd = max(dur, default=0)
        self.gw = [sum(guard << (k * pw) for k in range(d)) for d in range(maxd + 1)]
        self.mask = [(1 << (d * pw)) - 1 for d in range(maxd + 1)]
        # Full periods are skipped in one step: per resource that activities queue for (see
        # QUEUE) a union-find over periods points from a period where its smallest demand no
        # longer fits to the next period where it may. A period is marked when a start fails
        # there on an activity that needs just that smallest demand (or, in a blackout, from
        # the start); an activity that needs the resource in its first period skips the
        # marked periods, and one that needs it in every period jumps past a marked period
        # its window meets.
        self.fw = fw
        self.skip_nx0: list[list[int] | None] = []
        self.skip: list[list[int]] = [[] for _ in range(n)]
        self.least: list[int] = [0] * n  # guard bits where an activity needs the least
        self.every: list[int] = [0] * n  # guard bits of resources it needs in every period
        for i, r in enumerate(self.binding):
            m = int(prof[r][prof[r] > 0].min())
            users = int((prof[r] > 0).any(axis=1).sum())
            if max(caps[r]) // m * QUEUE >= users:
                self.skip_nx0.append(None)  # activities rarely queue for it: no skipping
                continue
            self.skip_nx0.append([t if x >= m else t + 1 for t, x in enumerate(caps[r])]
                                 + [self.Hext])
            for j in range(n):
                if dur[j] and prof[r, j, 0] > 0:
                    self.skip[j].append(i)
                self.least[j] |= sum(1 << (k * pw + shift[r] + fw - 1)
                                     for k in range(dur[j]) if prof[r, j, k] == m)
                if dur[j] and (prof[r, j, :dur[j]] > 0).all():
                    self.every[j] |= sum(1 << (k * pw + shift[r] + fw - 1) for k in range(dur[j]))
        # per activity its demand over its periods, packed (0: it needs nothing), and whether
        # it is the same in every period (then a conflict allows a jump past it)
        self.qw = []
        self.flat = []
        # needing a resource that cannot bind still fails past the soft mode's last period
        self.needs = [bool(prof[:, j].any()) for j in range(n)]
        for j in range(n):
            q = [sum(int(prof[r, j, k]) << s for r, s in shift.items()) for k in range(dur[j])]
            self.qw.append(sum(x << (k * pw) for k, x in enumerate(q)))
            self.flat.append(len(set(q)) <= 1)

    def _pack_landing(self, project: Project) -> None:
        H = self.H
        # period H stands for "after the horizon", at the last period's capacity: an
        # activity finishing at the horizon occupies no period of it but is still on the cloud
        caps = [[float(x) for x in row] + [float(row[-1])] if H else []
                for row in project.landing_capacity]
        # the last period of every run of equal capacity, and the capacity there
        self.land_ends = [[t for t in range(H + 1) if t == H or row[t + 1] != row[t]]
                          if H else [] for row in caps]
        self.land_slack0 = [[row[t] for t in ends]
                            for row, ends in zip(caps, self.land_ends, strict=True)]
        self.land = [[(k, float(q)) for k, q in enumerate(a.landing) if q]
                     for a in project.activities]
        self.has_land = any(self.land)


def _take(X: list, b: int, o: int, q: int, dpw: int, Bpw: int, full: int) -> None:
    """Take the packed demand ``q`` (``dpw`` bits, from bit ``o`` of block ``b``) off the blocks.

    Blocks overlap by one block's width, so the periods are held by up to three blocks.
    """
    X[b] -= q << o
    if b:
        X[b - 1] -= (q << (o + Bpw)) & full
    if o + dpw > Bpw:
        X[b + 1] -= q >> (Bpw - o)


def _forward(c: _Compiled, order, soft: bool):
    """Serial SGS on a precedence-feasible ``order``.

    Returns ``(start, finish, tardiness)`` (lists and periods past deadlines or the horizon),
    or None when an activity can never be placed (hard mode: past its latest finish; soft mode:
    its demand exceeds the capacity for ever).
    """
    pw, full, Bpw, blk, offs = c.pw, c.full, c.B * c.pw, c.blk, c.offs
    ends = c.land_ends
    nruns = [len(e) - 1 for e in ends]
    fw = c.fw
    X = c.blocks0[:]
    nx = [row[:] if row else None for row in c.skip_nx0]
    slack = [row[:] for row in c.land_slack0] if c.has_land else None
    limit = c.Hext if soft else None
    fwd = c.fwd
    n = c.n
    start = [0] * n
    fin = [0] * n
    tard = 0
    for j in order:
        t, preds, d, lands, q, g, m, dpw, fl, sk, lw, jw, lfj, needs = fwd[j]
        for p in preds:
            if fin[p] > t:
                t = fin[p]
        if lands:
            for k, q_land in lands:
                # landing: finish after the last run end whose slack is short of q_land
                sl = slack[k]
                i = nruns[k]
                while i >= 0 and sl[i] >= q_land - _EPS:
                    i -= 1
                if i >= 0 and ends[k][i] + 1 - d > t:
                    t = ends[k][i] + 1 - d
        last = (lfj if limit is None else limit) - d
        if q:
            for i in sk:
                nxi = nx[i]
                while nxi[t] != t:
                    nxi[t] = nxi[nxi[t]]  # path halving
                    t = nxi[t]
            while True:
                if t > last:
                    return None
                ok = ((((X[blk[t]] >> offs[t]) & m) | g) - q) & g
                if ok == g:
                    break
                bad = ok ^ g
                full_at = bad & lw
                if full_at:
                    # a period where the least demand of a resource does not fit: mark it
                    p = full_at.bit_length() - 1
                    k = p // pw
                    u = t + k
                    nxi = nx[(p - k * pw) // fw]
                    if nxi[u] == u:
                        nxi[u] = u + 1
                if fl:
                    # constant demand: jump past the latest period lacking capacity
                    t += (bad.bit_length() - 1) // pw + 1
                elif full_at & jw:
                    # past the latest marked period of a resource it needs in every period
                    t += ((full_at & jw).bit_length() - 1) // pw + 1
                else:
                    t += 1
                if full_at:
                    # more marked periods are likely: skip them on every resource needed first
                    for i in sk:
                        nxi = nx[i]
                        while nxi[t] != t:
                            nxi[t] = nxi[nxi[t]]  # path halving
                            t = nxi[t]
            _take(X, blk[t], offs[t], q, dpw, Bpw, full)
        elif t > last and (limit is None or needs):
            return None
        f = t + d
        if f > lfj:
            tard += f - lfj
        start[j] = t
        fin[j] = f
        if lands:
            for k, q_land in lands:
                sl, e = slack[k], ends[k]
                i = nruns[k]
                while i >= 0 and e[i] >= f:
                    sl[i] -= q_land
                    i -= 1
    return start, fin, tard


def _backward(c: _Compiled, order, horizon: int):
    """Right justification (backward serial SGS) on a successors-first ``order``.

    Each activity goes as late as possible within ``horizon``, its deadline and its
    successors' starts, ignoring landing resources (the forward pass that follows enforces
    them). Returns the starts, or None when an activity would have to start before its release.
    """
    pw, full, Bpw, blk, offs = c.pw, c.full, c.B * c.pw, c.blk, c.offs
    bwd = c.bwd
    X = c.blocks0[:]
    n = c.n
    start = [0] * n
    for j in order:
        succs, d, q, g, m, dpw, fl, first, lfj = bwd[j]
        e = horizon if lfj > horizon else lfj
        for s in succs:
            if start[s] < e:
                e = start[s]
        t = e - d
        if q:
            while True:
                if t < first:
                    return None
                ok = ((((X[blk[t]] >> offs[t]) & m) | g) - q) & g
                if ok == g:
                    break
                if fl:
                    # constant demand: end at or before the earliest period lacking capacity
                    bad = ok ^ g
                    t += ((bad & -bad).bit_length() - 1) // pw - d
                else:
                    t -= 1
            _take(X, blk[t], offs[t], q, dpw, Bpw, full)
        elif t < first:
            return None
        start[j] = t
    return start


def _violation(c: _Compiled, fin, tard: int) -> int:
    """Periods of lateness: deadline/horizon tardiness plus each milestone's shortfall."""
    v = tard
    for period, count, pool in c.milestones:
        if count <= 0:
            continue
        late = sorted(fin[i] for i in pool)[:count]
        for f in late:
            if f > period:
                v += f - period
    return v


def _objective(c: _Compiled, fin) -> float:
    if c.makespan:
        return max(fin) if fin else 0
    w = c.weights
    return sum(w[i] * fin[i] for i in range(c.n))


class _Evaluator:
    """Counts schedules and turns an activity list into ``(fitness, starts, order)``."""

    def __init__(self, c: _Compiled, justify: bool) -> None:
        self.c = c
        self.justify = justify and c.makespan
        self.count = 0

    def _eval(self, order):
        self.count += 1
        res = _forward(self.c, order, True)
        if res is None:
            return None
        start, fin, tard = res
        return (_violation(self.c, fin, tard), _objective(self.c, fin)), start, fin

    def __call__(self, order):
        got = self._eval(order)
        if got is None:
            return None
        fit, start, fin = got
        if not self.justify or self.c.n == 0:
            return fit, start, order
        c = self.c
        n, tp = c.n, c.topo_pos
        idx = range(n)
        for _ in range(3):
            horizon = max(fin)
            # decreasing finish, successors first among equals (integer keys sort fastest)
            key = [fin[j] * n + tp[j] for j in idx]
            border = sorted(idx, key=key.__getitem__, reverse=True)
            self.count += 1
            bstart = _backward(c, border, horizon)
            if bstart is None:
                break
            key = [bstart[j] * n + tp[j] for j in idx]
            forder = sorted(idx, key=key.__getitem__)
            got = self._eval(forder)
            if got is None or got[0] > fit:
                break
            improved = got[0] < fit
            fit, start, fin = got
            order = forder
            if not improved:
                break
        return fit, start, order


# ---------------------------------------------------------------------------------------------
# activity lists
# ---------------------------------------------------------------------------------------------


def _sample_list(c: _Compiled, prio, rnd, alpha: float = 1.0) -> list[int]:
    """A precedence-feasible list by a priority rule.

    At each step the eligible activity of smallest priority (``rnd`` None; ties by index), or
    one drawn with probability ~ (regret + 1) ** alpha (regret-based biased random sampling,
    regret = worst eligible priority - own priority) by ``rnd``, a :class:`random.Random`.
    """
    n = c.n
    npred = [len(p) for p in c.preds]
    eligible = [j for j in range(n) if npred[j] == 0]
    out = []
    if rnd is None:
        heap = [(prio[j], j) for j in eligible]
        heapq.heapify(heap)
        while heap:
            j = heapq.heappop(heap)[1]
            out.append(j)
            for s in c.succs[j]:
                npred[s] -= 1
                if npred[s] == 0:
                    heapq.heappush(heap, (prio[s], s))
        return out
    parr = np.asarray(prio, dtype=float)
    while eligible:
        E = len(eligible)
        if E == 1:
            k = 0
        elif alpha == 1.0 and E >= _NUMPY_ELIGIBLE:
            # the same floats as below, in numpy (its cumsum adds in order; x ** 1.0 == x)
            pe = parr[eligible]
            acc = np.cumsum((pe.max() - pe) + 1.0)
            k = min(int(np.searchsorted(acc, rnd.random() * acc[-1])), E - 1)
        else:
            worst = max(map(prio.__getitem__, eligible))
            if alpha == 1.0:
                w = [worst - prio[j] + 1.0 for j in eligible]
            else:
                w = [(worst - prio[j] + 1.0) ** alpha for j in eligible]
            # the first k whose running sum w[0] + ... + w[k] reaches x (the last at worst)
            acc = list(itertools.accumulate(w))
            k = min(bisect.bisect_left(acc, rnd.random() * acc[-1]), E - 1)
        j = eligible.pop(k)
        out.append(j)
        for s in c.succs[j]:
            npred[s] -= 1
            if npred[s] == 0:
                eligible.append(s)
    return out


def _feasible_list(c: _Compiled, prio_order) -> list[int]:
    """The list serial SGS processes for an arbitrary priority order.

    At each step the first eligible activity of ``prio_order`` comes next.
    """
    rank = [0] * c.n
    for k, j in enumerate(prio_order):
        rank[j] = k
    return _sample_list(c, rank, None)


def _order_of(c: _Compiled, starts) -> list[int]:
    """Activities by increasing start, earlier in the topological order among equals."""
    s = [int(x) for x in starts]
    tp = c.topo_pos
    return sorted(range(c.n), key=lambda j: (s[j], tp[j]))


def _with_objective(project: Project, objective: str) -> Project:
    if project.objective == objective:
        return project
    return dataclasses.replace(project, objective=objective)


# ---------------------------------------------------------------------------------------------
# public pieces
# ---------------------------------------------------------------------------------------------


def serial_sgs(project: Project, priority_list) -> np.ndarray | None:
    """Serial schedule generation on a priority list.

    Each activity starts at the earliest period that respects every constraint given the
    activities scheduled before it; None when a deadline or the horizon cannot be met.

    Parameters
    ----------
    project : Project
    priority_list : sequence of int
        Every activity index once. At each step the first activity of the list whose
        predecessors are all scheduled is scheduled next, so any permutation is accepted.

    Returns
    -------
    numpy.ndarray or None
        Start period per activity; it meets every constraint except possibly milestones (check
        them with :func:`~netplan.migration.project.check_schedule`).

    Raises
    ------
    ValueError
        When ``priority_list`` is not a permutation of the activities.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 1, (1,)), Activity("c", 1, (1,))),
    ...             np.array([1]), ((0, 2),), horizon=5)
    >>> serial_sgs(p, [1, 0, 2]).tolist()
    [1, 0, 3]
    """
    order = [int(j) for j in priority_list]
    if sorted(order) != list(range(project.n)):
        raise ValueError(f"priority_list {order} is not a permutation of 0..{project.n - 1}")
    c = _Compiled(project)
    res = _forward(c, _feasible_list(c, order), False)
    if res is None:
        return None
    return np.array(res[0], dtype=np.int64)


def double_justify(project: Project, starts) -> np.ndarray:
    """Forward-backward improvement of a feasible schedule (for the makespan).

    Right-justifies the schedule within its makespan, then left-justifies it by a serial SGS in
    increasing order of the right-justified starts, repeating while the makespan shrinks.
    Returns the better schedule (the input when nothing improves); it meets every constraint
    the input met except milestones, which are not considered.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 1, (1,)), Activity("b", 2, (1,)), Activity("c", 1, (1,))),
    ...             np.array([2]), ((0, 2),), horizon=6)
    >>> double_justify(p, [0, 1, 3]).tolist()
    [0, 0, 1]
    """
    c = _Compiled(_with_objective(project, "makespan"))
    c.milestones = []
    got = _Evaluator(c, justify=True)(_order_of(c, starts))
    base = max((int(starts[j]) + c.dur[j] for j in range(c.n)), default=0)
    if got is None or got[0][0] > 0 or got[0][1] > base:
        return np.asarray(starts, dtype=np.int64)
    return np.array(got[1], dtype=np.int64)
