"""Flow-level network engine on SimPy: links share their capacity max-min fairly among flows.

A *flow* moves a number of megabits along a path of links. At every moment each link's capacity
is shared among the flows crossing it by max-min fairness (progressive filling): a flow's rate
is set by its bottleneck, the link where it has the largest share and which is full. On one
link this is processor sharing (every flow gets ``C / n``). Rates change only when a flow starts,
ends, is rerouted, or a link's capacity changes; between those events every flow moves at a
constant rate, so the engine jumps from event to event (no time steps).

Three things keep it fast enough for a whole city's busy hour:

- **Path classes.** Flows with the same path (and rate cap) always get the same rate, so they
  are kept together: a class has one rate and a *virtual clock* ``V`` (megabits each of its flows
  has received since the class began). A flow that starts at ``V0`` with ``s`` megabits ends when
  ``V`` reaches ``V0 + s``; a class keeps its flows in a heap of those finishing values. An
  arrival or departure on a processor-sharing link is then ``O(log n)``, not ``O(n)``.
- **Incremental allocation.** After an event only the classes *coupled* to it are re-allocated:
  the closure of the classes sharing a full (saturated) link with those touched, before or after
  the change. Classes outside the closure share with it only links that stay below capacity, so
  their rates do not change; the result equals a recomputation of everything
  (:func:`max_min_rates` is that reference, and the tests compare the two).
- **One timer.** Next finishes are kept in a heap (lazy deletion); one SimPy timeout is pending
  for the earliest.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence

import simpy

__all__ = ["Flow", "FlowEngine", "max_min_rates"]

_EPS = 1e-9  # relative tolerance: a link is full when its load is within this of capacity
_ABS_MBPS = 1e-9  # absolute tolerance on residual capacity (rounding residue is not capacity)
_TIME_EPS = 1e-9  # s: finishes this close to now are now


class Flow:
    """One transfer in the engine. Read its fields; the engine sets them.

    Attributes
    ----------
    flow_id : int
        The caller's id, unique among active flows.
    size_mbit : float
        Size in megabits.
    start_s : float
        When the flow started.
    end_s : float
        When it ended (NaN while active or when aborted).
    path : tuple of int
        Link indices crossed.
    """

    __slots__ = ("flow_id", "size_mbit", "start_s", "end_s", "cls", "v_end", "on_done")

    def __init__(self, flow_id: int, size_mbit: float, start_s: float,
                 on_done: Callable[[Flow, float], None] | None):
        self.flow_id = flow_id
        self.size_mbit = size_mbit
        self.start_s = start_s
        self.end_s = math.nan
        self.cls: _Class | None = None
        self.v_end = 0.0
        self.on_done = on_done

    @property
    def path(self) -> tuple[int, ...]:
        """Link indices the flow crosses now (empty once it has ended)."""
        return self.cls.path if self.cls is not None else ()

    def __repr__(self) -> str:
        return f"Flow({self.flow_id}, size_mbit={self.size_mbit:.6g}, path={self.path})"


class _Class:
    """Active flows sharing one path and rate cap: one rate, one virtual clock.

    Hashed by its creation number, so that sets of classes iterate in the same order in every
    run (sums of rates then round the same way: the same seed gives the same numbers, bit for
    bit, not just nearly).
    """

    __slots__ = ("seq", "key", "path", "cap_mbps", "n", "rate", "vtime", "t_last", "heap",
                 "version")

    def __init__(self, seq: int, key, path: tuple[int, ...], cap_mbps: float, now: float):
        self.seq = seq
        self.key = key
        self.path = path
        self.cap_mbps = cap_mbps
        self.n = 0
        self.rate = 0.0
        self.vtime = 0.0
        self.t_last = now
        self.heap: list[tuple[float, int, Flow]] = []
        self.version = 0

    def __hash__(self) -> int:
        return self.seq

    def advance(self, now: float) -> None:
        if now > self.t_last:
            self.vtime += self.rate * (now - self.t_last)
            self.t_last = now


class FlowEngine:
    """Flows over links of given capacities, driven by a SimPy environment.

    Parameters
    ----------
    env : simpy.Environment
        The clock; time is in seconds.
    capacity_mbps : sequence of float
        Capacity of each link, indexed ``0 .. n-1``. A capacity of 0 is a link that is down.

    Examples
    --------
    Two flows of 100 Mb on one 100 Mbps link share it, 50 Mbps each, and end at 2 s:

    >>> import simpy
    >>> env = simpy.Environment()
    >>> eng = FlowEngine(env, [100.0])
    >>> ends = {}
    >>> for i in (0, 1):
    ...     _ = eng.start(i, (0,), 100.0, on_done=lambda f, t: ends.__setitem__(f.flow_id, t))
    >>> env.run()
    >>> ends
    {0: 2.0, 1: 2.0}
    """

    def __init__(self, env: simpy.Environment, capacity_mbps: Sequence[float]):
        self.env = env
        self.capacity = [float(c) for c in capacity_mbps]
        n = len(self.capacity)
        self.load = [0.0] * n
        self.on_link: list[set[_Class]] = [set() for _ in range(n)]
        self.flows: dict[int, Flow] = {}
        self._classes: dict[tuple, _Class] = {}
        self._heap: list[tuple[float, int, int, _Class]] = []
        self._seq = 0
        self._timer: simpy.Event | None = None
        self._timer_at = math.inf
        #: Counters: flows started/finished/aborted, allocations, classes re-allocated in all
        #: (``started == finished + aborted + len(flows)``: the rest are still active).
        self.stats = {"started": 0, "finished": 0, "aborted": 0, "allocations": 0,
                      "reallocated": 0}

    # ------------------------------------------------------------------ public

    @property
    def n_links(self) -> int:
        """Number of links."""
        return len(self.capacity)

    def rate_mbps(self, flow_id: int) -> float:
        """Current rate of an active flow."""
        return self.flows[flow_id].cls.rate

    def remaining_mbit(self, flow_id: int) -> float:
        """Megabits an active flow has left to send, now."""
        f = self.flows[flow_id]
        c = f.cls
        return max(0.0, f.v_end - c.vtime - c.rate * (self.env.now - c.t_last))

    def start(self, flow_id: int, path: Sequence[int], size_mbit: float, *,
              cap_mbps: float = math.inf,
              on_done: Callable[[Flow, float], None] | None = None) -> Flow:
        """Start a flow of ``size_mbit`` megabits along ``path`` now.

        ``on_done(flow, time_s)`` is called when its last bit has crossed. A flow with an empty
        path and no cap ends at once.
        """
        if flow_id in self.flows:
            raise ValueError(f"flow {flow_id} is already active")
        if not size_mbit > 0:
            raise ValueError(f"flow {flow_id}: size_mbit must be > 0, got {size_mbit}")
        now = self.env.now
        f = Flow(flow_id, float(size_mbit), now, on_done)
        self.stats["started"] += 1
        path = tuple(path)
        if not path and math.isinf(cap_mbps):
            self._finish_now(f, now)
            return f
        self.flows[flow_id] = f
        self._join(f, path, float(cap_mbps), f.size_mbit)
        return f

    def transfer(self, flow_id: int, path: Sequence[int], size_mbit: float, *,
                 cap_mbps: float = math.inf) -> simpy.Event:
        """Start a flow; return a SimPy event that succeeds with its end time when it ends.

        In a process: ``t_end = yield engine.transfer(7, path, 800.0)``.
        """
        done = self.env.event()
        self.start(flow_id, path, size_mbit, cap_mbps=cap_mbps,
                   on_done=lambda _f, t: done.succeed(t))
        return done

    def set_capacity(self, link: int, capacity_mbps: float) -> None:
        """Change a link's capacity now (a fault, a repair, a degradation)."""
        full_before = self._full(link)
        self.capacity[link] = float(capacity_mbps)
        self._allocate(set(self.on_link[link]), [link] if full_before else [])

    def reroute(self, flow_id: int, path: Sequence[int]) -> None:
        """Move an active flow onto another path now, with what it has left to send."""
        f = self.flows[flow_id]
        left = self.remaining_mbit(flow_id)
        old = f.cls
        cap = old.cap_mbps
        full = self._leave(f)
        self._join(f, tuple(path), cap, left, full, also=old)

    def abort(self, flow_id: int) -> float:
        """Take an active flow out now, unfinished; return the megabits it had left."""
        left = self.remaining_mbit(flow_id)
        f = self.flows.pop(flow_id)
        self.stats["aborted"] += 1
        c = f.cls
        full = self._leave(f)
        rest = {c} if c.n else set()  # its class's next finish may have been this flow's
        self._allocate(rest, full, touched=rest)
        return left

    def utilisation(self) -> list[float]:
        """Load over capacity of every link now (0 for a link that is down)."""
        return [ld / c if c > 0 else 0.0 for ld, c in zip(self.load, self.capacity, strict=True)]

    # ------------------------------------------------------------------ classes

    def _join(self, f: Flow, path: tuple[int, ...], cap: float, size: float,
              full: list[int] | None = None, also: _Class | None = None) -> None:
        now = self.env.now
        key = (path, cap)
        c = self._classes.get(key)
        if c is None:
            self._seq += 1
            c = self._classes[key] = _Class(self._seq, key, path, cap, now)
            for link in path:
                self.on_link[link].add(c)
        c.advance(now)
        f.cls = c
        f.v_end = c.vtime + size
        self._seq += 1
        heapq.heappush(c.heap, (f.v_end, self._seq, f))
        c.n += 1
        # the class gets the newcomer's share from the allocation (its rate changes), or, if
        # that leaves its rate as it was, the newcomer may finish before the class's next
        if c.rate > 0.0:
            for link in path:
                self.load[link] += c.rate
        seed = {c} | ({also} if also is not None and also.n else set())
        self._allocate(seed, full or [], touched=seed)

    def _leave(self, f: Flow) -> list[int]:
        """Take ``f`` out of its class (lazily from the class heap); return links full before."""
        c = f.cls
        full = [link for link in c.path if self._full(link)]
        c.advance(self.env.now)
        c.n -= 1
        f.cls = None
        if c.rate > 0.0:
            for link in c.path:
                self.load[link] -= c.rate
        if c.n == 0:
            self._drop_class(c)
        return full

    def _drop_class(self, c: _Class) -> None:
        del self._classes[c.key]
        for link in c.path:
            s = self.on_link[link]
            s.discard(c)
            if not s:
                self.load[link] = 0.0
        c.version += 1
        c.heap.clear()

    # ------------------------------------------------------------------ allocation

    def _full(self, link: int) -> bool:
        return bool(self.on_link[link]) and self.load[link] >= self.capacity[link] * (1.0 - _EPS)

    def _allocate(self, seed: set[_Class], full_links: Iterable[int],
                  touched: set[_Class] = frozenset()) -> None:
        """Re-allocate the closure of ``seed`` and the classes on ``full_links`` (see module)."""
        on_link = self.on_link
        group = {c for c in seed if c.n}
        expanded: set[int] = set()
        force = set(full_links)  # links full before the change, or filled by the new rates
        todo = list(force)
        for c in group:
            todo.extend(c.path)
        while True:
            while todo:  # close the group over links that are full (before or after)
                link = todo.pop()
                if link in expanded or not (link in force or self._full(link)):
                    continue
                expanded.add(link)
                for g in on_link[link]:
                    if g not in group:
                        group.add(g)
                        todo.extend(g.path)
            rates, new_load = _fill(group, self.capacity, self.load)
            todo = [link for link, ld in new_load.items()
                    if link not in expanded and ld >= self.capacity[link] * (1.0 - _EPS)
                    and any(g not in group for g in on_link[link])]
            if not todo:
                break
            force.update(todo)
        self.stats["allocations"] += 1
        self.stats["reallocated"] += len(group)
        self._commit(rates, touched)

    def _commit(self, rates: dict[_Class, float], touched: set[_Class]) -> None:
        """Set the new rates; re-schedule classes whose rate or flows changed."""
        now = self.env.now
        load = self.load
        for c, r in rates.items():
            old = c.rate
            if r == old and c not in touched:
                continue
            c.advance(now)
            if r != old:
                delta = (r - old) * c.n
                for link in c.path:
                    load[link] += delta
                c.rate = r
            self._schedule(c, now)
        self._arm()

    def _schedule(self, c: _Class, now: float) -> None:
        """Put the class's next finish on the engine heap (its older entries become stale)."""
        c.version += 1
        heap = c.heap
        while heap and not _current(heap[0], c):
            heapq.heappop(heap)  # flows that left (rerouted or aborted)
        if heap and c.rate > 0.0:
            self._seq += 1
            t = now + max(0.0, heap[0][0] - c.vtime) / c.rate
            heapq.heappush(self._heap, (t, self._seq, c.version, c))

    # ------------------------------------------------------------------ completions

    def _arm(self) -> None:
        heap = self._heap
        while heap and heap[0][3].version != heap[0][2]:
            heapq.heappop(heap)
        if not heap:
            return
        t = heap[0][0]
        if self._timer is not None and self._timer_at <= t:
            return
        ev = self.env.timeout(max(0.0, t - self.env.now))
        ev.callbacks.append(self._on_timer)
        self._timer = ev
        self._timer_at = t

    def _on_timer(self, ev: simpy.Event) -> None:
        if ev is not self._timer:
            return  # superseded by an earlier timer
        self._timer = None
        self._timer_at = math.inf
        now = self.env.now
        heap = self._heap
        done: list[Flow] = []
        full: list[int] = []
        seed: set[_Class] = set()
        while heap and heap[0][0] <= now + _TIME_EPS:
            _, _, version, c = heapq.heappop(heap)
            if c.version != version:
                continue
            c.advance(now)
            tol = c.vtime + max(c.rate * _TIME_EPS, 1e-12 * c.vtime)
            full.extend(link for link in c.path if self._full(link))
            k = 0
            while c.heap and (not _current(c.heap[0], c) or c.heap[0][0] <= tol):
                entry = heapq.heappop(c.heap)
                f = entry[2]
                if _current(entry, c):
                    done.append(f)
                    f.cls = None
                    k += 1
            c.n -= k
            if c.rate > 0.0:
                for link in c.path:
                    self.load[link] -= c.rate * k
            if c.n == 0:
                self._drop_class(c)
            else:
                seed.add(c)
        if done:
            for f in done:
                del self.flows[f.flow_id]
            self._allocate(seed, full, touched=seed)
            for f in done:
                self._finish_now(f, now)
        else:  # entries for flows that had left: the classes' next finishes come later
            for c in seed:
                self._schedule(c, now)
            self._arm()

    def _finish_now(self, f: Flow, now: float) -> None:
        f.end_s = now
        self.stats["finished"] += 1
        if f.on_done is not None:
            f.on_done(f, now)


