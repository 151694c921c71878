"""Output analysis for simulation tests: batch-means intervals, queueing formulas, references.

A steady-state simulation's outputs (here: flow completion times in arrival order) are
correlated, so the textbook ``t * s / sqrt(n)`` interval on the raw values is far too narrow.
The method of batch means (Law & Kelton, *Simulation Modeling and Analysis*, §9.5.3) cuts the
run into ``k`` consecutive batches of equal length; when each batch is much longer than the
correlation time, the batch means are nearly independent and nearly normal, so

    mean ± t(1 - α/2, k - 1) · s_k / sqrt(k)

with ``s_k`` the sample standard deviation of the ``k`` batch means is an approximate
``1 - α`` confidence interval for the steady-state mean. :func:`batch_regression_ci` does the
same for the least-squares line of sojourn time on size: one line per batch, the interval from
the spread of the ``k`` slopes (intercepts).

:func:`fifo_sojourn` is the single-server FIFO queue in closed form (Lindley's recursion), with
no simulator: on the same arrivals and sizes it is the discipline processor sharing must be told
apart from (same mean under exponential sizes, a different conditional curve ``E[T | S]``
always, a different mean under other sizes: :func:`mg1_fifo_mean_sojourn`).

:func:`one_link_sojourn` drives :class:`netplan.simulation.engine.FlowEngine` with flows on one
shared link, through either of its paths: *fast* (every flow on the same path, one path class)
or *general* (each flow also crosses a private dummy link, so every flow is its own class and
each event re-fills all the classes on the shared link).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = ["SIZE_LAWS", "batch_means_ci", "batch_regression_ci", "draw_sizes", "fifo_sojourn",
           "mg1_fifo_mean_sojourn", "mg1_ps_mean_sojourn", "one_link_sojourn",
           "size_second_moment"]

#: Flow-size laws :func:`draw_sizes` knows, and what their parameter is.
SIZE_LAWS = {"exponential": None, "deterministic": None, "lognormal": "sigma",
             "pareto": "shape"}


def _t_half(values: np.ndarray, level: float) -> float:
    k = len(values)
    return float(stats.t.ppf(0.5 + level / 2, k - 1) * values.std(ddof=1) / math.sqrt(k))


def _batches(n: int, batches: int) -> tuple[int, int]:
    """(first index used, batch length) for ``n`` observations in ``batches`` batches."""
    if batches < 2:
        raise ValueError(f"batches must be >= 2, got {batches}")
    m = n // batches
    if m < 1:
        raise ValueError(f"{n} observations are too few for {batches} batches")
    return n - m * batches, m


def batch_means_ci(x, batches: int = 20, level: float = 0.95) -> tuple[float, float, float]:
    """Grand mean and ``level`` confidence interval of ``x`` from ``batches`` batch means.

    Parameters
    ----------
    x : array_like
        Observations in simulation order (warm-up already removed).
    batches : int
        Number of consecutive batches of equal length, at least 2. When ``len(x)`` is not a
        multiple of it, the first ``len(x) % batches`` observations are left out (the oldest,
        nearest the warm-up).
    level : float
        Confidence level.

    Returns
    -------
    mean, low, high : float
        Mean of the batch means (the mean of the observations used) and the interval.
    """
    x = np.asarray(x, dtype=float)
    first, m = _batches(len(x), batches)
    means = x[first:].reshape(batches, m).mean(axis=1)
    grand = float(means.mean())
    half = _t_half(means, level)
    return grand, grand - half, grand + half


def batch_regression_ci(s, t, batches: int = 20, level: float = 0.95
                        ) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """Slope and intercept of the least-squares line ``t ≈ a + b s``, with batch intervals.

    The observations are cut into ``batches`` consecutive batches as in :func:`batch_means_ci`;
    each batch gets its own least-squares line; the estimates are the means of the ``batches``
    slopes and intercepts, the intervals Student t on their spread. (One line per batch, not
    one line for all: the points within a batch are correlated and heteroscedastic, the
    batches nearly independent.)

    Parameters
    ----------
    s, t : array_like
        Regressor (flow size) and response (sojourn time), in simulation order, same length.
    batches : int
        Number of batches, at least 2.
    level : float
        Confidence level of each interval.

    Returns
    -------
    (slope, low, high), (intercept, low, high) : tuple of float
    """
    s = np.asarray(s, dtype=float)
    t = np.asarray(t, dtype=float)
    if s.shape != t.shape:
        raise ValueError(f"s and t differ in shape: {s.shape} and {t.shape}")
    first, m = _batches(len(s), batches)
    sb = s[first:].reshape(batches, m)
    tb = t[first:].reshape(batches, m)
    sm = sb.mean(axis=1, keepdims=True)
    tm = tb.mean(axis=1, keepdims=True)
    slopes = ((sb - sm) * (tb - tm)).sum(axis=1) / ((sb - sm) ** 2).sum(axis=1)
    intercepts = tm[:, 0] - slopes * sm[:, 0]
    out = []
    for v in (slopes, intercepts):
        mean = float(v.mean())
        half = _t_half(v, level)
        out.append((mean, mean - half, mean + half))
    return out[0], out[1]


def fifo_sojourn(gaps_s, service_s) -> np.ndarray:
    """Sojourn times in a single-server FIFO queue, in arrival order.

    Parameters
    ----------
    gaps_s : array_like
        Time from the previous arrival (from 0 for the first).
    service_s : array_like
        Service time of each customer.

    Notes
    -----
    Departures follow Lindley's recursion ``D[i] = max(D[i-1], A[i]) + s[i]``; unrolled,
    ``D[i] = cs[i] + max over k <= i of (A[k] - cs[k-1])`` with ``cs`` the cumulative service
    times: one running maximum, no loop.
    """
    arrive = np.cumsum(np.asarray(gaps_s, dtype=float))
    service = np.asarray(service_s, dtype=float)
    cs = np.cumsum(service)
    return cs + np.maximum.accumulate(arrive - (cs - service)) - arrive


# ---------------------------------------------------------------------------- M/G/1


def draw_sizes(law: str, mean: float, n: int, rng: np.random.Generator,
               param: float | None = None) -> np.ndarray:
    """``n`` flow sizes of the given ``mean`` from one of :data:`SIZE_LAWS`.

    ``lognormal``: ``param`` is σ of the log (μ = ln(mean) − σ²/2). ``pareto``: ``param`` is
    the shape α > 1; the scale is ``mean (α − 1) / α`` (numpy's ``pareto`` is the Lomax law,
    shifted by 1 here to the classic Pareto on ``[scale, ∞)``).
    """
    if law == "exponential":
        return rng.exponential(mean, n)
    if law == "deterministic":
        return np.full(n, float(mean))
    if law == "lognormal":
        return rng.lognormal(math.log(mean) - param ** 2 / 2, param, n)
    if law == "pareto":
        if not param > 1:
            raise ValueError(f"pareto shape must be > 1 for a finite mean, got {param}")
        return (1.0 + rng.pareto(param, n)) * (mean * (param - 1) / param)
    raise ValueError(f"unknown size law {law!r}; one of {sorted(SIZE_LAWS)}")


def size_second_moment(law: str, mean: float, param: float | None = None) -> float:
    """``E[S²]`` of :func:`draw_sizes`'s law (``inf`` for a Pareto of shape ≤ 2).

    Exponential ``2 m²``; deterministic ``m²``; lognormal ``m² exp(σ²)``; Pareto of shape α
    and scale ``x_m``: ``α x_m² / (α − 2)``.
    """
    if law == "exponential":
        return 2.0 * mean ** 2
    if law == "deterministic":
        return float(mean) ** 2
    if law == "lognormal":
        return mean ** 2 * math.exp(param ** 2)
    if law == "pareto":
        if param <= 2:
            return math.inf
        xm = mean * (param - 1) / param
        return param * xm ** 2 / (param - 2)
    raise ValueError(f"unknown size law {law!r}; one of {sorted(SIZE_LAWS)}")


def mg1_ps_mean_sojourn(lam_per_s: float, mean_mbit: float, capacity_mbps: float) -> float:
    """M/G/1-PS mean sojourn ``E[S] / (C (1 − ρ))``, ρ = λ E[S] / C, for every size law.

    Insensitivity (Kleinrock, *Queueing Systems* vol. 2, §4.4; Sakata, Noguchi and Oizumi
    1971): under processor sharing a flow of size ``s`` takes ``s / (C (1 − ρ))`` on average,
    whatever the size distribution beyond its mean.
    """
    rho = lam_per_s * mean_mbit / capacity_mbps
    return mean_mbit / (capacity_mbps * (1.0 - rho))


def mg1_fifo_mean_sojourn(lam_per_s: float, mean_mbit: float, second_moment_mbit2: float,
                          capacity_mbps: float) -> float:
    """M/G/1-FIFO mean sojourn by Pollaczek–Khinchine: ``E[X] + λ E[X²] / (2 (1 − ρ))``.

    ``X = S / C`` is the service time; the mean wait grows with the second moment of the
    sizes, so (unlike PS) FIFO's mean depends on the size law beyond its mean.
    """
    rho = lam_per_s * mean_mbit / capacity_mbps
    ex = mean_mbit / capacity_mbps
    ex2 = second_moment_mbit2 / capacity_mbps ** 2
    return ex + lam_per_s * ex2 / (2.0 * (1.0 - rho))


def one_link_sojourn(gaps_s, sizes_mbit, capacity_mbps: float, *, general: bool = False,
                     dummy_mbps: float | None = None, pool: int = 4096,
                     chunk: int = 100_000) -> tuple[np.ndarray, np.ndarray, dict]:
    """Sojourn times of flows arriving after ``gaps_s`` on one link of the engine, in order.

    Parameters
    ----------
    gaps_s, sizes_mbit : array_like
        Interarrival times (s) and sizes (Mbit), one per flow.
    capacity_mbps : float
        Capacity of the shared link (link 0).
    general : bool
        ``False``: every flow's path is ``(0,)``, one path class (the engine's fast path).
        ``True``: flow ``i``'s path is ``(d, 0)`` with ``d`` a dummy link of ``dummy_mbps``
        that no other active flow crosses (taken from a pool of ``pool`` links, given back
        when the flow ends), so each flow is its own path class.
    dummy_mbps : float, optional
        Capacity of the dummy links; default ``1000 × capacity_mbps``: never a bottleneck,
        as no flow can exceed the shared link's capacity.
    chunk : int
        Draws are turned into Python floats this many at a time (memory).

    Returns
    -------
    sojourn_s : numpy.ndarray
        End minus start of every flow (the engine adds no round trip).
    start_s : numpy.ndarray
        Start of every flow (``numpy.cumsum(gaps_s)``, up to rounding).
    stats : dict
        The engine's counters, and ``wall_s``, the wall time of the run.
    """
    import time

    import simpy

    from netplan.simulation.engine import FlowEngine

    gaps = np.asarray(gaps_s, dtype=float)
    sizes = np.asarray(sizes_mbit, dtype=float)
    n = len(gaps)
    env = simpy.Environment()
    dummies = [dummy_mbps or 1000.0 * capacity_mbps] * (pool if general else 0)
    eng = FlowEngine(env, [float(capacity_mbps)] + dummies)
    start = np.empty(n)
    end = np.full(n, np.nan)
    free = list(range(pool, 0, -1))
    held: dict[int, int] = {}

    def done(flow, t):
        end[flow.flow_id] = t

    def done_general(flow, t):
        end[flow.flow_id] = t
        free.append(held.pop(flow.flow_id))

    def source():
        for c0 in range(0, n, chunk):
            c1 = min(n, c0 + chunk)
            for i, gap, size in zip(range(c0, c1), gaps[c0:c1].tolist(),
                                    sizes[c0:c1].tolist(), strict=True):
                yield env.timeout(gap)
                start[i] = env.now
                if general:
                    if not free:
                        raise RuntimeError(f"more than {pool} flows at once: raise pool")
                    d = held[i] = free.pop()
                    eng.start(i, (d, 0), size, on_done=done_general)
                else:
                    eng.start(i, (0,), size, on_done=done)

    env.process(source())
    t0 = time.perf_counter()
    env.run()  # arrivals stop after n: every flow finishes
    wall = time.perf_counter() - t0
    if eng.flows or np.isnan(end).any():
        raise RuntimeError(f"{len(eng.flows)} flows never finished")
    return end - start, start, dict(eng.stats, wall_s=wall)
