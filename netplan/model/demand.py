"""The traffic demand model: busy-hour traffic per department, village office and cloud system.

The ``demand`` section of a scenario says how much traffic each kind of site sends in the busy
hour and where it goes — the government cloud node, the exchange platform, the province backbone
or the internet egress — and what the traffic is made of: bulk flows with a size distribution,
interactive requests with response sizes, bulk synchronisation jobs to the exchange platform.
:func:`demand_table` turns it into one row per (site, destination): the busy-hour Mbps that
capacity planning dimensions links for and that the simulator offers to the network.

Rates accept units: ``20M``, ``1.5 Mbps``, ``512k`` or a plain number of Mbps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from netplan.units import BANDWIDTH_JSON_PATTERN, parse_rate_mbps

if TYPE_CHECKING:  # numpy and pandas are imported where used: the model loads fast
    import numpy as np
    import pandas as pd

    from netplan.model.scenario import Scenario

__all__ = [
    "Rate",
    "FlowSizes",
    "Interactive",
    "PlatformSync",
    "DestinationShares",
    "Demand",
    "DESTINATIONS",
    "demand_table",
]

#: Where traffic goes: the cloud node, the exchange platform, the province backbone, the internet.
DESTINATIONS = ("cloud", "platform", "province", "internet")

Rate = Annotated[
    float,
    BeforeValidator(parse_rate_mbps),
    WithJsonSchema({"anyOf": [
        {"type": "number", "minimum": 0, "description": "Mbps"},
        {"type": "string", "pattern": BANDWIDTH_JSON_PATTERN, "examples": ["20M", "1.5 Mbps"]},
    ]}),
]
"""A traffic rate in Mbps (fractions allowed): ``"20M"``, ``"1.5 Mbps"``, ``512k``, ``2``."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True,
                              allow_inf_nan=False)  # no infinite latency, no NaN price


