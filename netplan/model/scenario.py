"""The scenario: one validated, frozen description of a region, its extranet and its targets.

A scenario file (YAML) is validated into these models by :func:`netplan.io.load_scenario`.
Every field carries a description and its unit in its name (``uplink_mbps``, ``latency_ms``);
in the YAML file bandwidths are written with units under the short key (``uplink: 1G``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from netplan.model.capacity import AddressingSettings, CapacitySettings
from netplan.model.demand import Demand
from netplan.model.system import TriagePolicy
from netplan.units import BANDWIDTH_JSON_PATTERN, parse_bandwidth_mbps

__all__ = [
    "Bandwidth",
    "Town",
    "County",
    "City",
    "Province",
    "SyntheticRegion",
    "Region",
    "TierLink",
    "Tiers",
    "DepartmentTier",
    "Departments",
    "InternetEgress",
    "Extranet",
    "CloudNode",
    "ExchangePlatform",
    "CloudTarget",
    "Milestone",
    "TimelineTarget",
    "TIMELINE_KINDS",
    "DEFAULT_CONNECTIONS_PER_WEEK",
    "Targets",
    "InventorySource",
    "BlackoutPeriod",
    "TeamChange",
    "CloudExpansion",
    "MigrationPolicy",
    "ServiceLevel",
    "ServiceLevels",
    "Fault",
    "FailureCase",
    "SimulationSettings",
    "Demand",
    "Scenario",
    "TIERS",
]

#: The administrative tiers of the extranet, top down.
TIERS = ("national", "province", "city", "county", "town", "village")

Bandwidth = Annotated[
    int,
    BeforeValidator(parse_bandwidth_mbps),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "description": "Mbps"},
                {
                    "type": "string",
                    "pattern": BANDWIDTH_JSON_PATTERN,
                    "examples": ["10G", "1Gbps", "100M", "100 Mbps"],
                },
            ]
        }
    ),
]
"""A bandwidth: ``"10G"``, ``"100 Mbps"`` or a plain number of Mbps, stored as integer Mbps."""

Name = Annotated[str, Field(min_length=1, max_length=200)]

_MONTH_DAY_RE = re.compile(r"^(\d{2})-(\d{2})$")


def _month_day(value: object) -> str:
    """Check a day of the year written as MM-DD (``"03-30"``), quoting the value when it is not."""
    text = value.strip() if isinstance(value, str) else str(value)
    match = _MONTH_DAY_RE.match(text) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f'"{text}" is not a month and day; write it as MM-DD, e.g. "03-30"')
    try:
        dt.date(2000, int(match[1]), int(match[2]))  # 2000 is a leap year: 02-29 is allowed
    except ValueError:
        raise ValueError(
            f'"{text}" is not a day of the year; write it as MM-DD, e.g. "03-30"'
        ) from None
    return text


MonthDay = Annotated[
    str,
    BeforeValidator(_month_day),
    WithJsonSchema({"type": "string", "pattern": _MONTH_DAY_RE.pattern, "examples": ["03-30"]}),
]
"""A day of the year as ``"MM-DD"``, e.g. ``"03-30"``: a quarterly report date."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True,
                              allow_inf_nan=False)  # no infinite latency, no NaN price


# --------------------------------------------------------------------------- region


class Town(_Frozen):
    """A town, township or street office (镇/乡/街道) and its villages or communities."""

    name: Name = Field(description="Town name, e.g. 金山街道.")
    villages: int = Field(ge=0, description="Villages and communities (村/社区) under this town.")


