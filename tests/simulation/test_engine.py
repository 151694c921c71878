"""Tests of the flow-level engine (:mod:`netplan.simulation.engine`) against independent answers.

Every expected number here comes from somewhere other than the engine:

- **Queueing theory.** One link of capacity ``C`` Mbps shared by processor sharing, Poisson
  arrivals at rate ``λ`` per second, exponential sizes of mean ``S`` Mbit, is an M/M/1-PS queue
  with service rate ``μC`` (``μ = 1/S``). Its mean sojourn time (the flow completion time) is
  the M/M/1 one, ``E[T] = 1 / (μC − λ) = S / (C − λS)`` (Kleinrock, *Queueing Systems* vol. 2,
  §4.4: under PS the number in system has the same geometric law as under FIFO, and Little's
  law gives the mean). The simulated mean, after a warm-up, must be within 2 % of it and the
  95 % batch-means confidence interval (:func:`tests.simulation._stats.batch_means_ci`) must
  contain it; and, as a sharper check, the PS mean less the FIFO mean of the same flows
  (Lindley's recursion) must be within 1 % of 0.
- **Processor sharing, not just any work-conserving queue.** That mean is the same for every
  discipline blind to sizes (FIFO included), so it cannot tell PS from FIFO. What can: the
  conditional sojourn ``E[T | S = s] = s / (C (1 − ρ))``, a line through 0 (FIFO's is
  ``E[W] + s / C``), regressed on the same runs; and insensitivity, the M/G/1-PS mean
  ``E[S] / (C (1 − ρ))`` under deterministic, lognormal and Pareto sizes, where FIFO's
  Pollaczek–Khinchine mean moves with ``E[S²]``. Each check is also applied to the FIFO queue
  of the same flows (Lindley), which must fail it: a FIFO engine would.
- **Both engine paths.** The theory runs through the one-class fast path (every flow on the
  same path) and through the general path (each flow also crosses a private dummy link, so
  the shared link carries one class per flow and every event re-fills all of them); the two
  give every flow the same sojourn, and each event re-allocates exactly the classes the
  closure must take (counted from the run).
- **Hand computation.** Small networks (two links; a village → town → county chain; a link
  going down and a flow rerouted; an abort) whose max-min rates are derived by progressive
  filling in the comments, and whose completion times follow piecewise: between events every
  rate is constant, so a flow's remaining megabits fall linearly.
- **A second method.** A randomized run (arrivals, capacity changes, reroutes, aborts) whose
  incrementally maintained rates are compared, at many moments, with
  :func:`netplan.simulation.engine.max_min_rates` recomputed from scratch on the flows active
  then (itself checked against a naive flow-by-flow water filling written here, since it
  shares the engine's ``_fill``); each flow's progress is integrated outside the engine from
  the rates it shows, so ends and ``remaining_mbit``/``abort`` are checked too; plus
  conservation: every flow started ends or is aborted, exactly once, and no link ever carries
  more than its capacity.
- **Determinism.** :func:`netplan.simulation.simulate.simulate_traffic` with a seed is
  reproducible, and a different seed changes the result.

Three regression tests, with hand-computed answers, pin engine bugs these tests found: a
class's pending end lost when another flow leaves it (abort or reroute), an endless loop in the
allocation on a dead (capacity 0) link, and flows on a dead link that kept moving at ~1e-16
Mbps. The randomized runs used to hit the first two now and then; a watchdog makes a hang fail
the test instead of blocking it.
"""

import contextlib
import math
import signal

import numpy as np
import pandas as pd
import pytest
import simpy

from netplan.examples import tiny_scenario
from netplan.simulation.engine import FlowEngine, max_min_rates
from netplan.simulation.simulate import simulate_traffic
from tests.simulation._stats import (
    batch_means_ci,
    batch_regression_ci,
    draw_sizes,
    fifo_sojourn,
    mg1_fifo_mean_sojourn,
    mg1_ps_mean_sojourn,
    one_link_sojourn,
    size_second_moment,
)

# ---------------------------------------------------------------------------- batch means


def test_batch_means_ci_by_hand():
    # x = 1..6 in 3 batches: batch means 1.5, 3.5, 5.5; mean 3.5; their sample sd is 2;
    # t(0.975, 2) = 4.302652729911275 (printed tables: 4.303): half-width 4.3027 * 2 / sqrt(3)
    mean, lo, hi = batch_means_ci([1, 2, 3, 4, 5, 6], batches=3)
    half = 4.302652729911275 * 2.0 / math.sqrt(3.0)
    assert mean == pytest.approx(3.5)
    assert (lo, hi) == pytest.approx((3.5 - half, 3.5 + half))
    # a 7th value does not fit 3 equal batches: the oldest one is left out
    assert batch_means_ci([100, 1, 2, 3, 4, 5, 6], batches=3) == pytest.approx((mean, lo, hi))


def test_batch_means_ci_covers_on_iid_normal_data():
    # iid N(3, 2^2): batch means are exactly iid normal, so the interval is exact. Its
    # half-width is about t(0.975, 19) * 2 / sqrt(n) and it covers 3 in 95 % of the runs:
    # over 400 runs the count is Binomial(400, 0.95), mean 380, sd 4.4.
    rng = np.random.default_rng(7)
    n, runs = 2000, 400
    covered = 0
    halves = []
    for _ in range(runs):
        x = rng.normal(3.0, 2.0, n)
        mean, lo, hi = batch_means_ci(x, batches=20)
        assert mean == pytest.approx(x.mean())
        covered += lo <= 3.0 <= hi
        halves.append((hi - lo) / 2)
    assert 365 <= covered <= 395
    assert np.mean(halves) == pytest.approx(2.093 * 2.0 / math.sqrt(n), rel=0.05)


def test_batch_means_ci_rejects_too_few():
    with pytest.raises(ValueError):
        batch_means_ci([1.0, 2.0], batches=3)
    with pytest.raises(ValueError):
        batch_means_ci([1.0, 2.0, 3.0], batches=1)


# ---------------------------------------------------------------------------- M/M/1-PS

# One 10 Mbps link, flows of mean 4 Mbit: μC = 2.5 flows/s. λ = ρ μC.
MM1_CAPACITY = 10.0
MM1_MEAN_MBIT = 4.0