class FlowSizes(_Frozen):
    """Size distribution of bulk flows (file transfers, reports, images, backups).

    ``exponential`` and ``lognormal`` (with ``sigma``) and heavy-tailed ``pareto`` (with
    ``shape`` > 1) are all parameterised by their mean, so changing the shape keeps the load.
    """

    distribution: Literal["exponential", "lognormal", "pareto"] = "lognormal"
    mean_mb: float = Field(8.0, gt=0, description="Mean flow size in megabytes (MB).")
    sigma: float = Field(1.0, gt=0, description="Lognormal: standard deviation of log size.")
    shape: float = Field(1.5, gt=1, description="Pareto: tail index (> 1 for a finite mean).")

    def sample_mb(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` flow sizes in MB.

        Examples
        --------
        >>> s = FlowSizes(distribution="pareto", mean_mb=4.0, shape=2.5)
        >>> import numpy as np
        >>> x = s.sample_mb(np.random.default_rng(0), 400_000)
        >>> bool(abs(x.mean() / 4.0 - 1) < 0.02), bool(x.min() >= 4.0 * 1.5 / 2.5)
        (True, True)
        """
        import numpy as np

        m = self.mean_mb
        if self.distribution == "exponential":
            return rng.exponential(m, n)
        if self.distribution == "lognormal":
            mu = np.log(m) - self.sigma**2 / 2
            return rng.lognormal(mu, self.sigma, n)
        x_min = m * (self.shape - 1) / self.shape
        return x_min * (1.0 + rng.pareto(self.shape, n))


class Interactive(_Frozen):
    """Interactive requests (web pages, API calls, queries) and their responses."""

    requests_per_min: float = Field(
        2.0, ge=0, description="Requests per minute per department in the busy hour.")
    village_requests_per_min: float = Field(
        0.5, ge=0, description="Requests per minute per village office in the busy hour.")
    response_kb: float = Field(
        200.0, gt=0, description="Mean response size in kilobytes (exponential).")


class PlatformSync(_Frozen):
    """Bulk synchronisation jobs of departments' data with the exchange platform (共享交换)."""

    jobs_per_hour: float = Field(
        1.0, ge=0, description="Sync jobs per department per busy hour.")
    size_mb: float = Field(50.0, gt=0, description="Mean job size in MB (exponential).")


class DestinationShares(_Frozen):
    """How a site's bulk traffic splits over the destinations (fractions summing to 1)."""

    cloud: float = Field(0.6, ge=0, le=1)
    platform: float = Field(0.15, ge=0, le=1)
    province: float = Field(0.15, ge=0, le=1)
    internet: float = Field(0.1, ge=0, le=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> DestinationShares:
        total = self.cloud + self.platform + self.province + self.internet
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"shares add up to {total:g}, not 1; make cloud + platform + "
                             "province + internet = 1")
        return self


class Demand(_Frozen):
    """Busy-hour traffic demand: what each site sends, where, and what it is made of.

    Examples
    --------
    >>> d = Demand(department_mbps={"city": "20M", "county": 8, "town": 4}, village_mbps="1M")
    >>> d.department_mbps["city"], d.growth_factor(2022, base_year=2020)
    (20.0, 1.0)
    """

    department_mbps: dict[Literal["city", "county", "town"], Rate] = Field(
        default_factory=lambda: {"city": 20.0, "county": 8.0, "town": 4.0},
        description="Busy-hour Mbps each department sends, by the tier it sits at.")
    village_mbps: Rate = Field(1.0, description="Busy-hour Mbps of each village office.")
    system_mbps: Rate = Field(
        2.0, description="Busy-hour Mbps between a cloud-hosted system and its department, "
        "for systems whose inventory row gives no traffic_mbps.")
    shares: DestinationShares = Field(default_factory=DestinationShares)
    growth_pct_per_year: float = Field(
        0.0, ge=-50, le=500, description="Yearly traffic growth in percent.")
    base_year: int | None = Field(
        None, ge=1990, le=2100, description="Year the rates are for (default: scenario year).")
    flow_sizes: FlowSizes = Field(default_factory=FlowSizes)
    interactive: Interactive = Field(default_factory=Interactive)
    platform_sync: PlatformSync = Field(default_factory=PlatformSync)
    arrivals: Literal["poisson", "diurnal"] = Field(
        "poisson", description="Flow arrivals: Poisson at the busy-hour rate, or Poisson "
        "modulated by the 24-hour `diurnal` profile from `start_hour` on.")
    diurnal: list[float] = Field(
        default_factory=lambda: [0.15, 0.1, 0.1, 0.1, 0.1, 0.15, 0.25, 0.45, 0.75, 1.0, 1.0,
                                 0.9, 0.6, 0.7, 0.95, 1.0, 0.95, 0.8, 0.5, 0.35, 0.3, 0.25,
                                 0.2, 0.15],
        min_length=24, max_length=24,
        description="Load per hour of the day relative to the busy hour (24 values, max 1).")
    start_hour: float = Field(9.0, ge=0, lt=24, description="Hour of day the simulation starts.")
    offpeak_factor: float = Field(
        0.3, ge=0, le=1, description="Load in maintenance windows relative to the busy hour.")
    download_share: float = Field(
        0.0, ge=0, le=1, description="Share of each site's bulk traffic (its rates above and "
        "its cloud systems' traffic) that travels from the destination to the site "
        "(downloads); the rest travels from the site. Lines are full duplex, so the two "
        "directions do not share capacity. Default 0: the rates are what sites send.")

    @model_validator(mode="after")
    def _profile(self) -> Demand:
        if min(self.diurnal) < 0 or max(self.diurnal) <= 0:
            raise ValueError("diurnal values must be >= 0 with at least one > 0")
        return self

    def growth_factor(self, year: int | None, *, base_year: int | None) -> float:
        """Traffic multiplier for ``year`` relative to the base year (1 when either is unknown)."""
        base = self.base_year if self.base_year is not None else base_year
        if year is None or base is None:
            return 1.0
        return (1.0 + self.growth_pct_per_year / 100.0) ** (year - base)

    def profile_at(self, t_s: np.ndarray) -> np.ndarray:
        """Relative load (0..1) at simulated times ``t_s``: 1 under Poisson arrivals.

        The diurnal profile is interpolated linearly between hour midpoints.
        """
        import numpy as np

        t_s = np.asarray(t_s, dtype=float)
        if self.arrivals == "poisson":
            return np.ones_like(t_s)
        hours = (self.start_hour + t_s / 3600.0) % 24.0
        prof = np.asarray(self.diurnal, dtype=float) / max(self.diurnal)
        x = np.arange(25) + 0.5
        y = np.concatenate([prof, prof[:1]])
        return np.interp(np.where(hours < 0.5, hours + 24.0, hours), x, y)


def demand_table(scenario: Scenario, nodes: pd.DataFrame, *, year: int | None = None,
                 system_mbps: dict[str, float] | None = None) -> pd.DataFrame:
    """Busy-hour traffic per (site, destination) for the departments and village offices.

    Parameters
    ----------
    scenario : Scenario
        Its ``demand`` section gives the rates and shares; ``scenario.year`` is the base year.
    nodes : pandas.DataFrame
        A topology's node table (``kind``, ``tier``, ``name``...), indexed by node id. Every
        ``department`` and ``village`` node is a site.
    year : int, optional
        Year to grow the demand to (``growth_pct_per_year``); default the base year.
    system_mbps : dict of str to float, optional
        Extra busy-hour Mbps to the cloud per site node id: the systems running on the cloud
        node that serve it.

    Returns
    -------
    pandas.DataFrame
        Columns ``source`` (node id), ``kind``, ``tier``, ``destination`` (one of
        :data:`DESTINATIONS`) and ``busy_hour_mbps``; rows with no traffic are left out.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> s = tiny_scenario()
    >>> t = demand_table(s, build_topology(s).nodes)
    >>> # 2 city × 20 + 2 county × 8 + 3 town × 4 + 6 villages × 1 = 74 Mbps, 60% to the cloud
    >>> t.groupby("destination")["busy_hour_mbps"].sum().round(2).to_dict()
    {'cloud': 44.4, 'internet': 7.4, 'platform': 11.1, 'province': 11.1}
    """
    import numpy as np
    import pandas as pd

    d = scenario.demand
    growth = d.growth_factor(year, base_year=scenario.year)
    sites = nodes[nodes["kind"].isin(["department", "village"])]
    base = np.where(sites["kind"].to_numpy() == "village", d.village_mbps,
                    sites["tier"].map(lambda t: d.department_mbps.get(t, 0.0)).to_numpy(float))
    frames = []
    for dest in DESTINATIONS:
        mbps = base * getattr(d.shares, dest)
        if dest == "cloud" and system_mbps:
            mbps = mbps + sites.index.map(lambda n: system_mbps.get(n, 0.0)).to_numpy(float)
        frames.append(pd.DataFrame({
            "source": sites.index.to_numpy(), "kind": sites["kind"].to_numpy(),
            "tier": sites["tier"].to_numpy(), "destination": dest, "busy_hour_mbps": mbps * growth,
        }))
    table = pd.concat(frames, ignore_index=True)
    return table[table["busy_hour_mbps"] > 0].reset_index(drop=True)