def _current(entry: tuple[float, int, Flow], c: _Class) -> bool:
    """Whether a class-heap entry is still its flow's (not left behind by a reroute or abort)."""
    f = entry[2]
    return f.cls is c and f.v_end == entry[0]


def _fill(group: set[_Class], capacity: list[float], load: list[float]
          ) -> tuple[dict[_Class, float], dict[int, float]]:
    """Max-min fair rates of ``group`` by progressive filling, with the other classes' load fixed.

    Every class has ``n`` flows that get the same rate. Returns the rates and, for every link the
    group crosses, its load under the new rates.
    """
    resid: dict[int, float] = {}
    members: dict[int, list[_Class]] = {}
    for c in group:
        own = c.rate * c.n
        for link in c.path:
            if link in members:
                members[link].append(c)
                resid[link] += own
            else:
                members[link] = [c]
                resid[link] = capacity[link] - load[link] + own
    for link, r in resid.items():  # rounding residue on a full or dead link is no capacity
        if r <= capacity[link] * _EPS + _ABS_MBPS:
            resid[link] = 0.0
    outside = {link: capacity[link] - r for link, r in resid.items()}
    count = {link: sum(c.n for c in m) for link, m in members.items()}
    rates: dict[_Class, float] = {}
    capped = sorted((c for c in group if c.cap_mbps < math.inf), key=lambda c: c.cap_mbps)
    ci = 0
    level = 0.0
    active = {link for link, k in count.items() if k}
    n_left = len(group)
    while n_left:
        delta = math.inf
        for link in active:
            share = resid[link] / count[link]
            if share < delta:
                delta = share
        while ci < len(capped) and capped[ci] in rates:
            ci += 1
        if ci < len(capped):
            delta = min(delta, capped[ci].cap_mbps - level)
        if delta == math.inf:  # classes with no links and no cap: nothing limits them
            for c in group:
                rates.setdefault(c, math.inf)
            break
        delta = max(delta, 0.0)
        level += delta
        frozen: list[_Class] = []
        for link in list(active):
            resid[link] -= delta * count[link]
            if resid[link] <= capacity[link] * _EPS + _ABS_MBPS:
                resid[link] = 0.0
                for c in members[link]:
                    if c not in rates:
                        rates[c] = level
                        frozen.append(c)
        while ci < len(capped) and (capped[ci] in rates
                                    or capped[ci].cap_mbps <= level * (1 + _EPS)):
            c = capped[ci]
            if c not in rates:
                rates[c] = min(level, c.cap_mbps)
                frozen.append(c)
            ci += 1
        for c in frozen:
            for link in c.path:
                count[link] -= c.n
                if count[link] <= 0:
                    active.discard(link)
        n_left -= len(frozen)
        if not frozen and not active:
            break
    new_load = outside
    for c, r in rates.items():
        if r < math.inf:
            for link in c.path:
                new_load[link] += r * c.n
    return rates, new_load