def mm1_draws(rho: float, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Interarrival times (s) and sizes (Mbit) of ``n`` flows at load ``rho``."""
    lam = rho * MM1_CAPACITY / MM1_MEAN_MBIT
    rng = np.random.default_rng(seed)
    return rng.exponential(1.0 / lam, n), rng.exponential(MM1_MEAN_MBIT, n)


def engine_sojourn(gaps: np.ndarray, sizes: np.ndarray, general: bool = False) -> np.ndarray:
    """Sojourn times of flows arriving after ``gaps`` on one link of the engine, in order."""
    t, _, st = one_link_sojourn(gaps, sizes, MM1_CAPACITY, general=general)
    assert st["finished"] == len(gaps)
    return t


def test_fifo_sojourn_by_hand():
    # arrivals at 1, 2, 7 s; 20, 5, 10 Mbit on 10 Mbps: services 2, 0.5, 1 s. The first leaves
    # at 3, the second waits for it and leaves at 3.5, the third finds the link idle, leaves
    # at 8: sojourns 2, 1.5, 1.
    t = fifo_sojourn([1.0, 1.0, 5.0], np.array([20.0, 5.0, 10.0]) / 10.0)
    assert t == pytest.approx([2.0, 1.5, 1.0])


def test_batch_regression_ci_by_hand():
    # Two batches of three points, s = 0, 1, 2 in each.
    #   batch 1: t = 1, 2, 6. Means s 1, t 3; Σ(s-1)(t-3) = (-1)(-2) + 0 + (1)(3) = 5,
    #            Σ(s-1)² = 2: slope 2.5, intercept 3 - 2.5 = 0.5.
    #   batch 2: t = 0, 2, 1. Means 1, 1; Σ = (-1)(-1) + 0 + (1)(0) = 1: slope 0.5, intercept 0.5.
    # Slope 1.5, sample sd of (2.5, 0.5) = √2, t(0.975, 1) = 12.706204736174698: half-width
    # 12.7062 · √2 / √2. Both intercepts 0.5: an interval of width 0.
    (b, blo, bhi), (a, alo, ahi) = batch_regression_ci(
        [0, 1, 2, 0, 1, 2], [1, 2, 6, 0, 2, 1], batches=2)
    assert (b, blo, bhi) == pytest.approx((1.5, 1.5 - 12.706204736174698,
                                           1.5 + 12.706204736174698))
    assert (a, alo, ahi) == pytest.approx((0.5, 0.5, 0.5))


def test_mg1_formulas_by_hand():
    # λ = 1.25 /s, mean 4 Mbit on 10 Mbps: ρ = 0.5, E[X] = 0.4 s. PS: 0.4 / 0.5 = 0.8 s for
    # every law. FIFO, E[X] + λ E[X²] / (2 (1 - ρ)) = 0.4 + 1.25 E[X²]:
    #   exponential E[S²] = 2·16 = 32, E[X²] = 0.32: 0.4 + 0.4 = 0.8 (= PS, as M/M/1 says);
    #   deterministic E[X²] = 0.16: 0.4 + 0.2 = 0.6;
    #   lognormal σ = 1.2: E[S²] = 16 e^1.44 = 67.5311, E[X²] = 0.675311: 0.4 + 0.844139 = 1.244139;
    #   Pareto α = 2.2: scale 4 · 1.2 / 2.2 = 2.181818, E[S²] = 2.2 · 2.181818² / 0.2 = 52.3636,
    #   E[X²] = 0.523636: 0.4 + 0.654545 = 1.054545.
    assert mg1_ps_mean_sojourn(1.25, 4.0, 10.0) == pytest.approx(0.8)
    hand = {("exponential", None): 0.8, ("deterministic", None): 0.6,
            ("lognormal", 1.2): 0.4 + 1.25 * 16 * math.exp(1.44) / 100,
            ("pareto", 2.2): 0.4 + 1.25 * 0.523636363636}
    assert hand[("lognormal", 1.2)] == pytest.approx(1.244139, abs=1e-6)
    for (law, p), want in hand.items():
        m2 = size_second_moment(law, 4.0, p)
        assert mg1_fifo_mean_sojourn(1.25, 4.0, m2, 10.0) == pytest.approx(want, rel=1e-9), law
    assert size_second_moment("pareto", 4.0, 2.0) == math.inf
    # the draws have the mean they are asked for: 10^6 draws, within 5 standard errors
    # (sd from E[S²] - 16: exponential 4, lognormal 6.98, Pareto 2.2 6.03)
    rng = np.random.default_rng(5)
    for law, p in hand:
        x = draw_sizes(law, 4.0, 1_000_000, rng, p)
        se = math.sqrt(size_second_moment(law, 4.0, p) - 16.0) / 1000.0
        assert abs(x.mean() - 4.0) <= 5 * se + 1e-12, (law, x.mean())
    assert draw_sizes("pareto", 4.0, 1000, rng, 2.2).min() >= 4.0 * 1.2 / 2.2


# n chosen for robustness, not for these seeds (picked before looking). Over seeds 0-19 the
# relative error of the mean had a standard deviation of 0.65 % at ρ = 0.5 (n = 200k) and
# 1.1 % at ρ = 0.8 (n = 700k): 2 % is 3 and 1.8 standard deviations (19 of those 20 seeds pass
# at 0.8). A 95 % interval misses by design about 1 run in 20. More flows do not fit the time
# (~5 s and ~16 s here, ~40k flows/s; 3 standard deviations at 0.8 needs ~2M flows).
#
# The sharper check: M/M/1-PS and M/M/1-FIFO have the same mean sojourn time, and on the same
# arrivals and sizes their sample means move together (same workload, same busy periods: the
# slow fluctuations that make the plain mean noisy are common to both). The PS mean minus the
# FIFO mean (Lindley's recursion, no engine) plus E[T] is a control-variate estimate whose
# standard deviation was 0.23 % (ρ = 0.5) and 0.13 % (ρ = 0.8) at the sizes here over seeds
# 0-9 (largest error 0.48 %): held to 1 %.
#
# That is the weakness too: FIFO passes all of it. The conditional sojourn on the same run
# tells them apart (see _ps_checks).
@pytest.mark.parametrize(("rho", "n", "seed"), [(0.5, 200_000, 11), (0.8, 700_000, 12)])
def test_mm1_processor_sharing_mean_sojourn(rho, n, seed):
    lam = rho * MM1_CAPACITY / MM1_MEAN_MBIT
    expected = MM1_MEAN_MBIT / (MM1_CAPACITY - lam * MM1_MEAN_MBIT)  # = 1 / (μC − λ)
    assert expected == pytest.approx({0.5: 0.8, 0.8: 2.0}[rho])
    gaps, sizes = mm1_draws(rho, n, seed)
    t = engine_sojourn(gaps, sizes)
    # warm-up: the first 2 % of the flows, some 200 (ρ = 0.8) to 700 (ρ = 0.5) relaxation
    # times 1 / (μC (1 − √ρ)^2) of the queue started empty
    warm = n // 50
    x = t[warm:]
    assert abs(x.mean() - expected) <= 0.02 * expected, (x.mean(), expected)
    mean, lo, hi = batch_means_ci(x, batches=25)
    assert lo <= expected <= hi, (mean, lo, hi, expected)
    assert hi - lo < 0.1 * expected  # the interval says something
    fifo = fifo_sojourn(gaps, sizes / MM1_CAPACITY)[warm:]
    controlled = x.mean() - fifo.mean() + expected
    assert abs(controlled - expected) <= 0.01 * expected, (controlled, expected)
    # Conditional sojourn on the same flows (see _ps_checks below): slope 1/(C(1−ρ)) =
    # 0.2 s/Mbit (ρ = 0.5), 0.5 (ρ = 0.8), intercept 0. FIFO's line: slope 1/C = 0.1, intercept
    # E[W] = ρ S / (C (1 − ρ)) = 0.4 s, 1.6 s. The FIFO queue of the same flows passes the PS
    # mean and must fail the line.
    _assert_ps(_ps_checks(sizes[warm:], x, rho))
    f = _assert_fails_ps_line(sizes[warm:], fifo, rho)
    assert f["mean"][-1], f  # the mean alone would not have told FIFO from PS
    wait = rho * MM1_MEAN_MBIT / (MM1_CAPACITY * (1.0 - rho))
    assert f["intercept"][1] <= wait <= f["intercept"][2], f


# ---------------------------------------------------------------------------- PS, not FIFO

# The checks that tell processor sharing from FIFO (and from any size-blind discipline):
#
# - Conditional sojourn. Under PS a flow of size s takes s / (C (1 − ρ)) on average, for every
#   size law (M/G/1-PS: Kleinrock vol. 2, §4.4; Sakata, Noguchi and Oizumi 1971): a line
#   through 0. Under FIFO its own service does not change its wait, so E[T | S = s] =
#   E[W] + s / C: slope 1/C, intercept the mean wait. The least-squares line of T on S is
#   fitted per batch (batch_regression_ci); the engine adds no round trip (FCT = end − start;
#   simulate_traffic adds 2 × the route latency on top), so the intercept is 0.
# - Insensitivity. The M/G/1-PS mean E[S] / (C (1 − ρ)) holds for every size law with that
#   mean; M/G/1-FIFO's Pollaczek–Khinchine mean E[X] + λ E[X²] / (2 (1 − ρ)) moves with E[S²]
#   (test_mg1_formulas_by_hand has the numbers).
#
# Every interval is a 99 % batch-means one from 25 batches, its width computed from the run;
# a test makes two to four of them for the engine, so a correct engine fails one by chance in
# some 2-4 % of seeds (seeds picked before looking). Calibration, not tuning: over 12 other
# seeds (100-111) per law at the insensitivity size, every interval covered its theory value
# and the errors' spread was no wider than the half-widths claim (sd 0.4 %, 1.2 %, 1.1 % of
# the mean for deterministic, lognormal, Pareto against half-width / t(0.995, 24) = 0.6 %,
# 1.4 %, 1.0 %).
PS_LEVEL = 0.99
PS_BATCHES = 25


def _ps_checks(s, t, rho, capacity=MM1_CAPACITY, mean_mbit=MM1_MEAN_MBIT,
               conditional=True) -> dict[str, tuple[float, float, float, float, bool]]:
    """PS theory against sojourns ``t`` of flows of sizes ``s`` (arrival order, no warm-up).

    Returns, for ``mean`` (and with ``conditional`` for ``slope`` and ``intercept``): the
    estimate, the 99 % interval, the PS value and whether the interval contains it.
    """
    want = {"mean": mean_mbit / (capacity * (1.0 - rho)), "slope": 1.0 / (capacity * (1.0 - rho)),
            "intercept": 0.0}
    m, lo, hi = batch_means_ci(t, PS_BATCHES, PS_LEVEL)
    est = {"mean": (m, lo, hi)}
    if conditional:
        est["slope"], est["intercept"] = batch_regression_ci(s, t, PS_BATCHES, PS_LEVEL)
    return {k: (*v, want[k], v[1] <= want[k] <= v[2]) for k, v in est.items()}


def _assert_ps(checks):
    assert all(v[-1] for v in checks.values()), checks


def _assert_fails_ps_line(s, fifo, rho):
    """The FIFO queue of the same flows fails the PS line, and fits its own: slope 1/C.

    (FIFO's own wait does not depend on its own size, so the least-squares slope of T on S
    tends to 1/C whatever the size law; its intercept, the mean wait, is checked where it
    converges, by the callers.)
    """
    f = _ps_checks(s, fifo, rho)
    assert not f["slope"][-1] and not f["intercept"][-1], f
    (b, blo, bhi), _ = batch_regression_ci(s, fifo, PS_BATCHES, PS_LEVEL)
    assert blo <= 1.0 / MM1_CAPACITY <= bhi, (b, blo, bhi)
    return f


def test_mm1_ps_general_path():
    # The ρ = 0.8 M/M/1 run through the general path: each flow also crosses a private dummy
    # link of 10 Gbps (never a bottleneck), so every flow is its own path class and each arrival
    # and departure re-fills all the classes on the shared link (on average E[N] = ρ/(1−ρ) = 4,
    # see test_general_path_equals_fast_path_flow_by_flow). Same theory as above: E[T] = 2 s,
    # slope 1/(C(1−ρ)) = 0.5 s/Mbit, intercept 0, 99 % intervals from the run. 150k flows
    # (~10 s) is too few for the fixed 2 % of the fast-path test (the mean's sd is ~1.7 % here),
    # so the mean is held to its interval, and to the paired difference with FIFO: per flow
    # T_PS − T_FIFO has mean 0 under exponential sizes (same mean sojourn), and its batch-means
    # interval, far narrower than the plain one, must contain 0.
    rho, n, seed = 0.8, 150_000, 13
    gaps, sizes = mm1_draws(rho, n, seed)
    t = engine_sojourn(gaps, sizes, general=True)
    warm = n // 50
    x, s = t[warm:], sizes[warm:]
    checks = _ps_checks(s, x, rho)
    _assert_ps(checks)
    assert checks["mean"][2] - checks["mean"][1] < 0.2 * 2.0  # the interval says something
    fifo = fifo_sojourn(gaps, sizes / MM1_CAPACITY)[warm:]
    d, dlo, dhi = batch_means_ci(x - fifo, PS_BATCHES, PS_LEVEL)
    assert dlo <= 0.0 <= dhi, (d, dlo, dhi)
    assert dhi - dlo < 0.5 * (checks["mean"][2] - checks["mean"][1])
    f = _assert_fails_ps_line(s, fifo, rho)
    assert f["intercept"][1] <= 1.6 <= f["intercept"][2], f  # E[W] = ρ S / (C (1 − ρ))


# Sizes of mean 4 Mbit at ρ = 0.5 (λ = 1.25 /s on 10 Mbps): PS mean 0.8 s for all; FIFO's
# Pollaczek–Khinchine mean (test_mg1_formulas_by_hand): deterministic 0.6 s, lognormal σ = 1.2
# (coefficient of variation² e^1.44 − 1 = 3.22) 1.2441 s, Pareto shape 2.2 (finite variance,
# infinite third moment; cv² 1/(α(α−2)) = 2.27) 1.0545 s.
INSENSITIVITY = {"deterministic": (None, 0.6), "lognormal": (1.2, 1.244139),
                 "pareto": (2.2, 1.054545)}


@pytest.mark.parametrize(("law", "seed"), [("deterministic", 21), ("lognormal", 22),
                                           ("pareto", 23)])
def test_mg1_ps_insensitivity_on_both_paths(law, seed):
    # M/G/1-PS: E[T] = 0.8 s whatever the size law (mean 4 Mbit, ρ = 0.5), and E[T | S = s] =
    # s / (C (1 − ρ)) = 0.2 s per Mbit (no line for deterministic sizes: one s). 100k flows
    # through the fast path and the same flows through the general path (private dummy links):
    # on one link max-min is C/n per flow whatever the classes, so every flow gets the same
    # sojourn on both, up to rounding. The engine's 99 % interval must contain the PS mean and
    # miss FIFO's (P-K), and the FIFO queue of the same flows must fail the PS checks:
    # deterministic and lognormal by their mean (whose interval holds P-K's value), Pareto by
    # its line. (Pareto FIFO's mean wait has an infinite variance when α < 3: the sample mean
    # of 100k flows stays well under P-K's and is no reliable discriminator; the line is.)
    #
    # The PS theory is taken at the load the draws realise, ρ̂ = mean size / (C · mean gap)
    # after the warm-up (no engine in it): E[T] = Ŝ / (C (1 − ρ̂)), slope 1 / (C (1 − ρ̂)).
    # The interval is about the engine's response to its input, not about the random input:
    # seed 21's gaps average 3σ long (ρ̂ = 0.4951), and with the nominal 0.8 the deterministic
    # case failed (mean 0.7860, 99 % interval [0.7721, 0.7998]) while the engine matched an
    # independent PS simulation of the same flows to 1e-11 s per flow
    # (test_engine_matches_a_direct_ps_simulation). The FIFO queue of the same flows is held to
    # P-K at the realised load too (λ̂, Ŝ and the sample E[S²]); the engine must miss P-K's
    # nominal value, FIFO's theory.
    param, pk = INSENSITIVITY[law]
    rho, n = 0.5, 100_000
    lam = rho * MM1_CAPACITY / MM1_MEAN_MBIT
    assert mg1_fifo_mean_sojourn(lam, MM1_MEAN_MBIT, size_second_moment(law, 4.0, param),
                                 MM1_CAPACITY) == pytest.approx(pk, abs=1e-6)
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1.0 / lam, n)
    sizes = draw_sizes(law, MM1_MEAN_MBIT, n, rng, param)
    fast = engine_sojourn(gaps, sizes)
    general = engine_sojourn(gaps, sizes, general=True)
    np.testing.assert_allclose(general, fast, rtol=1e-9, atol=1e-9)
    warm = n // 50
    x, s = fast[warm:], sizes[warm:]
    mean_hat = s.mean()
    rho_hat = mean_hat / (MM1_CAPACITY * gaps[warm:].mean())
    assert abs(rho_hat - rho) < 0.02  # the input is what it should be
    line = law != "deterministic"
    checks = _ps_checks(s, x, rho_hat, mean_mbit=mean_hat, conditional=line)
    _assert_ps(checks)
    _, lo, hi, _, _ = checks["mean"]
    assert not lo <= pk <= hi, (checks, pk)
    fifo = fifo_sojourn(gaps, sizes / MM1_CAPACITY)[warm:]
    if line:
        _assert_fails_ps_line(s, fifo, rho_hat)
    if law != "pareto":
        f = _ps_checks(s, fifo, rho_hat, mean_mbit=mean_hat, conditional=False)["mean"]
        pk_hat = mg1_fifo_mean_sojourn(1.0 / gaps[warm:].mean(), mean_hat, (s ** 2).mean(),
                                       MM1_CAPACITY)
        assert not f[-1] and f[1] <= pk_hat <= f[2], (f, pk_hat)


def _ps_direct(gaps, sizes, capacity) -> np.ndarray:
    """Sojourn times on one processor-sharing link, simulated directly (no engine, no classes).

    Every job present gets ``C / k``; the next event is the next arrival or the end of the job
    with the least work left; all remaining works fall by the same amount in between.
    """
    arrive = np.cumsum(gaps)
    n = len(arrive)
    end = np.empty(n)
    left: dict[int, float] = {}
    now, i = 0.0, 0
    while i < n or left:
        k = len(left)
        j, w = min(left.items(), key=lambda kv: kv[1]) if k else (-1, 0.0)
        t_end = now + w * k / capacity if k else math.inf
        if i < n and arrive[i] < t_end:
            t, new = arrive[i], i
        else:
            t, new = t_end, None
        served = (t - now) * capacity / k if k else 0.0
        for m in left:
            left[m] -= served
        now = t
        if new is None:
            end[j] = now
            del left[j]
        else:
            left[new] = float(sizes[new])
            i += 1
    return end - arrive


def test_engine_matches_a_direct_ps_simulation():
    # A third method for the sojourns themselves: the direct PS simulation above, on 3000
    # flows of each size law at ρ = 0.8 (a busy link, E[N] = 4), on both engine paths; also
    # Pareto of shape 1.5 (infinite variance), whose statistics do not settle in a test's
    # run (benchmarks/mm1_ps.py) but whose flows must still be served exactly.
    # _ps_direct by hand first: 20 Mbit at 0, 10 Mbit at 1 s on 10 Mbps. [0, 1): A alone,
    # 10 left. [1, 3): 5 each, B's 10 and A's 10 end together at 3: sojourns 3 and 2.
    assert _ps_direct([0.0, 1.0], [20.0, 10.0], 10.0) == pytest.approx([3.0, 2.0])
    lam = 0.8 * MM1_CAPACITY / MM1_MEAN_MBIT
    laws = [("exponential", None), ("pareto", 1.5),
            *((law, param) for law, (param, _) in INSENSITIVITY.items())]
    for law, param in laws:
        rng = np.random.default_rng(41)
        gaps = rng.exponential(1.0 / lam, 3000)
        sizes = draw_sizes(law, MM1_MEAN_MBIT, 3000, rng, param)
        want = _ps_direct(gaps, sizes, MM1_CAPACITY)
        for general in (False, True):
            got = engine_sojourn(gaps, sizes, general=general)
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9, err_msg=law)


def test_general_path_equals_fast_path_flow_by_flow():
    # ρ = 0.9, exponential sizes: the link holds E[N] = 9 flows on average, so the general path
    # re-fills some 9 classes per event. Same flows on both paths: same sojourns (C/n each).
    # The work, counted from the run: every arrival and every departure is one allocation
    # (2n; sizes are continuous, so no two flows end together). The general path re-allocates,
    # at an arrival, the N flows it finds plus itself (the shared link is full whenever it is
    # busy, so the closure takes all its classes), at a departure the N it leaves. Over a run
    # that starts and ends empty, the N left behind by departures are, as a multiset, the N
    # found by arrivals (each up-crossing of a level is matched by a down-crossing), so
    # reallocated = n + 2 Σ N_found. The fast path has one class: 1 per arrival, and 1 per
    # departure that leaves the link busy: 2n − (arrivals that find it empty).
    rho, n, seed = 0.9, 20_000, 31
    gaps, sizes = mm1_draws(rho, n, seed)
    fast, start, st_fast = one_link_sojourn(gaps, sizes, MM1_CAPACITY)
    general, _, st_gen = one_link_sojourn(gaps, sizes, MM1_CAPACITY, general=True)
    np.testing.assert_allclose(general, fast, rtol=1e-9, atol=1e-9)
    end = np.sort(start + fast)
    found = np.arange(n) - np.searchsorted(end, start, side="right")  # flows present
    assert found.min() == 0 and found.mean() > 4
    assert st_fast["allocations"] == st_gen["allocations"] == 2 * n
    assert st_gen["reallocated"] == n + 2 * int(found.sum())
    assert st_fast["reallocated"] == 2 * n - int((found == 0).sum())


# ---------------------------------------------------------------------------- by hand


class _Ends(dict):
    """``on_done`` that records flow id -> end time (and refuses a second end)."""

    def __call__(self, flow, t):
        assert flow.flow_id not in self, f"flow {flow.flow_id} ended twice"
        self[flow.flow_id] = t


def test_two_link_bottleneck_rates_and_end_times():
    # Link 0: 10 Mbps, link 1: 4 Mbps. A crosses both, B only link 0, C only link 1.
    # Progressive filling: all three rise together; link 1 (A, C) fills first at 4/2 = 2
    # (link 0 then carries 2 + 2 = 4 < 10), so A = C = 2 are frozen; B alone rises on what is
    # left of link 0: 10 - 2 = 8.
    cap = [10.0, 4.0]
    paths = {"A": (0, 1), "B": (0,), "C": (1,)}
    hand = {"A": 2.0, "B": 8.0, "C": 2.0}
    assert max_min_rates(list(paths.values()), cap) == pytest.approx(list(hand.values()),
                                                                     rel=1e-12)
    # Sizes A = 10, B = 26, C = 2 Mbit, all start at 0.
    #   [0, 1): A 2, B 8, C 2.  C ends at 2/2 = 1. Left then: A 10-2 = 8, B 26-8 = 18.
    #   [1, 3): link 1 has only A, capped there at 4; link 0: A and B would get 5 each but A
    #           is frozen at 4 by link 1, so B = 10 - 4 = 6. A ends at 1 + 8/4 = 3;
    #           B has 18 - 12 = 6 left at 3.
    #   [3, 3.6): B alone on link 0 at 10: ends at 3 + 6/10 = 3.6.
    env = simpy.Environment()
    eng = FlowEngine(env, cap)
    ends = _Ends()
    ids = {"A": 0, "B": 1, "C": 2}
    sizes = {"A": 10.0, "B": 26.0, "C": 2.0}
    for k, i in ids.items():
        eng.start(i, paths[k], sizes[k], on_done=ends)
    for k, i in ids.items():
        assert eng.rate_mbps(i) == pytest.approx(hand[k], rel=1e-12)
    assert eng.load == pytest.approx([10.0, 4.0])
    env.run(until=2.0)
    assert (eng.rate_mbps(0), eng.rate_mbps(1)) == pytest.approx((4.0, 6.0), rel=1e-12)
    assert eng.remaining_mbit(0) == pytest.approx(8.0 - 4.0)
    assert eng.remaining_mbit(1) == pytest.approx(18.0 - 6.0)
    env.run()
    assert ends[ids["C"]] == pytest.approx(1.0, abs=1e-9)
    assert ends[ids["A"]] == pytest.approx(3.0, abs=1e-9)
    assert ends[ids["B"]] == pytest.approx(3.6, abs=1e-9)
    assert eng.stats["finished"] == 3 and not eng.flows
    assert eng.load == [0.0, 0.0]


def test_village_town_county_chain():
    # Links: three village uplinks v1, v2, v3 of 20 Mbps into one town, the town's uplink t of
    # 200 Mbps into the county, the county's uplink c of 1000 Mbps into the city.
    v1, v2, v3, t, c = range(5)
    cap = [20.0, 20.0, 20.0, 200.0, 1000.0]
    # Groups of flows (same path, same size, so they end together):
    #   V1: 4 flows from village 1 (v1, t, c)     V2: 1 flow from village 2 (v2, t, c)
    #   V3: 2 flows from village 3 (v3, t, c)     T:  9 flows of town departments (t, c)
    #   KC: 4 county flows on (c,) capped at 50    KU: 4 county flows on (c,), no cap
    groups = {  # name: (path, flows, cap)
        "V1": ((v1, t, c), 4, math.inf), "V2": ((v2, t, c), 1, math.inf),
        "V3": ((v3, t, c), 2, math.inf), "T": ((t, c), 9, math.inf),
        "KC": ((c,), 4, 50.0), "KU": ((c,), 4, math.inf),
    }
    # Progressive filling, every flow rising from 0 together:
    #   v1: 20/4 = 5, v3: 20/2 = 10, v2: 20/1 = 20, t: 200/16 = 12.5, c: 1000/24 = 41.7.
    #   Level 5: v1 fills. V1 = 5. t has 200 - 20 = 180 for its 12 other flows (15 each).
    #   Level 10: v3 fills. V3 = 10. t has 180 - 20 = 160 for V2 + T, 10 flows: 16 each,
    #             below v2's 20 -> level 16: t fills. V2 = T = 16.
    #   c then carries 20 + 20 + 16 + 144 = 200; 800 left for the 8 county flows (100 each);
    #   level 50: KC reach their cap. KC = 50. c has 800 - 200 = 600 for KU: 150 each.
    # Bottlenecks: V1, V3 their village uplink; V2 and T the town uplink; KC the cap; KU the
    # county uplink. Loads: v1 20, v2 16, v3 20, t 200, c 1000.
    rates0 = {"V1": 5.0, "V2": 16.0, "V3": 10.0, "T": 16.0, "KC": 50.0, "KU": 150.0}
    loads0 = [20.0, 16.0, 20.0, 200.0, 1000.0]
    # Sizes (Mbit per flow) and end times, piecewise:
    #   KU 300: 150 Mbps -> ends at 2. Nobody else was limited by c: no rate changes.
    #   V1 15:  5 Mbps -> ends at 3. t frees 20: V3 stays 10 (its v3), V2 and T share
    #           200 - 20 = 180 over 10 flows: 18 each (V2 below v2's 20).
    #   V3 40:  10 Mbps throughout -> ends at 4. t: V2 and T get 200/10 = 20 each (v2 full
    #           too, at 20).
    #   T 86:   16*3 + 18*1 = 66 by 4, then 20 Mbps: 66 + 20 = 86 -> ends at 5.
    #   V2 106: like T until 5 (86), then alone, 20 (v2) -> 86 + 20 = 106 -> ends at 6.
    #   KC 375: 50 Mbps (its cap) throughout -> ends at 7.5.
    size = {"KU": 300.0, "V1": 15.0, "V3": 40.0, "T": 86.0, "V2": 106.0, "KC": 375.0}
    end = {"KU": 2.0, "V1": 3.0, "V3": 4.0, "T": 5.0, "V2": 6.0, "KC": 7.5}
    rate_at = {  # (time, group) -> rate, checked mid-phase
        2.5: {"V1": 5.0, "V2": 16.0, "V3": 10.0, "T": 16.0, "KC": 50.0},
        3.5: {"V2": 18.0, "V3": 10.0, "T": 18.0, "KC": 50.0},
        4.5: {"V2": 20.0, "T": 20.0, "KC": 50.0},
        5.5: {"V2": 20.0, "KC": 50.0},
        7.0: {"KC": 50.0},
    }

    env = simpy.Environment()
    eng = FlowEngine(env, cap)
    ends = _Ends()
    members: dict[str, list[int]] = {}
    paths, caps = [], []
    fid = 0
    for name, (path, k, rate_cap) in groups.items():
        members[name] = []
        for _ in range(k):
            eng.start(fid, path, size[name], cap_mbps=rate_cap, on_done=ends)
            members[name].append(fid)
            paths.append(path)
            caps.append(rate_cap)
            fid += 1
    ref = max_min_rates(paths, cap, caps)
    for name, ids in members.items():
        for i in ids:
            assert ref[i] == pytest.approx(rates0[name], rel=1e-12), name
            assert eng.rate_mbps(i) == pytest.approx(rates0[name], rel=1e-12), name
    assert eng.load == pytest.approx(loads0, rel=1e-12)
    for when, expect in rate_at.items():
        env.run(until=when)
        active = {n for n, ids in members.items() if ids[0] in eng.flows}
        assert active == set(expect), when
        for name, r in expect.items():
            for i in members[name]:
                assert eng.rate_mbps(i) == pytest.approx(r, rel=1e-12), (when, name)
    env.run()
    assert len(ends) == fid
    for name, ids in members.items():
        for i in ids:
            assert ends[i] == pytest.approx(end[name], abs=1e-9), name


def test_link_down_reroute_and_abort_by_hand():
    # Link 0 (primary, 10 Mbps) and link 1 (backup, 5 Mbps) join the same two sites.
    # t=0: X (40 Mbit) on link 0 at 10; Y (20 Mbit) on link 1 at 5.
    # t=1: link 0 goes down (capacity 0): X stalls with 40 - 10 = 30 left.
    # t=2: X is rerouted onto link 1 with its 30 left; Y has 20 - 10 = 10 left; 2.5 each.
    # t=6: Y ends (10/2.5 = 4 s); X has 30 - 10 = 20 left and gets link 1 alone, 5.
    # t=7: link 0 is repaired (X stays on link 1); Z (50 Mbit) starts on link 1: X has
    #      20 - 5 = 15 left; X and Z share 2.5 each.
    # t=9: Z is aborted with 50 - 2*2.5 = 45 left; X has 15 - 5 = 10 left, alone at 5:
    #      X ends at 9 + 10/5 = 11.
    X, Y, Z = 0, 1, 2  # flow ids
    env = simpy.Environment()
    eng = FlowEngine(env, [10.0, 5.0])
    ends = _Ends()
    seen = {}

    def script():
        eng.start(X, (0,), 40.0, on_done=ends)
        eng.start(Y, (1,), 20.0, on_done=ends)
        yield env.timeout(1)
        eng.set_capacity(0, 0.0)
        seen["X rate down"] = eng.rate_mbps(X)
        yield env.timeout(0.5)
        seen["X left 1.5"] = eng.remaining_mbit(X)
        yield env.timeout(0.5)
        eng.reroute(X, (1,))
        seen["X path"] = eng.flows[X].path
        seen["rates 2"] = (eng.rate_mbps(X), eng.rate_mbps(Y))
        seen["loads 2"] = list(eng.load)
        yield env.timeout(5)
        eng.set_capacity(0, 10.0)
        eng.start(Z, (1,), 50.0, on_done=ends)
        seen["X left 7"] = eng.remaining_mbit(X)
        seen["rates 7"] = (eng.rate_mbps(X), eng.rate_mbps(Z))
        yield env.timeout(2)
        seen["Z aborted"] = eng.abort(Z)
        seen["X rate 9"] = eng.rate_mbps(X)
        seen["X left 9"] = eng.remaining_mbit(X)

    env.process(script())
    env.run()
    assert seen["X rate down"] == 0.0
    assert seen["X left 1.5"] == pytest.approx(30.0, rel=1e-12)
    assert seen["X path"] == (1,)
    assert seen["rates 2"] == pytest.approx((2.5, 2.5), rel=1e-12)
    assert seen["loads 2"] == pytest.approx([0.0, 5.0], abs=1e-12)
    assert seen["X left 7"] == pytest.approx(15.0, rel=1e-12)
    assert seen["rates 7"] == pytest.approx((2.5, 2.5), rel=1e-12)
    assert seen["Z aborted"] == pytest.approx(45.0, rel=1e-12)
    assert seen["X rate 9"] == pytest.approx(5.0, rel=1e-12)
    assert seen["X left 9"] == pytest.approx(10.0, rel=1e-12)
    assert set(ends) == {X, Y}  # an aborted flow is never reported done
    assert ends[Y] == pytest.approx(6.0, abs=1e-9)
    assert ends[X] == pytest.approx(11.0, abs=1e-9)
    assert eng.stats["started"] == 3 and eng.stats["finished"] == 2 and not eng.flows


@pytest.mark.parametrize("leave", ["abort", "reroute"])
def test_class_keeps_its_timer_after_a_flow_leaves(leave):
    # Regression: the class kept the engine-heap entry for the departed flow's end; when it
    # fired with nothing to finish the class was not rescheduled, and B never ended.
    # Link 0: 10 Mbps, link 1: 1 Mbps. A (10 Mbit) and B (20 Mbit) on link 0, both capped at
    # 2 Mbps: one class, 2 Mbps each (link 0 carries 4 of 10). A would end at 10/2 = 5.
    # At t=1 A leaves (aborted, or rerouted onto link 1 where it gets 1 Mbps and ends at
    # 1 + 8/1 = 9). B is still capped at 2 Mbps: it ends at 20/2 = 10 either way.
    env = simpy.Environment()
    eng = FlowEngine(env, [10.0, 1.0])
    ends = _Ends()
    eng.start(0, (0,), 10.0, cap_mbps=2.0, on_done=ends)
    eng.start(1, (0,), 20.0, cap_mbps=2.0, on_done=ends)
    env.run(until=1.0)
    if leave == "abort":
        assert eng.abort(0) == pytest.approx(8.0)
    else:
        eng.reroute(0, (1,))
    env.run()
    assert ends.get(1) == pytest.approx(10.0, abs=1e-9)
    if leave == "reroute":
        assert ends.get(0) == pytest.approx(9.0, abs=1e-9)
    assert not eng.flows


def test_flows_on_a_dead_link_stall():
    # Link 0: 0.7 Mbps shared by three 10 Mbit flows: 0.7/3 each. At t=1 the link goes down:
    # every rate is exactly 0 (there is no capacity to share) and nobody finishes, however
    # long we wait; each still has 10 - 0.7/3 Mbit left. Repaired at t=100, they share 0.7
    # again and end together at 100 + (10 - 0.7/3) / (0.7/3) = 99 + 30/0.7 s.
    # (Regression: the rounding residue of capacity - load left them ~4e-17 Mbps, and they
    # "finished" ~2e17 s later.) One path class, so the rounding does not depend on the order
    # of a set.
    env = simpy.Environment()
    eng = FlowEngine(env, [0.7])
    ends = _Ends()
    for i in range(3):
        eng.start(i, (0,), 10.0, on_done=ends)
    env.run(until=1.0)
    eng.set_capacity(0, 0.0)
    assert [eng.rate_mbps(i) for i in range(3)] == [0.0] * 3
    env.run(until=100.0)
    assert ends == {}
    assert [eng.remaining_mbit(i) for i in range(3)] == pytest.approx([10.0 - 0.7 / 3] * 3)
    eng.set_capacity(0, 0.7)
    env.run()
    assert ends == pytest.approx({i: 99.0 + 30.0 / 0.7 for i in range(3)}, abs=1e-9)


# ---------------------------------------------------------------------------- randomized


def _water_filling(paths, capacity, caps) -> list[float]:
    """Max-min fair rates by progressive filling, flow by flow: a second, naive reference.

    Every unfrozen flow has the same rate, the level. Link ``l`` fills when the level reaches
    ``(C_l - frozen load on l) / unfrozen flows on l``; a capped flow freezes at its cap. Raise
    the level to the first of these, freeze the flows of the links that filled (and the caps
    reached), repeat. Independent of the engine's ``_fill`` (classes, residuals, tolerances).
    """
    n = len(paths)
    rate: list[float | None] = [None] * n
    while any(r is None for r in rate):
        fill = {}
        for link, c in enumerate(capacity):
            users = [i for i in range(n) if rate[i] is None and link in paths[i]]
            if users:
                frozen = sum(rate[i] for i in range(n) if rate[i] is not None
                             and link in paths[i])
                fill[link] = (max(0.0, c - frozen) / len(users), users)
        level = min([f for f, _ in fill.values()]
                    + [caps[i] for i in range(n) if rate[i] is None])
        if level == math.inf:
            return [math.inf if r is None else r for r in rate]
        for i in range(n):
            if rate[i] is None and caps[i] <= level:
                rate[i] = caps[i]
        for f, users in fill.values():
            if f <= level * (1 + 1e-12):
                for i in users:
                    if rate[i] is None:
                        rate[i] = level
    return rate


def test_water_filling_reference_by_hand():
    # the two-link example below: A = C = 2 (link 1 fills), B = 8
    assert _water_filling([(0, 1), (0,), (1,)], [10.0, 4.0], [math.inf] * 3) == \
        pytest.approx([2.0, 8.0, 2.0])
    # one 10 Mbps link, caps 1 and 3 and none: 1, 3, and the rest, 6
    assert _water_filling([(0,)] * 3, [10.0], [1.0, 3.0, math.inf]) == \
        pytest.approx([1.0, 3.0, 6.0])
    # a dead link stops its flows; a flow on no link with no cap is unbounded
    assert _water_filling([(0,), (0, 1), ()], [0.0, 5.0], [math.inf, 2.0, math.inf]) == \
        [0.0, 0.0, math.inf]


def _check_against_scratch(eng: FlowEngine, book: "_Ledger", where: str) -> int:
    """Compare every active flow's rate with max_min_rates on the active flows; check loads.

    The references get the paths, caps and capacities the test gave (``book``), not the
    engine's; :func:`max_min_rates` is also checked against :func:`_water_filling`.
    """
    ids = sorted(eng.flows)
    assert ids == sorted(set(book.size) - set(book.done) - set(book.aborted)), where
    if not ids:
        assert all(ld == 0.0 for ld in eng.load), where
        return 0
    for i in ids:
        assert eng.flows[i].path == book.path[i], (where, i)
    capacity = list(book.capacity)
    assert eng.capacity == capacity, where
    paths, caps = [book.path[i] for i in ids], [book.cap[i] for i in ids]
    ref = max_min_rates(paths, capacity, caps)
    naive = _water_filling(paths, capacity, caps)
    load = [0.0] * len(capacity)
    for i, r, r2 in zip(ids, ref, naive, strict=True):
        got = eng.rate_mbps(i)
        assert math.isclose(got, r, rel_tol=1e-9, abs_tol=1e-9), (where, i, got, r)
        assert math.isclose(r, r2, rel_tol=1e-9, abs_tol=1e-9), (where, i, r, r2)
        for link in book.path[i]:
            load[link] += got
    for link, (ld, c) in enumerate(zip(eng.load, eng.capacity, strict=True)):
        assert ld <= c * (1 + 1e-9) + 1e-9, (where, link, ld, c)
        assert math.isclose(ld, load[link], rel_tol=1e-9, abs_tol=1e-9), (where, link)
    return len(ids)


class _Ledger:
    """Megabits each flow has sent, integrated outside the engine from the rates it shows.

    Every rate change is either one of the test's own actions or a completion (``on_done``
    runs after the re-allocation), so integrating the rates read after each of them gives
    each flow's progress independently of the engine's virtual clocks.
    """

    def __init__(self, eng: FlowEngine):
        self.eng = eng
        self.size: dict[int, float] = {}
        self.sent: dict[int, float] = {}
        self.rate: dict[int, float] = {}
        self.last = 0.0
        self.done: dict[int, float] = {}
        self.aborted: dict[int, float] = {}
        self.path: dict[int, tuple[int, ...]] = {}
        self.cap: dict[int, float] = {}
        self.capacity = list(eng.capacity)
        self.calls = 0  # for the watchdog

    def sync(self):
        self.calls += 1
        now = self.eng.env.now
        for fid, r in self.rate.items():
            self.sent[fid] += r * (now - self.last)
        self.last = now

    def refresh(self):
        self.rate = {fid: self.eng.rate_mbps(fid) for fid in self.eng.flows}

    def left(self, fid):
        return self.size[fid] - self.sent[fid]

    def tol(self, fid):
        return 1e-6 * max(1.0, self.size[fid])

    def overdue(self, fid):
        """Whether an active flow has sent its size already (its end was not scheduled)."""
        return self.left(fid) < -self.tol(fid) and self.eng.remaining_mbit(fid) == 0.0

    def on_done(self, flow, t):
        assert t == self.eng.env.now
        fid = flow.flow_id
        assert fid not in self.done, f"flow {fid} ended twice"
        self.sync()
        self.done[fid] = t
        # it ends exactly when it has sent its size
        if self.left(fid) < -self.tol(fid):
            raise _Late(f"flow {fid} ended at {t:.6f}, {-self.left(fid):.6g} Mbit late")
        assert abs(self.left(fid)) <= self.tol(fid), (flow, self.left(fid))
        self.refresh()


class _Late(AssertionError):
    """A flow ended after it had sent its size, or is still active with nothing left."""


class _Stalled(Exception):
    """The engine made no progress for a while (a hang inside one call)."""


@contextlib.contextmanager
def _watchdog(progress, every_s: float = 1.0):
    """Raise :class:`_Stalled` in the main thread when ``progress()`` stays the same ``every_s``.

    The runs below call back into the test thousands of times a second; a single engine call
    that does not return within a second is stuck (see
    ``test_fill_terminates_on_denormal_residual``).
    """
    last = [object()]  # nothing equals it: the first tick only records

    def tick(signum, frame):
        now = progress()
        if now == last[0]:
            raise _Stalled(f"no progress for {every_s:g} s at {now}")
        last[0] = now

    old = signal.signal(signal.SIGALRM, tick)
    signal.setitimer(signal.ITIMER_REAL, every_s, every_s)
    try:
        yield
    except _Stalled as e:
        # a fresh exception: the one raised in the handler can carry a traceback entry without
        # a line number (interrupted bytecode), which pytest cannot format
        raise _Stalled(str(e)) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# Capacity changes in the randomized runs, as factors of a link's nominal capacity: links
# degrade and recover, and (DOWN) also go down entirely, capacity 0.
DEGRADE = (0.25, 0.5, 1.0, 1.0, 2.0)
DOWN = (0.0, 0.25, 0.5, 1.0, 1.0, 2.0)


@pytest.mark.parametrize(("seed", "factors"), [
    pytest.param(seed, factors, id=f"{name}-{seed}")
    for name, factors, seeds in (("degrade", DEGRADE, (1, 2, 3)), ("down", DOWN, (4, 5)))
    for seed in seeds])
def test_incremental_rates_equal_from_scratch(seed, factors):
    # 7 links; flows on 1-3 random links, 30 % of them capped; Poisson arrivals; every ~3 s a
    # capacity change, a reroute or an abort; at every start, every disturbance and random
    # moments between, each active flow's rate must equal max_min_rates on the active flows.
    rng = np.random.default_rng(seed)
    n_links = 7
    nominal = rng.choice([5.0, 10.0, 20.0, 50.0], n_links).tolist()
    env = simpy.Environment()
    eng = FlowEngine(env, nominal)
    book = _Ledger(eng)
    aborted = book.aborted
    checks = [0]

    def check(where):
        checks[0] += _check_against_scratch(eng, book, where)
        for fid in eng.flows:
            if book.overdue(fid):
                raise _Late(f"{where}: flow {fid} is {-book.left(fid):.6g} Mbit overdue")
            assert math.isclose(eng.remaining_mbit(fid), book.left(fid), rel_tol=1e-9,
                                abs_tol=1e-6), (where, fid)

    def random_path():
        k = int(rng.integers(1, 4))
        return tuple(int(x) for x in rng.choice(n_links, k, replace=False))

    def arrivals(n):
        for i in range(n):
            yield env.timeout(rng.exponential(0.4))
            cap = float(rng.choice([1.0, 2.5, 8.0])) if rng.random() < 0.3 else math.inf
            size = float(rng.exponential(10.0))
            book.sync()
            book.size[i] = size
            book.sent[i] = 0.0
            book.path[i] = random_path()
            book.cap[i] = cap
            eng.start(i, book.path[i], size, cap_mbps=cap, on_done=book.on_done)
            book.refresh()
            check(f"start {i}")

    def disturbances():
        while True:
            yield env.timeout(rng.exponential(3.0))
            if stop:
                return
            what = rng.random()
            active = sorted(eng.flows)
            book.sync()
            if what < 0.35:  # a link degrades, goes down, or comes back / is upgraded
                link = int(rng.integers(n_links))
                factor = float(rng.choice(factors))
                book.capacity[link] = nominal[link] * factor
                eng.set_capacity(link, book.capacity[link])
                where = f"set_capacity {link} x{factor}"
            elif what < 0.7 and active:
                fid = int(rng.choice(active))
                book.path[fid] = random_path()
                eng.reroute(fid, book.path[fid])
                where = f"reroute {fid}"
            elif active:
                fid = int(rng.choice(active))
                aborted[fid] = eng.abort(fid)
                assert aborted[fid] == pytest.approx(book.left(fid), rel=1e-9, abs=1e-6)
                assert fid not in eng.flows
                where = f"abort {fid}"
            else:
                continue
            book.refresh()
            check(where)

    def sampler():  # checkpoints between events too
        while True:
            yield env.timeout(rng.exponential(0.7))
            if stop:
                return
            book.sync()
            check(f"sample {env.now:.3f}")

    n = 600
    stop = []
    arriving = env.process(arrivals(n))
    env.process(disturbances())
    env.process(sampler())
    with _watchdog(lambda: (env.now, book.calls)):  # a hang fails, not blocks, the test
        env.run(until=arriving)
        # last arrival: no more disturbances; repair everything, let the rest drain
        stop.append(True)
        book.sync()
        for link in range(n_links):
            book.capacity[link] = nominal[link]
            eng.set_capacity(link, nominal[link])
        book.refresh()
        check("repaired")
        env.run()
        book.sync()
        check("drained")  # a flow left active here has lost its end
    assert checks[0] > 5000  # flow-rate comparisons made
    assert len(book.size) == n
    assert not eng.flows
    assert set(book.done).isdisjoint(aborted)
    assert set(book.done) | set(aborted) == set(range(n))
    assert len(aborted) > 10
    assert eng.stats["started"] == n and eng.stats["finished"] == n - len(aborted)
    assert eng.load == pytest.approx([0.0] * n_links, abs=1e-9)


def test_fill_terminates_on_denormal_residual():
    # Regression: with a residual capacity below (flows on the link) x 5e-324, the share
    # underflowed to 0, the level stopped rising and the "full" test (residual <= capacity x
    # 1e-9) could not fire when the capacity was 0 or tiny: an endless loop. The engine got
    # there on a link set to capacity 0 whose flows kept rounding leftovers.
    with _watchdog(lambda: 0, every_s=0.5):
        # two flows on a link with the smallest positive capacity: each gets half of it,
        # which rounds to 0 Mbps; the link is then full.
        assert max_min_rates([(0,), (0,)], [5e-324]) == [0.0, 0.0]


# ---------------------------------------------------------------------------- determinism


def test_simulate_traffic_is_deterministic_per_seed():
    s = tiny_scenario()
    a = simulate_traffic(s, duration_s=300, seed=3).flows
    b = simulate_traffic(s, duration_s=300, seed=3).flows
    c = simulate_traffic(s, duration_s=300, seed=4).flows
    assert len(a) > 100
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert not a.equals(c)
    assert len(a) != len(c) or not np.allclose(a["start_s"], c["start_s"])
