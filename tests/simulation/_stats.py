"""Output analysis for simulation tests: batch-means confidence intervals, a FIFO reference.

A steady-state simulation's outputs (here: flow completion times in arrival order) are
correlated, so the textbook ``t * s / sqrt(n)`` interval on the raw values is far too narrow.
The method of batch means (Law & Kelton, *Simulation Modeling and Analysis*, §9.5.3) cuts the
run into ``k`` consecutive batches of equal length; when each batch is much longer than the
correlation time, the batch means are nearly independent and nearly normal, so

    mean ± t(1 - α/2, k - 1) · s_k / sqrt(k)

with ``s_k`` the sample standard deviation of the ``k`` batch means is an approximate
``1 - α`` confidence interval for the steady-state mean.

:func:`fifo_sojourn` is the single-server FIFO queue in closed form (Lindley's recursion), with
no simulator: on the same arrivals and sizes it is a control variate for processor sharing
(both M/M/1 disciplines have the same mean sojourn time).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["batch_means_ci", "fifo_sojourn"]


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
    if batches < 2:
        raise ValueError(f"batches must be >= 2, got {batches}")
    m = len(x) // batches
    if m < 1:
        raise ValueError(f"{len(x)} observations are too few for {batches} batches")
    means = x[len(x) - m * batches:].reshape(batches, m).mean(axis=1)
    grand = float(means.mean())
    half = float(stats.t.ppf(0.5 + level / 2, batches - 1)
                 * means.std(ddof=1) / np.sqrt(batches))
    return grand, grand - half, grand + half


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
