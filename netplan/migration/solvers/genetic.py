"""The genetic search of the heuristic scheduler.

A genetic algorithm on activity lists (Hartmann 1998, "A competitive genetic algorithm for
resource-constrained project scheduling", NRL 45): an initial population by regret-based
biased random sampling on latest-finish priorities (weight-per-period priorities for the
weighted-completion objective), two-point activity-list crossover, a random insertion move in
every child (Hartmann's neighbour swaps are available but off: on the hardest PSPLIB j30
groups the insertion move found 209 of 240 optima against 197 at 20,000 schedules), truncation
selection over parents and children without duplicate schedules, and, for the makespan, every
schedule double-justified with the justified order written back into the individual. When the
best schedule has not improved for a few generations it gets a first-improvement local search
over all insertion moves; a long stall re-samples all but the elite. The search runs until the
time budget, a cap on schedules, or a schedule whose objective equals the lower bound, and it
can be resumed (the MILP backend does, after its MILP stage).

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
from dataclasses import replace

import numpy as np

from netplan.migration.project import Project, Schedule, SolveStatus, objective_value
from netplan.migration.solve import TIME_LIMIT, WORK_LIMIT
from netplan.migration.solvers.bounds import _lft, _priorities, lower_bound
from netplan.migration.solvers.sgs import _EPS, _Compiled, _Evaluator, _order_of, _sample_list

__all__ = ["GeneticSearch", "solve_heuristic", "POPULATION", "MUTATION"]


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
        self._add(_order_of(self.c, starts))
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
            self._add(_order_of(c, init.starts))
        for k, prio in enumerate((self.prio, _lft(self.project))):
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
        ``NO_SOLUTION`` (``starts`` None) when no schedule met every constraint;
        ``stopped_by`` says whether ``max_schedules`` or the clock ended an unproven search.

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
    cap = math.inf if max_schedules is None else max_schedules
    search.run(deadline=t0 + max(0.0, float(time_limit_s)), max_schedules=cap)
    res = search.result(time.perf_counter() - t0)
    if search.proven():
        return res
    return replace(res, stopped_by=WORK_LIMIT if search.schedules >= cap else TIME_LIMIT)