class County(_Frozen):
    """A county-level division (县/县级市/区) with its towns.

    ``towns`` is either a count (villages then spread evenly over the towns, the first towns
    taking one more when it does not divide) or a list of named towns with their villages.
    """

    name: Name = Field(description="County-level division name, e.g. 梅江区.")
    towns: int | list[Town] | list[Name] = Field(
        description="Number of towns/streets, the list of their names (villages then spread "
        "evenly), or the list of towns with their villages."
    )
    villages: int | None = Field(
        None,
        ge=0,
        description="Villages/communities in the county; required when `towns` is a count, "
        "must be left out (or equal the sum) when towns are listed.",
    )

    @model_validator(mode="after")
    def _villages_given_once(self) -> County:
        if isinstance(self.towns, int) or _all_str(self.towns):
            n = self.towns if isinstance(self.towns, int) else len(self.towns)
            if n < 0:
                raise ValueError(f"towns={self.towns} must be >= 0")
            if not isinstance(self.towns, int):
                _unique_names([Town(name=t, villages=0) for t in self.towns], "town")
            if self.villages is None:
                raise ValueError(
                    "villages is missing; with `towns` given as a count, say how many "
                    "villages/communities the county has (e.g. villages: 388)"
                )
            if n == 0 and self.villages > 0:
                raise ValueError(f"villages={self.villages} but towns=0; villages hang under towns")
        else:
            total = sum(t.villages for t in self.towns)
            if self.villages is not None and self.villages != total:
                raise ValueError(
                    f"villages={self.villages} but the listed towns have {total}; "
                    "leave `villages` out or make them agree"
                )
            _unique_names(self.towns, "town")
        return self

    def town_list(self) -> list[Town]:
        """The towns of this county, generating names and an even village split from counts.

        Examples
        --------
        >>> [(t.name, t.villages) for t in County(name="A县", towns=2, villages=5).town_list()]
        [('A县镇01', 3), ('A县镇02', 2)]
        """
        if not isinstance(self.towns, int) and not _all_str(self.towns):
            return list(self.towns)
        if isinstance(self.towns, int):
            width = max(2, len(str(self.towns)))
            names = [f"{self.name}镇{i + 1:0{width}d}" for i in range(self.towns)]
        else:
            names = list(self.towns)
        n = len(names)
        base, extra = divmod(self.villages or 0, n) if n else (0, 0)
        return [Town(name=name, villages=base + (1 if i < extra else 0))
                for i, name in enumerate(names)]

    @property
    def n_towns(self) -> int:
        """Number of towns."""
        return self.towns if isinstance(self.towns, int) else len(self.towns)

    @property
    def n_villages(self) -> int:
        """Number of villages and communities."""
        if isinstance(self.towns, int) or _all_str(self.towns):
            return self.villages or 0
        return sum(t.villages for t in self.towns)


def _all_str(items: list) -> bool:
    return all(isinstance(i, str) for i in items)


def _unique_names(items: list, what: str) -> None:
    names = [i.name for i in items]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"{what} names repeat: {', '.join(dupes)}; each must be unique")


class City(_Frozen):
    """A prefecture-level city (地级市): the top of the four-tier extranet."""

    name: Name = Field(description="City name, e.g. 梅州市.")
    counties: list[County] = Field(min_length=1, description="County-level divisions.")

    @field_validator("counties")
    @classmethod
    def _unique(cls, v: list[County]) -> list[County]:
        _unique_names(v, "county")
        return v


class Province(_Frozen):
    """A province and its cities; its node is the province backbone (省骨干网)."""

    name: Name = Field(description="Province name, e.g. 广东省.")
    cities: list[City] = Field(min_length=1, description="Prefecture-level cities.")

    @field_validator("cities")
    @classmethod
    def _unique(cls, v: list[City]) -> list[City]:
        _unique_names(v, "city")
        return v


class SyntheticRegion(_Frozen):
    """A synthetic region of a given size, for scale work (e.g. the whole country).

    Counts are spread over the divisions with a seeded multinomial draw, so the same seed gives
    the same region.
    """

    provinces: int = Field(ge=1, description="Number of provinces.")
    cities: int = Field(ge=1, description="Number of prefecture-level cities in all.")
    counties: int = Field(ge=1, description="Number of county-level divisions in all.")
    towns: int = Field(ge=0, description="Number of towns/streets in all.")
    villages: int = Field(ge=0, description="Number of villages/communities in all.")
    seed: int = Field(0, description="Seed of the random spread.")

    @model_validator(mode="after")
    def _nested_counts(self) -> SyntheticRegion:
        if not self.provinces <= self.cities <= self.counties:
            raise ValueError(
                f"need provinces <= cities <= counties, got {self.provinces}, {self.cities}, "
                f"{self.counties}"
            )
        if self.villages and not self.towns:
            raise ValueError("villages > 0 needs towns > 0")
        return self

    def expand(self) -> list[Province]:
        """Spread the counts into provinces, cities and counties (deterministic by seed)."""
        import numpy as np

        rng = np.random.default_rng(self.seed)

        def spread(total: int, parts: int) -> np.ndarray:
            # Every part gets at least one when possible, the rest is spread multinomially.
            floor = 1 if total >= parts else 0
            rest = total - floor * parts
            return floor + rng.multinomial(rest, np.full(parts, 1.0 / parts))

        cities_per_province = spread(self.cities, self.provinces)
        counties_per_city = spread(self.counties, self.cities)
        towns_per_county = spread(self.towns, self.counties)
        villages_per_county = rng.multinomial(
            self.villages, towns_per_county / max(towns_per_county.sum(), 1)
        )
        provinces = []
        city_i = county_i = 0
        for p in range(self.provinces):
            cities = []
            for _ in range(int(cities_per_province[p])):
                counties = []
                for _ in range(int(counties_per_city[city_i])):
                    counties.append(
                        County(
                            name=f"县{county_i + 1:04d}",
                            towns=int(towns_per_county[county_i]),
                            villages=int(villages_per_county[county_i]),
                        )
                    )
                    county_i += 1
                cities.append(City(name=f"市{city_i + 1:03d}", counties=counties))
                city_i += 1
            provinces.append(Province(name=f"省{p + 1:02d}", cities=cities))
        return provinces


