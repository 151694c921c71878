"""Seeded generators of small scenarios for the invariant tests (hypothesis strategies)."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from netplan.examples import TINY_SCENARIO
from netplan.model.scenario import Scenario

CARRIERS = ["电信", "联通", "移动"]


@st.composite
def small_scenarios(draw) -> Scenario:
    """A small scenario: a synthetic region or the tiny one, with varied extranet and demand.

    Varied: carriers per tier (villages single- or dual-homed), latencies (zero included),
    departments, which of cloud / platform / internet egress exist, the demand's shares,
    download share and growth, and the plan years.
    """
    data = copy.deepcopy(TINY_SCENARIO)
    if draw(st.booleans()):
        counties = draw(st.integers(1, 4))
        towns = draw(st.integers(0, 6))
        data["region"] = {"name": "合成市", "synthetic": {
            "provinces": 1, "cities": draw(st.integers(1, min(2, counties))),
            "counties": counties, "towns": towns,
            "villages": draw(st.integers(0, 12)) if towns else 0,
            "seed": draw(st.integers(0, 5))}}
    n_carriers = draw(st.integers(1, 3))
    ex = data["extranet"]
    ex["carriers"] = CARRIERS[:n_carriers]
    for tier in ex["tiers"].values():
        tier["carriers"] = draw(st.integers(1, n_carriers))
        tier["latency_ms"] = draw(st.sampled_from([0, 0.5, 1, 2, 5]))
    ex["departments"]["city"]["carriers"] = draw(st.integers(1, n_carriers))
    ex["departments"]["county"]["count"] = draw(st.integers(0, 2))
    ex["departments"]["town"]["count"] = draw(st.integers(0, 1))
    if not draw(st.booleans()):
        ex.pop("internet_egress")
        data["targets"].pop("internet_egress")
    else:
        ex["internet_egress"]["carriers"] = draw(st.integers(1, n_carriers))
    if not draw(st.integers(0, 3)):
        data.pop("exchange_platform")
    if not draw(st.integers(0, 3)):
        data.pop("cloud")
    weights = [draw(st.integers(0, 4)) for _ in range(4)]
    if sum(weights) == 0:
        weights[0] = 1
    shares = [w / sum(weights) for w in weights]
    shares[-1] = 1.0 - sum(shares[:-1])
    data["demand"] = {
        "shares": dict(zip(["cloud", "platform", "province", "internet"],
                           [max(0.0, x) for x in shares], strict=True)),
        "download_share": draw(st.sampled_from([0.0, 0.3, 1.0])),
        "growth_pct_per_year": draw(st.sampled_from([0, 10])),
    }
    data["year"] = 2020
    data["capacity"] = {"years": draw(st.sampled_from([[2020], [2020, 2022]]))}
    return Scenario.model_validate(data)


#: Settings of the invariant properties: a few examples each (the suite's time budget), no
#: per-example deadline (a topology build varies with the machine's load), derandomised so
#: that a run is repeatable.
INVARIANTS = settings(max_examples=12, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
