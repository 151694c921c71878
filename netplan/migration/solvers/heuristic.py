"""Heuristic scheduler: serial schedule generation, double justification and a genetic algorithm.

The pieces, each usable on its own:

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
- :func:`lower_bound` — the critical-path bound and, for the makespan, the resource (energy)
  bound of every renewable resource.
- :class:`GeneticSearch` / :func:`solve_heuristic` — a genetic algorithm on activity lists
  (Hartmann 1998, "A competitive genetic algorithm for resource-constrained project
  scheduling", NRL 45): an initial population by regret-based biased random sampling on
  latest-finish priorities (weight-per-period priorities for the weighted-completion
  objective), two-point activity-list crossover, a random insertion move in every child
  (Hartmann's neighbour swaps are available but off: on the hardest PSPLIB j30 groups the
  insertion move found 209 of 240 optima against 197 at 20,000 schedules), truncation
  selection over parents and children without duplicate schedules, and, for the makespan,
  every schedule double-justified with the justified order written back into the individual.
  When the best schedule has not improved for a few generations it gets a first-improvement
  local search over all insertion moves; a long stall re-samples all but the elite. The
  search runs until the time budget, a cap on schedules, or a schedule whose objective equals
  the lower bound, and it can be resumed (the MILP backend does, after its MILP stage).

Speed: the renewable resources of all periods are packed into one Python integer with a guard
bit per field, so one subtraction checks an activity's whole demand window on every resource
(``_Compiled``); the SGS runs at about 15,000-25,000 schedules per second on j30 (one core).

Milestones and deadlines enter the fitness as a violation measured in periods (deadline
tardiness plus, per milestone, how late its earliest ``count`` activities finish), compared
before the objective, i.e. ``objective + M * violation`` for an infinitely large ``M``.
Schedules that violate anything are never returned as feasible.

Randomness comes from ``np.random.default_rng(seed)``, which seeds a private
:class:`random.Random` used in the inner loops (numpy's per-call overhead would dominate them);
with ``max_schedules`` set and a time budget that does not bind, the result is identical run
after run.
"""

from __future__ import annotations

import math
import random
import time

import numpy as np

from netplan.migration.project import Project, Schedule, SolveStatus, objective_value

__all__ = [
    "GeneticSearch",
    "serial_sgs",
    "double_justify",
    "lower_bound",
    "priority_list",
    "solve_heuristic",
]

_EPS = 1e-9


# ---------------------------------------------------------------------------------------------
# the project compiled to plain lists (the inner loops run on these)
# ---------------------------------------------------------------------------------------------


class _Compiled:
    """A :class:`Project` flattened to Python lists for fast schedule generation."""

    def __init__(self, project: Project) -> None:
        n = project.n
        H = int(project.horizon)
        self.project = project
        self.n = n
        self.H = H
        self.dur = [int(a.duration) for a in project.activities]
        self.preds = project.predecessors()
        self.succs = project.successors()
        self.topo = project.topological_order()
        self.topo_pos = [0] * n
        for k, j in enumerate(self.topo):
            self.topo_pos[j] = k
        self.release = [int(a.release) for a in project.activities]
        # latest finish: the deadline and the horizon (both hard)
        self.lf = [min(H, int(a.deadline)) if a.deadline is not None else H
                   for a in project.activities]
        # Renewable resources are packed into one integer (SWAR: "SIMD within a register"):
        # period t, resource r occupies a field of ``fw`` bits at bit (t * pw + r * fw); the
        # field's top bit is a guard, so ((X | G) - Q) & G keeps a field's guard bit exactly
        # when its availability covers its demand, and one subtraction tests a whole window
        # of periods and resources. Beyond the horizon (soft mode only) capacities stay at
        # their last value.
        self.Hext = max(H, max(self.release, default=0) + sum(self.dur)) + 1
        R = project.n_resources
        cap = project.capacity
        profiles = [[[int(x) for x in a.profile(r)] for r in range(R)]
                    for a in project.activities]
        top = max([int(cap.max(initial=0))] +
                  [max(p, default=0) for ps in profiles for p in ps] + [1])
        fw = top.bit_length() + 1
        pw = fw * R if R else 1
        self.pw = pw
        guard = sum(1 << (r * fw + fw - 1) for r in range(R))
        packed = 0
        for t in range(self.Hext):
            tt = min(t, H - 1)
            if tt < 0:
                break
            packed |= sum(int(cap[r, tt]) << (r * fw) for r in range(R)) << (t * pw)
        self.avail0 = packed
        maxd = max(self.dur, default=0)
        self.gw = [sum(guard << (k * pw) for k in range(d)) for d in range(maxd + 1)]
        self.mask = [(1 << (d * pw)) - 1 for d in range(maxd + 1)]
        # constant demand over the activity's periods (then conflicts allow long jumps)
        self.flat = [all(len(set(p)) <= 1 for p in ps) for ps in profiles]
        # packed demand over the activity's periods; 0 when it needs nothing
        self.qw = []
        for j in range(n):
            q = 0
            for k in range(self.dur[j]):
                q |= sum(profiles[j][r][k] << (r * fw) for r in range(R)) << (k * pw)
            self.qw.append(q)
        self.land = [[(k, float(q)) for k, q in enumerate(a.landing) if q]
                     for a in project.activities]
        self.landcap = [[float(x) for x in row] for row in project.landing_capacity]
        self.has_land = any(self.land)
        self.weights = [float(a.weight) for a in project.activities]
        self.makespan = project.objective == "makespan"
        self.milestones = [
            (int(m.period), int(m.count),
             list(range(n)) if m.activities is None else [int(i) for i in m.activities])
            for m in project.milestones
        ]
        # direct precedences, for the mutation's swap test
        self.related = {(i, j) for i, j in project.precedences}
        self.related |= {(j, i) for i, j in project.precedences}