class Region(_Frozen):
    """The administrative region: listed provinces, or a synthetic region of a given size."""

    name: Name = Field(description="Name of the region as a whole, e.g. 梅州市 or 广东省.")
    provinces: list[Province] = Field(default_factory=list, description="Provinces, listed.")
    synthetic: SyntheticRegion | None = Field(
        None, description="Generate the region instead of listing it (scale studies)."
    )

    @model_validator(mode="after")
    def _one_source(self) -> Region:
        if self.provinces and self.synthetic is not None:
            raise ValueError(
                "both `provinces` and `synthetic` are given; keep exactly one of them: list the "
                "provinces, or generate the region from `synthetic` counts"
            )
        if not self.provinces and self.synthetic is None:
            raise ValueError(
                "neither `provinces` nor `synthetic` is given; list the provinces, or give "
                "`synthetic` with counts to generate the region"
            )
        _unique_names(self.provinces, "province")
        return self

    def province_list(self) -> list[Province]:
        """The provinces, generated first when the region is synthetic."""
        return self.synthetic.expand() if self.synthetic is not None else list(self.provinces)

    def city_names(self) -> list[str]:
        """Names of every city of the region."""
        return [c.name for p in self.province_list() for c in p.cities]


# --------------------------------------------------------------------------- extranet


class TierLink(_Frozen):
    """How every node of one tier is uplinked to its parent in the tier above."""

    uplink_mbps: Bandwidth = Field(
        alias="uplink", description="Capacity of each uplink, per carrier (e.g. 1G)."
    )
    carriers: int = Field(
        ge=1,
        description="How many carriers uplink each node of this tier ('2+N': 2 or more; "
        "villages may be 1). Chosen among the parent's carriers, round robin.",
    )
    latency_ms: float = Field(1.0, ge=0, description="One-way latency of each uplink in ms.")
    length_km: float | None = Field(None, ge=0, description="Typical line length in km, if known.")


class Tiers(_Frozen):
    """Uplink specs per tier: ``city`` is the city core's link to the province backbone."""

    province: TierLink | None = Field(
        None, description="Province backbone to the national backbone (multi-province regions)."
    )
    city: TierLink = Field(description="City core to the province backbone (城域-省骨干).")
    county: TierLink = Field(description="County node to the city core.")
    town: TierLink = Field(description="Town node to its county node.")
    village: TierLink = Field(description="Village node to its town node.")


class DepartmentTier(_Frozen):
    """The departments (access units, 接入单位) attached at one tier's nodes."""

    count: int | None = Field(None, ge=0, description="Departments per node of this tier.")
    names: list[Name] | None = Field(None, description="Department names (instead of a count).")
    access_mbps: Bandwidth = Field(
        alias="access", description="Access bandwidth of each department line (e.g. 100M)."
    )
    carriers: int = Field(1, ge=1, description="Carriers (lines) per department.")
    latency_ms: float = Field(0.5, ge=0, description="One-way latency of the access line in ms.")

    @model_validator(mode="after")
    def _count_or_names(self) -> DepartmentTier:
        if self.count is not None and self.names is not None:
            raise ValueError(
                f"both `count` ({self.count}) and `names` ({len(self.names)} listed) are given; "
                "keep exactly one of them"
            )
        if self.count is None and self.names is None:
            raise ValueError(
                "neither `count` nor `names` of the departments is given; give exactly one of them"
            )
        if self.names is not None:
            dupes = sorted({n for n in self.names if self.names.count(n) > 1})
            if dupes:
                raise ValueError(f"department names repeat: {', '.join(dupes)}")
        return self

    def name_list(self) -> list[str]:
        """Department names, generated as 部门01… when only a count is given."""
        if self.names is not None:
            return list(self.names)
        return [f"部门{i + 1:02d}" for i in range(self.count or 0)]