def max_min_rates(paths: Sequence[Sequence[int]], capacity_mbps: Sequence[float],
                  cap_mbps: Sequence[float] | None = None) -> list[float]:
    """Max-min fair rates of flows with the given paths, computed from scratch.

    The reference the incremental engine is checked against (and a handy calculator).

    Parameters
    ----------
    paths : sequence of sequences of int
        Link indices of each flow.
    capacity_mbps : sequence of float
        Capacity of each link.
    cap_mbps : sequence of float, optional
        A rate cap per flow.

    Examples
    --------
    Flows A (links 0, 1), B (link 0) and C (link 1); link 0 has 10 Mbps, link 1 has 4:
    A and C split link 1 (2 each), B takes the rest of link 0 (8).

    >>> max_min_rates([(0, 1), (0,), (1,)], [10.0, 4.0])
    [2.0, 8.0, 2.0]
    """
    caps = list(cap_mbps) if cap_mbps is not None else [math.inf] * len(paths)
    classes = []
    for i, (p, cap) in enumerate(zip(paths, caps, strict=True)):
        c = _Class(i, i, tuple(p), float(cap), 0.0)
        c.n = 1
        classes.append(c)
    rates, _ = _fill(set(classes), [float(c) for c in capacity_mbps],
                     [0.0] * len(capacity_mbps))
    return [rates[c] for c in classes]