def _forward(c: _Compiled, order, soft: bool):
    """Serial SGS on a precedence-feasible ``order``.

    Returns ``(start, finish, tardiness)`` (lists and periods past deadlines or the horizon),
    or None when an activity can never be placed (hard mode: past its latest finish; soft mode:
    its demand exceeds the capacity for ever).
    """
    dur, preds, rel, lf = c.dur, c.preds, c.release, c.lf
    qw, gw, mask, pw, flat = c.qw, c.gw, c.mask, c.pw, c.flat
    land = c.land
    X = c.avail0
    lslack = [row[:] for row in c.landcap] if c.has_land else None
    H = c.H
    limit_ext = c.Hext
    n = c.n
    start = [0] * n
    fin = [0] * n
    tard = 0
    for j in order:
        t = rel[j]
        for p in preds[j]:
            if fin[p] > t:
                t = fin[p]
        d = dur[j]
        lands = land[j]
        if lands:
            # landing: the earliest finish f with slack >= q in every period f .. H-1
            for k, q in lands:
                sl = lslack[k]
                f = H
                while f > 0 and sl[f - 1] >= q - _EPS:
                    f -= 1
                if f - d > t:
                    t = f - d
        q = qw[j]
        if q:
            g = gw[d]
            m = mask[d]
            last = (lf[j] if not soft else limit_ext) - d
            while True:
                if t > last:
                    return None
                ok = (((X >> (t * pw)) & m | g) - q) & g
                if ok == g:
                    break
                if flat[j]:
                    # constant demand: jump past the latest period lacking capacity
                    t += ((ok ^ g).bit_length() - 1) // pw + 1
                else:
                    t += 1
            X -= q << (t * pw)
        elif t + d > lf[j] and not soft:
            return None
        f = t + d
        if f > lf[j]:
            tard += f - lf[j]
        start[j] = t
        fin[j] = f
        for k, q in lands:
            sl = lslack[k]
            for u in range(f, H):
                sl[u] -= q
    return start, fin, tard


def _backward(c: _Compiled, order, horizon: int):
    """Right justification (backward serial SGS) on a successors-first ``order``.

    Each activity goes as late as possible within ``horizon``, its deadline and its
    successors' starts, ignoring landing resources (the forward pass that follows enforces
    them). Returns the starts, or None when an activity would have to start before its release.
    """
    dur, succs, rel, lf = c.dur, c.succs, c.release, c.lf
    qw, gw, mask, pw, flat = c.qw, c.gw, c.mask, c.pw, c.flat
    X = c.avail0
    n = c.n
    start = [0] * n
    for j in order:
        e = horizon if lf[j] > horizon else lf[j]
        for s in succs[j]:
            if start[s] < e:
                e = start[s]
        d = dur[j]
        t = e - d
        q = qw[j]
        if q:
            g = gw[d]
            m = mask[d]
            first = rel[j]
            while True:
                if t < first:
                    return None
                ok = (((X >> (t * pw)) & m | g) - q) & g
                if ok == g:
                    break
                if flat[j]:
                    # constant demand: end at or before the earliest period lacking capacity
                    bad = ok ^ g
                    t += ((bad & -bad).bit_length() - 1) // pw - d
                else:
                    t -= 1
            X -= q << (t * pw)
        elif t < rel[j]:
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
# bounds and priority rules
# ---------------------------------------------------------------------------------------------