class Departments(_Frozen):
    """Departments attached at the city, county and town tiers."""

    city: DepartmentTier | None = None
    county: DepartmentTier | None = None
    town: DepartmentTier | None = None


class InternetEgress(_Frozen):
    """The city's public-internet egress (互联网出口)."""

    capacity_mbps: Bandwidth = Field(alias="capacity", description="Egress capacity per carrier.")
    carriers: int = Field(1, ge=1, description="Carriers providing egress lines.")
    latency_ms: float = Field(1.0, ge=0)


class Extranet(_Frozen):
    """The e-government extranet (电子政务外网): carriers, tier links and departments."""

    carriers: list[Name] = Field(
        min_length=1,
        description="Carriers (运营商) in order of preference, e.g. [电信, 联通, 移动].",
    )
    tiers: Tiers
    departments: Departments = Field(default_factory=Departments)
    internet_egress: InternetEgress | None = Field(None, description="City internet egress.")
    interconnect_mbps: Bandwidth = Field(
        10_000,
        alias="interconnect",
        description="Capacity of each carrier's interconnect at the city core (互联互通).",
    )

    @field_validator("carriers")
    @classmethod
    def _unique_carriers(cls, v: list[str]) -> list[str]:
        dupes = sorted({n for n in v if v.count(n) > 1})
        if dupes:
            raise ValueError(f"carrier names repeat: {', '.join(dupes)}")
        return v


# --------------------------------------------------------------------------- cloud, platform


class CloudNode(_Frozen):
    """A government cloud node (政务云节点) attached at a city core."""

    name: Name = Field(description="Node name, e.g. 政务云梅州节点.")
    vcpu: int = Field(ge=0, description="Virtual CPUs available.")
    memory_gb: int = Field(ge=0, description="Memory available in GB.")
    storage_tb: float = Field(ge=0, description="Storage available in TB.")
    uplink_mbps: Bandwidth = Field(alias="uplink", description="Capacity of each link to the core.")
    links: int = Field(2, ge=1, description="Links to the city core (2 = dual-homed).")
    latency_ms: float = Field(0.2, ge=0)
    cities: Literal["every"] | list[Name] | None = Field(
        None,
        description="Cities hosting a node: a list, or 'every'. Default: the only city, "
        "or the first city when there are several.",
    )


#: Systems connected to the exchange platform per week when ``connections_per_week`` is not given.
DEFAULT_CONNECTIONS_PER_WEEK = 5


class ExchangePlatform(_Frozen):
    """The data sharing/exchange platform (共享交换平台) attached at a city core."""

    name: Name = Field(description="Platform name.")
    uplink_mbps: Bandwidth = Field(alias="uplink", description="Capacity of each link to the core.")
    links: int = Field(2, ge=1, description="Links to the city core.")
    latency_ms: float = Field(0.2, ge=0)
    cities: Literal["every"] | list[Name] | None = Field(
        None, description="Cities hosting a platform: a list, or 'every'. Default as cloud."
    )
    connections_per_week: int = Field(
        DEFAULT_CONNECTIONS_PER_WEEK, ge=1,
        description="Systems staying where they are (keep) that the platform team connects "
        "per week (接入), from the platform_upgrade timeline date (or the plan start); see "
        "MigrationPlan.platform_connections.")


# --------------------------------------------------------------------------- targets


class CloudTarget(_Frozen):
    """A dated target for systems on the cloud: a count, or ``all``."""

    by: dt.date = Field(description="Deadline (ISO date).")
    systems: int | Literal["all"] = Field(description="Systems on the cloud by then, or 'all'.")


class Milestone(_Frozen):
    """A dated milestone with a name only (old files): judged as a timeline target of kind other.

    Deprecated: write it under ``targets.timeline`` with a ``kind``.
    """

    name: Name
    date: dt.date = Field(description="ISO date, e.g. 2020-12-31.")


#: The kinds of timeline target, each judged by its own rule (see netplan.policy.timeline).
TIMELINE_KINDS = ("inventory_city", "inventory_county", "three_lists", "unit_plans",
                  "platform_upgrade", "backbone_upgrade", "systems_on_cloud",
                  "four_tier_coverage", "platform_connected", "other")

TimelineKind = Literal["inventory_city", "inventory_county", "three_lists", "unit_plans",
                       "platform_upgrade", "backbone_upgrade", "systems_on_cloud",
                       "four_tier_coverage", "platform_connected", "other"]


class TimelineTarget(_Frozen):
    """A dated target of the policy documents (e.g. 三张清单完成 by 2020-06-30) and its kind.

    Kinds: ``inventory_city`` / ``inventory_county`` (the city's / counties' systems
    inventoried), ``three_lists`` (三张清单), ``unit_plans`` (each unit's migration plan handed
    in), ``platform_upgrade`` (共享交换平台升级), ``backbone_upgrade`` (外网骨干升级),
    ``systems_on_cloud`` (with ``systems``: a count or ``all``), ``four_tier_coverage``
    (市县镇村四级全覆盖), ``platform_connected`` (with ``pct``, default 100) and ``other``
    (judged only from a progress log). A ``systems_on_cloud`` entry names a target of
    ``targets.systems_on_cloud``, which stays the source the scheduler plans for: it must have
    the same date and count (``netplan validate`` says so when it does not).

    Examples
    --------
    >>> t = TimelineTarget(name="清单系统100%接入共享交换平台", date="2022-12-31",
    ...                    kind="platform_connected")
    >>> t.pct
    100.0
    """

    name: Name = Field(description="The target as the document words it, e.g. 三张清单完成.")
    date: dt.date = Field(description="Due date (ISO date), e.g. 2020-06-30.")
    kind: TimelineKind = Field(description="What is judged: " + ", ".join(TIMELINE_KINDS) + ".")
    systems: int | Literal["all"] | None = Field(
        None, description="kind systems_on_cloud only: systems on the cloud by the date, or "
        "'all'.")
    pct: float | None = Field(
        None, ge=0, le=100, description="kind platform_connected only: share of the systems "
        "in use connected to the exchange platform, % (default 100).")
    source: str | None = Field(
        None, max_length=500, description="Where the target comes from, e.g. "
        "梅市府办函〔2020〕61号.")

    @model_validator(mode="before")
    @classmethod
    def _default_pct(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("kind") == "platform_connected" \
                and data.get("pct") is None:
            data = {**data, "pct": 100.0}
        return data

    @model_validator(mode="after")
    def _fields_of_kind(self) -> TimelineTarget:
        if self.kind == "systems_on_cloud" and self.systems is None:
            raise ValueError("kind systems_on_cloud needs `systems`: a count or 'all'")
        if self.kind != "systems_on_cloud" and self.systems is not None:
            raise ValueError(f"`systems` is only for kind systems_on_cloud, not {self.kind}")
        if self.kind != "platform_connected" and self.pct is not None:
            raise ValueError(f"`pct` is only for kind platform_connected, not {self.kind}")
        if isinstance(self.systems, int) and self.systems < 0:
            raise ValueError(f"systems={self.systems} must be >= 0")
        return self


class Targets(_Frozen):
    """The policy targets a plan is judged against (see the requirements digest).

    ``timeline`` holds the dated targets of the documents, each with a kind that says how it
    is judged (:func:`netplan.policy.evaluate_timeline`). ``systems_on_cloud`` stays the source
    of the migration milestones (the scheduler plans for them); a timeline entry of kind
    ``systems_on_cloud`` gives one of them its document name and must agree with it.
    ``milestones`` (name and date only) is the old form, still read and judged as kind
    ``other``.
    """

    internet_egress_mbps: Bandwidth | None = Field(
        None, alias="internet_egress", description="City internet egress, e.g. 10G."
    )
    backbone_mbps: Bandwidth | None = Field(
        None, alias="backbone", description="City to province backbone, e.g. 1G."
    )
    department_access_mbps: Bandwidth | None = Field(
        None, alias="department_access", description="Per department at city/county/town."
    )
    min_carriers: int = Field(2, ge=1, description="Carriers that must reach the city ('2+N').")
    village_coverage_pct: float = Field(100.0, ge=0, le=100, description="Villages connected.")
    cloud_utilisation_min_pct: float | None = Field(None, ge=0, le=100)
    systems_on_cloud: list[CloudTarget] = Field(
        default_factory=list, description="Systems on the cloud by dates: the migration "
        "milestones the scheduler plans for.")
    platform_connected_pct: float | None = Field(None, ge=0, le=100)
    report_dates: list[MonthDay] = Field(
        default_factory=lambda: ["03-30", "06-30", "09-30", "12-30"],
        description="Quarterly report dates as MM-DD.",
    )
    timeline: list[TimelineTarget] = Field(
        default_factory=list, description="The documents' dated targets, each with its kind.")
    milestones: list[Milestone] = Field(
        default_factory=list, description="Deprecated: dated names without a kind (judged as "
        "kind other); write them under timeline.")

    def full_timeline(self) -> list[TimelineTarget]:
        """Every dated target to judge: the timeline, the old milestones, the cloud targets.

        The old ``milestones`` not already in the timeline (same name and date) come as kind
        ``other``; a ``systems_on_cloud`` target without a timeline entry of the same date
        and count comes as kind ``systems_on_cloud`` named ``"<n> systems on the cloud"``.
        Sorted by date (stable).

        Examples
        --------
        >>> t = Targets(systems_on_cloud=[{"by": "2020-12-31", "systems": 120}],
        ...             milestones=[{"name": "三张清单完成", "date": "2020-06-30"}])
        >>> [(x.name, x.kind) for x in t.full_timeline()]
        [('三张清单完成', 'other'), ('120 systems on the cloud', 'systems_on_cloud')]
        """
        out = list(self.timeline)
        named = {(t.name, t.date) for t in out}
        out += [TimelineTarget(name=m.name, date=m.date, kind="other",
                               source="targets.milestones")
                for m in self.milestones if (m.name, m.date) not in named]
        cloud = {(t.date, t.systems) for t in self.timeline if t.kind == "systems_on_cloud"}
        out += [TimelineTarget(name=f"{c.systems} systems on the cloud", date=c.by,
                               kind="systems_on_cloud", systems=c.systems,
                               source="targets.systems_on_cloud")
                for c in self.systems_on_cloud if (c.by, c.systems) not in cloud]
        return sorted(out, key=lambda t: t.date)


# --------------------------------------------------------------------------- later capabilities


class InventorySource(_Frozen):
    """Where the system inventory is (CSV or XLSX), relative to the scenario file."""

    path: str = Field(min_length=1, description="Inventory file, relative to the scenario file.")
    encoding: Literal["auto", "utf-8", "utf-8-sig", "gbk", "gb18030"] = "auto"


class BlackoutPeriod(_Frozen):
    """A period with no cutovers (e.g. Spring Festival)."""

    name: Name
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> BlackoutPeriod:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class TeamChange(_Frozen):
    """From ``start`` on, ``teams`` migration teams work in parallel."""

    start: dt.date = Field(description="First day with the new team count (ISO date).")
    teams: int = Field(ge=0, description="Teams from then on.")


class CloudExpansion(_Frozen):
    """A planned expansion (扩容) of the cloud node, available from ``date`` on."""

    date: dt.date = Field(description="When the added capacity is usable (ISO date).")
    vcpu: int = Field(0, ge=0, description="Added virtual CPUs.")
    memory_gb: int = Field(0, ge=0, description="Added memory in GB.")
    storage_tb: float = Field(0.0, ge=0, description="Added storage in TB.")


class MigrationPolicy(_Frozen):
    """Settings of the migration planner: the weekly grid, its resources and the solver.

    The plan runs on whole weeks from ``start`` (moved back to its Monday) to ``end`` (default:
    the last ``targets.systems_on_cloud`` date). Cutovers happen in a system's last migration
    week, during the weekly maintenance window, over the department's extranet path.
    """

    start: dt.date = Field(description="First week of the plan (ISO date).")
    end: dt.date | None = Field(None, description="Last day of the plan (ISO date).")
    teams: int = Field(1, ge=1, description="Migration teams working in parallel.")
    team_changes: list[TeamChange] = Field(
        default_factory=list, description="Later changes of the team count.")
    blackouts: list[BlackoutPeriod] = Field(
        default_factory=list, description="Periods with no cutover (e.g. Spring Festival).")
    expansions: list[CloudExpansion] = Field(
        default_factory=list, description="Planned cloud node expansions.")
    window_hours_per_week: float = Field(
        16.0, gt=0, le=168, description="Maintenance window per week for cutover transfers, h.")
    max_cutovers_per_week: int | None = Field(
        None, ge=1, description="Cutovers allowed in one week (change-management limit).")
    earliest: dict[str, dt.date] = Field(
        default_factory=dict, description="Per system id, the earliest day its migration starts.")
    triage: TriagePolicy = Field(
        default_factory=TriagePolicy,
        description="Zombie-triage thresholds of the five criteria; each has a default.")
    backend: Literal["milp", "pulp", "heuristic", "cpsat"] = Field(
        "milp", description="Scheduler backend: time-indexed MILP (HiGHS; 'pulp' is an old "
        "name of it), heuristic only, or CP-SAT.")
    time_limit_s: float = Field(
        60.0, gt=0, description="Wall-clock limit of the scheduler in seconds, model building "
        "included; with `deterministic` a safety net only.")
    seed: int = Field(0, description="Seed of the heuristic.")
    deterministic: bool = Field(
        True, description="Bound the scheduler by work (heuristic schedules, MILP nodes, CP-SAT "
        "deterministic time) instead of wall time, so that the same scenario gives the same plan "
        "on a quiet and on a loaded machine.")
    max_schedules: int = Field(
        20_000, ge=1, description="With `deterministic`: heuristic schedules, all stages "
        "together.")
    max_milp_nodes: int = Field(
        2_000, ge=0, description="With `deterministic`: MILP branch-and-bound nodes (HiGHS "
        "`mip_max_nodes`; the root node always completes).")
    cpsat_deterministic_s: float = Field(
        30.0, gt=0, description="With `deterministic`: CP-SAT's deterministic time "
        "(`max_deterministic_time`, its own machine-independent seconds).")

    @model_validator(mode="after")
    def _ordered(self) -> MigrationPolicy:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self


class ServiceLevel(_Frozen):
    """Service levels of one tier's sites toward the cloud, the platform and the province."""

    throughput_mbps: float = Field(
        gt=0, description="Mean throughput of its bulk flows at least this, Mbps.")
    latency_p95_ms: float = Field(gt=0, description="95th percentile of request latency, ms.")
    latency_p99_ms: float = Field(gt=0, description="99th percentile of request latency, ms.")

    @model_validator(mode="after")
    def _ordered(self) -> ServiceLevel:
        if self.latency_p99_ms < self.latency_p95_ms:
            raise ValueError(f"latency_p99_ms {self.latency_p99_ms:g} is below latency_p95_ms "
                             f"{self.latency_p95_ms:g}; p99 cannot be below p95")
        return self


class ServiceLevels(_Frozen):
    """Service levels per tier (department tiers and village offices)."""

    # Defaults: a 200 kB response alone takes 16 ms on a 100M line and 80 ms on a 20M village
    # line; p99 also covers the largest responses (an exponential size's p99 is 4.6× its mean)
    # and sharing the line with the site's own bulk transfers.
    city: ServiceLevel = ServiceLevel(throughput_mbps=10, latency_p95_ms=150, latency_p99_ms=400)
    county: ServiceLevel = ServiceLevel(throughput_mbps=8, latency_p95_ms=150, latency_p99_ms=400)
    town: ServiceLevel = ServiceLevel(throughput_mbps=5, latency_p95_ms=200, latency_p99_ms=500)
    village: ServiceLevel = ServiceLevel(throughput_mbps=2, latency_p95_ms=600,
                                         latency_p99_ms=1500)


class Fault(_Frozen):
    """One fault: a carrier outage, a link cut, or a degraded cloud node, and when it happens.

    Give exactly one of ``carrier``, ``link`` and ``cloud``.
    """

    carrier: Name | None = Field(None, description="Carrier whose links all go down.")
    link: Name | None = Field(
        None, description='Link cut: "SOURCE -- TARGET" node ids (every parallel line), or a '
        "link id.")
    cloud: Name | None = Field(None, description="Cloud node degraded (its name).")
    capacity_pct: float = Field(
        0.0, ge=0, le=100, description="Cloud degradation: capacity left of its links, %.")
    extra_latency_ms: float = Field(
        0.0, ge=0, description="Cloud degradation: added response time of its servers, ms.")
    at_s: float | Literal["random"] = Field(
        0.0, description="When it starts, seconds into the simulation, or 'random' (uniform "
        "over the measured period, from the seed).")
    duration_s: float | None = Field(
        None, gt=0, description="How long it lasts; default: to the end (no recovery).")

    @model_validator(mode="after")
    def _one_target(self) -> Fault:
        given = [k for k in ("carrier", "link", "cloud") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of `carrier`, `link` and `cloud`, got "
                             + (", ".join(given) or "none"))
        if isinstance(self.at_s, float) and self.at_s < 0:
            raise ValueError(f"at_s={self.at_s:g} is negative; faults happen at or after 0 s")
        return self

    @property
    def label(self) -> str:
        """A short label: ``carrier:电信``, ``link:A -- B``, ``cloud:节点@50%``."""
        if self.carrier is not None:
            return f"carrier:{self.carrier}"
        if self.link is not None:
            return f"link:{self.link}"
        return f"cloud:{self.cloud}@{self.capacity_pct:g}%"


class FailureCase(_Frozen):
    """A named failure case: faults simulated together, validated against the service levels."""

    name: Name
    faults: list[Fault] = Field(min_length=1)


class SimulationSettings(_Frozen):
    """Settings of the traffic simulator and of interconnect validation."""

    seed: int = Field(0, description="Random seed; the same seed gives the same numbers.")
    duration_s: float = Field(3600.0, gt=0, description="Simulated time in seconds.")
    warmup_s: float | None = Field(
        None, ge=0, description="Flows starting before this are not measured (default 5% of "
        "the duration): the network starts empty.")
    sample_s: float = Field(10.0, gt=0, description="Link utilisation sampling period, s.")
    failures: list[FailureCase] | None = Field(
        None, description="Failure cases validated besides normal operation; default: each "
        "carrier down for the whole period.")
    service_levels: ServiceLevels = Field(default_factory=ServiceLevels)
    cutover_weeks: int = Field(
        3, ge=0, description="Weeks with the heaviest cutovers to simulate when validating a "
        "migration schedule.")
    systems_on_cloud: Literal["today", "planned"] | dt.date = Field(
        "today", description="Which inventory systems load their departments' lines in the "
        "busy hour: `today` (those on the cloud now), `planned` (and every system the "
        "migration plan moves) or a date such as 2020-12-31 (those on the cloud by then, per "
        "the plan). The same default in `netplan simulate`, `netplan run` and the Python "
        "API; `planned` and dates need the migration plan (the CLI schedules first).")
    max_unfinished_pct: float = Field(
        1.0, ge=0, le=100, description="A unit fails when more than this percentage of its "
        "measured flows to a destination is still running at the end of the run and already "
        "past the service level (throughput bound below it, request latency bound above the "
        "p99 level).")

    @model_validator(mode="after")
    def _warmup(self) -> SimulationSettings:
        if self.warmup_s is not None and self.warmup_s >= self.duration_s:
            raise ValueError(f"warmup_s={self.warmup_s:g} is not below duration_s="
                             f"{self.duration_s:g}; nothing would be measured")
        return self

    @property
    def measured_from_s(self) -> float:
        """Start of the measured period."""
        return self.warmup_s if self.warmup_s is not None else 0.05 * self.duration_s


# --------------------------------------------------------------------------- scenario


class Scenario(_Frozen):
    """A netplan scenario: region, extranet, cloud, platform, targets and planning settings.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> s = tiny_scenario()
    >>> s.extranet.tiers.county.uplink_mbps
    1000
    """

    name: Name = Field(description="Scenario name, e.g. meizhou-2020.")
    description: str = ""
    year: int | None = Field(None, ge=1990, le=2100, description="Planning year.")
    region: Region
    extranet: Extranet
    cloud: list[CloudNode] = Field(default_factory=list, description="Government cloud nodes.")
    exchange_platform: ExchangePlatform | None = None
    targets: Targets = Field(default_factory=Targets)
    inventory: InventorySource | None = None
    migration: MigrationPolicy | None = None
    demand: Demand = Field(default_factory=Demand, description="Busy-hour traffic demand.")
    simulation: SimulationSettings = Field(default_factory=SimulationSettings)
    capacity: CapacitySettings = Field(default_factory=CapacitySettings,
                                       description="Capacity planning: ceilings, catalogue, "
                                       "budget, dedicated networks, cloud sizing.")
    addressing: AddressingSettings | None = Field(
        None, description="Address plan: IPv4/IPv6 supernets and block sizing.")

    @field_validator("cloud")
    @classmethod
    def _unique_cloud(cls, v: list[CloudNode]) -> list[CloudNode]:
        _unique_names(v, "cloud node")
        return v