def lower_bound(project: Project) -> float:
    """A lower bound on the objective of any feasible schedule.

    For the makespan: the larger of the critical-path bound (release dates and precedences)
    and, per renewable resource, the first period by which the cumulated capacity covers the
    total demand on it. For the weighted completion: the weighted sum of earliest finishes.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 2, (1,))), np.array([1]), (),
    ...             horizon=6)
    >>> lower_bound(p)
    4.0
    """
    if project.n == 0:
        return 0.0
    es = project.earliest_starts()
    ef = es + project.durations
    if project.objective == "weighted_completion":
        w = np.array([a.weight for a in project.activities], dtype=float)
        return float((w * ef).sum())
    lb = int(ef.max(initial=0))
    for r in range(project.n_resources):
        total = sum(int(a.profile(r).sum()) for a in project.activities)
        if total == 0:
            continue
        cum = np.cumsum(project.capacity[r])
        hit = np.flatnonzero(cum >= total)
        # beyond the horizon nothing fits; the horizon is then a (weak) bound
        t = int(hit[0]) + 1 if len(hit) else project.horizon
        lb = max(lb, t)
    return float(lb)


def _latest_finishes(c: _Compiled, milestone_deadlines: bool = True) -> list[int]:
    """Latest finishes by backward critical-path from deadlines and the horizon.

    For priorities only, each milestone's period also acts as a deadline of the ``count``
    activities of its pool that can finish earliest.
    """
    lf = list(c.lf)
    if milestone_deadlines and c.milestones:
        es = c.project.earliest_starts()
        for period, count, pool in c.milestones:
            if count <= 0:
                continue
            chosen = sorted(pool, key=lambda i: (es[i] + c.dur[i], i))[:count]
            for i in chosen:
                lf[i] = min(lf[i], period)
    for j in reversed(c.topo):
        for s in c.succs[j]:
            lf[j] = min(lf[j], lf[s] - c.dur[s])
    return lf


def _priorities(c: _Compiled) -> list[float]:
    """Smaller is more urgent.

    For the makespan the latest finish (:func:`_latest_finishes`); for the weighted completion
    minus the weight an activity unlocks (its own and all its successors') per period of its
    duration, a WSPT rule that respects precedences.
    """
    lf = _latest_finishes(c)
    if c.makespan:
        return [float(x) for x in lf]
    # the total weight an activity unlocks (itself and its successors, transitively)
    reach = [c.weights[j] for j in range(c.n)]
    for j in reversed(c.topo):
        for s in c.succs[j]:
            reach[j] += reach[s]
    prio = []
    for j in range(c.n):
        ratio = reach[j] / max(c.dur[j], 1)
        prio.append(-ratio)
    return prio


def priority_list(project: Project, rule: str = "lft") -> list[int]:
    """A precedence-feasible activity list by a priority rule.

    Parameters
    ----------
    project : Project
    rule : {"lft", "wspt"}
        ``"lft"``: latest finish first (from deadlines, the horizon and milestones, by backward
        critical-path); ``"wspt"``: largest weight (of the activity and all its successors) per
        period of duration first.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 1), Activity("b", 1), Activity("c", 1, deadline=1)),
    ...             np.array([1]), ((0, 1),), horizon=3)
    >>> priority_list(p)
    [2, 0, 1]
    """
    c = _Compiled(project)
    if rule == "lft":
        prio = [float(x) for x in _latest_finishes(c)]
    elif rule == "wspt":
        prio = _priorities(_Compiled(_with_objective(project, "weighted_completion")))
    else:
        raise ValueError(f"unknown priority rule {rule!r}; use 'lft' or 'wspt'")
    return _sample_list(c, prio, None)


def _with_objective(project: Project, objective: str) -> Project:
    if project.objective == objective:
        return project
    import dataclasses

    return dataclasses.replace(project, objective=objective)


def _sample_list(c: _Compiled, prio, rnd: random.Random | None,
                 alpha: float = 1.0) -> list[int]:
    """A precedence-feasible list by a priority rule.

    At each step the eligible activity of smallest priority (``rnd`` None), or one drawn with
    probability ~ (regret + 1) ** alpha (regret-based biased random sampling, regret = worst
    eligible priority - own priority).
    """
    n = c.n
    npred = [len(p) for p in c.preds]
    eligible = [j for j in range(n) if npred[j] == 0]
    out = []
    while eligible:
        if rnd is None or len(eligible) == 1:
            k = min(range(len(eligible)), key=lambda i: (prio[eligible[i]], eligible[i]))
        else:
            worst = max(prio[j] for j in eligible)
            w = [(worst - prio[j] + 1.0) ** alpha for j in eligible]
            x = rnd.random() * sum(w)
            k = 0
            acc = w[0]
            while acc < x and k < len(w) - 1:
                k += 1
                acc += w[k]
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
    s = [int(x) for x in starts]
    order = sorted(range(c.n), key=lambda j: (s[j], c.topo_pos[j]))
    got = _Evaluator(c, justify=True)(order)
    base = max((s[j] + c.dur[j] for j in range(c.n)), default=0)
    if got is None or got[0][0] > 0 or got[0][1] > base:
        return np.asarray(starts, dtype=np.int64)
    return np.array(got[1], dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# the genetic algorithm
# ---------------------------------------------------------------------------------------------


def _crossover(mother, father, q1: int, q2: int):
    """Two-point activity-list crossover (Hartmann 1998).

    Positions before ``q1`` come from the mother, ``q1 .. q2-1`` are the father's next unused
    activities in his order, the rest follow in the mother's order. Keeps precedence
    feasibility (in either direction).
    """
    child = mother[:q1]
    seen = set(child)
    for x in father:
        if len(child) >= q2:
            break
        if x not in seen:
            child.append(x)
            seen.add(x)
    for x in mother:
        if x not in seen:
            child.append(x)
    return child


def _mutate(c: _Compiled, order, rnd: random.Random, pm: float):
    """Swap neighbours with probability ``pm`` each unless one directly precedes the other."""
    related = c.related
    for i in range(len(order) - 1):
        if rnd.random() < pm:
            a, b = order[i], order[i + 1]
            if (a, b) not in related:
                order[i], order[i + 1] = b, a
    return order


def _insert_move(c: _Compiled, order, rnd: random.Random):
    """Move one random activity to a random place between its predecessors and successors."""
    n = len(order)
    pos = {j: k for k, j in enumerate(order)}
    i = rnd.randrange(n)
    j = order[i]
    lo = max((pos[p] for p in c.preds[j]), default=-1) + 1
    hi = min((pos[s] for s in c.succs[j]), default=n) - 1
    k = rnd.randint(lo, hi)
    if k != i:
        del order[i]
        order.insert(k, j)
    return order


#: Individuals in the population.
POPULATION = 150
#: Probability of each neighbour swap in a child (Hartmann's mutation; off by default: the
#: insertion move below did better on PSPLIB j30).
MUTATION = 0.0
#: Probability that a child gets one random insertion move.
INSERTION = 1.0
#: Generations without a better best before the best list gets a local search (once per
#: distinct best schedule): every insertion move, first improvement.
POLISH_AFTER = 3
#: Generations without a better best before the population is re-sampled (elite kept).
STALL_GENERATIONS = 30


class GeneticSearch:
    """The genetic algorithm's state; :meth:`run` may be called again to continue it."""

    def __init__(self, project: Project, *, seed: int, initial: Schedule | None = None,
                 population: int = POPULATION, mutation: float = MUTATION) -> None:
        self.project = project
        self.c = _Compiled(project)
        self.ev = _Evaluator(self.c, justify=True)
        rng = np.random.default_rng(seed)
        self.rnd = random.Random(int(rng.integers(2**62)))
        self.lb = lower_bound(project)
        self.population = max(2, int(population))
        self.mutation = float(mutation)
        self.best = None  # (fitness, start list)
        self.pop: list[tuple] = []  # (fitness, start tuple, activity list), best first
        self.keys: set = set()  # start tuples in the population
        self.stall = 0
        self.polished: set = set()
        self.generations = 0
        self.initial = initial
        self.prio = _priorities(self.c)
        self.started = False
        self.deadline = math.inf
        self.cap = math.inf
        self.stop = None

    @property
    def schedules(self) -> int:
        """Schedule generation passes so far."""
        return self.ev.count

    def proven(self) -> bool:
        """The best schedule meets every constraint and the lower bound."""
        return (self.best is not None and self.best[0][0] == 0
                and self.best[0][1] <= self.lb + _EPS)

    def _done(self) -> bool:
        return (self.proven() or self.ev.count >= self.cap
                or time.perf_counter() >= self.deadline
                or (self.stop is not None and self.stop()))

    def _add(self, order) -> None:
        got = self.ev(order)
        if got is None:
            return
        fit, start, order = got
        if self.best is None or fit < self.best[0]:
            self.best = (fit, start)
        key = tuple(start)
        if key in self.keys:
            return
        self.keys.add(key)
        self.pop.append((fit, key, list(order)))

    def inject(self, starts) -> None:
        """Add the order of a known schedule (e.g. the MILP's) to the population."""
        s = [int(x) for x in starts]
        tp = self.c.topo_pos
        self._add(sorted(range(self.c.n), key=lambda j: (s[j], tp[j])))
        self.pop.sort(key=lambda x: x[0])

    def _polish(self) -> None:
        """First-improvement local search on the best list over every insertion move."""
        c, rnd = self.c, self.rnd
        fit0, key0, order0 = self.pop[0]
        self.polished.add(key0)
        n = c.n
        pos = {j: k for k, j in enumerate(order0)}
        moves = []
        for i, j in enumerate(order0):
            lo = max((pos[p] for p in c.preds[j]), default=-1) + 1
            hi = min((pos[s] for s in c.succs[j]), default=n) - 1
            moves += [(i, k) for k in range(lo, hi + 1) if k != i]
        rnd.shuffle(moves)
        for i, k in moves:
            if self._done():
                return
            child = list(order0)
            j = child.pop(i)
            child.insert(k, j)
            got = self.ev(child)
            if got is None:
                continue
            if got[0] < fit0:
                fit, start, order = got
                if fit < self.best[0]:
                    self.best = (fit, start)
                key = tuple(start)
                if key not in self.keys:
                    self.keys.add(key)
                    self.pop.append((fit, key, list(order)))
                    self.pop.sort(key=lambda x: x[0])
                self.stall = 0
                return

    def _fill(self, alpha_spread: float) -> None:
        tries = 0
        while len(self.pop) < self.population and not self._done() \
                and tries < 4 * self.population:
            tries += 1
            alpha = 1.0 + self.rnd.random() * alpha_spread
            self._add(_sample_list(self.c, self.prio, self.rnd, alpha))
        self.pop.sort(key=lambda x: x[0])

    def _initialise(self) -> None:
        c = self.c
        init = self.initial
        if init is not None and init.starts is not None and len(init.starts) == c.n:
            s0 = [int(x) for x in init.starts]
            self._add(sorted(range(c.n), key=lambda j: (s0[j], c.topo_pos[j])))
        for k, prio in enumerate((self.prio, [float(x) for x in _latest_finishes(c)])):
            if k == 0 or not self._done():  # the priority rule's list even without time
                self._add(_sample_list(c, prio, None))
        self._fill(0.0)
        if not self.pop and not self._done():
            # nothing schedulable by the rules: random lists as a last resort
            self._add(_sample_list(c, [self.rnd.random() for _ in range(c.n)], None))

    def _generation(self) -> None:
        c, rnd, pop = self.c, self.rnd, self.pop
        if len(pop) < 2:
            # too few distinct schedules to mate: sample another list
            self._add(_sample_list(c, self.prio, rnd, 1.0 + rnd.random() * 2))
            return
        before = pop[0][0]
        parents = [x[2] for x in pop]
        rnd.shuffle(parents)
        for k in range(0, len(parents) - 1, 2):
            m, f = parents[k], parents[k + 1]
            q1 = rnd.randrange(c.n + 1)
            q2 = rnd.randrange(c.n + 1)
            if q1 > q2:
                q1, q2 = q2, q1
            for a, b in ((m, f), (f, m)):
                child = _crossover(a, b, q1, q2)
                if self.mutation:
                    child = _mutate(c, child, rnd, self.mutation)
                if rnd.random() < INSERTION:
                    child = _insert_move(c, child, rnd)
                self._add(child)
                if self._done():
                    break
            if self._done():
                break
        # survivors: the best ``population`` distinct schedules of parents and children
        pop.sort(key=lambda x: x[0])
        for x in pop[self.population:]:
            self.keys.discard(x[1])
        del pop[self.population:]
        self.stall = self.stall + 1 if pop[0][0] >= before else 0
        if self.stall >= POLISH_AFTER and pop[0][1] not in self.polished:
            self._polish()
        if self.stall >= STALL_GENERATIONS and len(pop) > 2:
            # diversify: keep the elite quarter, re-sample the rest
            self.stall = 0
            for x in pop[self.population // 4:]:
                self.keys.discard(x[1])
            del pop[self.population // 4:]
            self._fill(2.0)

    def run(self, *, deadline: float = math.inf, max_schedules: float = math.inf,
            stop=None) -> None:
        """Continue the search.

        It stops at ``deadline`` (a ``time.perf_counter()`` value), after ``max_schedules``
        passes in total, when ``stop()`` is true, or when the best schedule is proven optimal.
        """
        self.deadline, self.cap, self.stop = deadline, max_schedules, stop
        if not self.started:
            self.started = True
            self._initialise()
        while self.pop and not self._done():
            self.generations += 1
            self._generation()

    def result(self, runtime_s: float, backend: str = "heuristic") -> Schedule:
        """The best schedule found, as a :class:`Schedule`."""
        log = [f"lower bound {self.lb:g}",
               f"{self.ev.count} schedules, {self.generations} generations, {runtime_s:.2f} s"]
        if self.best is None or self.best[0][0] > 0:
            log.append("no schedule met every constraint" if self.best is None else
                       f"best schedule still {self.best[0][0]} periods late on "
                       "deadlines/milestones")
            return Schedule(None, SolveStatus.NO_SOLUTION, None, self.lb, runtime_s, backend,
                            tuple(log))
        starts = np.array(self.best[1], dtype=np.int64)
        obj = objective_value(self.project, starts)
        status = SolveStatus.OPTIMAL if obj <= self.lb + _EPS else SolveStatus.FEASIBLE
        return Schedule(starts, status, obj, min(self.lb, obj), runtime_s, backend, tuple(log))


def solve_heuristic(project: Project, *, time_limit_s: float = 60.0, seed: int = 0,
                    initial: Schedule | None = None, max_schedules: int | None = None,
                    population: int = POPULATION, mutation: float = MUTATION) -> Schedule:
    """Schedule ``project`` with the genetic algorithm (see the module docstring).

    Parameters
    ----------
    project : Project
    time_limit_s : float
        Wall-clock budget (s); the search also stops at ``max_schedules`` or when a schedule
        reaches :func:`lower_bound`.
    seed : int
        Seed of ``np.random.default_rng``.
    initial : Schedule, optional
        A schedule whose order joins the initial population.
    max_schedules : int, optional
        Cap on schedule generation passes (forward, backward and justification passes each
        count one; the individual in progress may finish a few passes over). With it and a
        time budget that does not bind, runs are reproducible.
    population : int
        Individuals in the population.
    mutation : float
        Probability of each neighbour swap.

    Returns
    -------
    Schedule
        ``OPTIMAL`` when the objective equals the lower bound, ``FEASIBLE`` otherwise,
        ``NO_SOLUTION`` (``starts`` None) when no schedule met every constraint.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 2, (1,))), np.array([1]), (),
    ...             horizon=6)
    >>> s = solve_heuristic(p, time_limit_s=1)
    >>> s.status.value, s.objective
    ('optimal', 4.0)
    """
    t0 = time.perf_counter()
    if project.n == 0:
        return Schedule(np.zeros(0, dtype=np.int64), SolveStatus.OPTIMAL, 0.0, 0.0,
                        time.perf_counter() - t0, "heuristic", ("empty project",))
    search = GeneticSearch(project, seed=seed, initial=initial, population=population,
                     mutation=mutation)
    search.run(deadline=t0 + max(0.0, float(time_limit_s)),
               max_schedules=math.inf if max_schedules is None else max_schedules)
    return search.result(time.perf_counter() - t0)
