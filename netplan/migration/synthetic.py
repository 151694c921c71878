"""A realistic, deterministic synthetic system inventory for a prefecture-level city.

The Meizhou plan (000) names the departments whose systems feed the base databases (公安, 卫生健康,
民政, 市场监管, 发展改革, 司法, 自然资源 ...) and sets the scale: at least 120 city and county
systems on the cloud by the end of 2020, all of them by the end of 2021. :func:`synthetic_inventory`
builds an inventory of that kind: each department at the city tier (市公安局) and in every county
(梅江区公安局), system names from a catalogue per department, lognormal resource sizes, and known
shares of zombies, replaceable duplicates, classified systems, systems already on the cloud and
dependency cycles, so that triage and planning have something real to chew on. The same
arguments always give the same inventory.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence

import numpy as np

from netplan.migration.inventory import (
    Inventory,
    System,
    default_migration_weeks,
    default_system_id,
)

__all__ = ["synthetic_inventory", "DEPARTMENT_CATALOGUE", "MEIZHOU_COUNTIES", "SHARES"]

#: Meizhou's eight county-level divisions (梅州市 2020).
MEIZHOU_COUNTIES = ("梅江区", "梅县区", "兴宁市", "平远县", "蕉岭县", "大埔县", "丰顺县", "五华县")

#: Departments: key → (city department, county department pattern, weight, system names).
#: In the pattern ``{county}`` is the county's name, ``{short}`` it without its last character
#: (梅江区 → 梅江) and ``{city}`` the city's name. The weight scales how many systems it has.
DEPARTMENT_CATALOGUE: dict[str, tuple[str, str, float, tuple[str, ...]]] = {
    "政务服务数据管理": ("市政务服务数据管理局", "{county}政务服务数据管理局", 1.5, (
        "统一身份认证平台", "电子证照系统", "政务信息资源共享交换平台", "政务服务网上办事大厅",
        "行政审批管理系统", "12345政务服务热线系统", "数据资源目录管理系统", "好差评系统")),
    "公安": ("市公安局", "{county}公安局", 2.0, (
        "人口信息管理系统", "警务综合平台", "出入境管理系统", "交通违法处理系统",
        "视频监控联网平台", "治安管理信息系统", "案件管理系统", "户政业务系统")),
    "卫生健康": ("市卫生健康局", "{county}卫生健康局", 1.5, (
        "全民健康信息平台", "电子健康档案系统", "妇幼保健信息系统", "疾病预防控制信息系统",
        "卫生监督信息系统", "基层医疗卫生管理系统", "医院绩效考核系统")),
    "民政": ("市民政局", "{county}民政局", 1.0, (
        "社会救助信息系统", "婚姻登记管理系统", "养老服务管理平台", "殡葬管理信息系统",
        "社会组织管理系统", "区划地名管理系统")),
    "市场监管": ("市市场监督管理局", "{county}市场监督管理局", 1.2, (
        "企业登记注册系统", "市场主体信用信息公示系统", "食品安全监管平台",
        "特种设备安全监察系统", "12315投诉举报系统", "计量器具管理系统")),
    "发展改革": ("市发展和改革局", "{county}发展和改革局", 1.0, (
        "投资项目在线审批监管平台", "社会信用信息共享平台", "价格监测系统", "重点项目管理系统",
        "能耗在线监测系统")),
    "司法": ("市司法局", "{county}司法局", 1.0, (
        "社区矫正管理系统", "人民调解信息系统", "法律援助管理系统", "公共法律服务平台",
        "行政复议案件管理系统")),
    "自然资源": ("市自然资源局", "{county}自然资源局", 1.3, (
        "不动产登记系统", "国土空间基础信息平台", "土地供应管理系统", "测绘地理信息服务平台",
        "自然资源执法监察系统", "规划审批系统")),
    "人社": ("市人力资源和社会保障局", "{county}人力资源和社会保障局", 1.3, (
        "社会保险业务系统", "就业创业服务平台", "劳动保障监察系统", "人事考试管理系统",
        "职业技能鉴定管理系统", "机关事业单位工资管理系统")),
    "财政": ("市财政局", "{county}财政局", 1.0, (
        "预算管理一体化系统", "国库集中支付系统", "非税收入管理系统", "政府采购管理系统",
        "行政事业单位资产管理系统", "财政监督检查系统")),
    "住建": ("市住房和城乡建设局", "{county}住房和城乡建设局", 1.0, (
        "工程建设项目审批系统", "住房公积金管理系统", "房屋交易管理系统", "建筑市场监管平台",
        "城镇燃气安全监管系统")),
    "教育": ("市教育局", "{county}教育局", 1.0, (
        "学籍管理系统", "教育资源公共服务平台", "招生考试管理系统", "教师管理信息系统",
        "学生资助管理系统", "校园安全管理平台")),
    "交通": ("市交通运输局", "{county}交通运输局", 1.0, (
        "道路运输管理系统", "公路路政管理系统", "交通运输综合执法系统", "出租汽车监管平台",
        "治超管理系统")),
    "农业农村": ("市农业农村局", "{county}农业农村局", 1.0, (
        "农村土地承包管理系统", "农产品质量安全追溯系统", "动物防疫管理系统", "农机管理系统",
        "农村集体资产管理平台")),
    "水务": ("市水务局", "{county}水务局", 1.0, (
        "水资源管理系统", "防汛抗旱指挥系统", "河长制管理信息系统", "水利工程建设管理系统",
        "水文监测系统")),
    "生态环境": ("市生态环境局", "{city}生态环境局{short}分局", 1.0, (
        "污染源在线监控系统", "环境质量监测系统", "排污许可管理系统", "环境执法管理系统",
        "建设项目环评审批系统")),
    "应急管理": ("市应急管理局", "{county}应急管理局", 1.0, (
        "应急指挥平台", "安全生产监管系统", "危险化学品监管系统", "自然灾害监测预警系统",
        "应急物资管理系统")),
}

#: Systems any department may run besides its own (办公, 门户 ...).
_GENERIC = ("办公自动化系统", "门户网站", "档案管理系统", "视频会议系统", "内部财务管理系统",
            "公文交换系统", "统计报表系统", "信息发布系统")
#: Shared platforms of the city's data bureau that other systems depend on.
_PLATFORMS = ("统一身份认证平台", "电子证照系统", "政务信息资源共享交换平台")
_SENSITIVE = ("公安", "司法", "应急管理", "自然资源")
_HEAVY = ("公安", "自然资源", "卫生健康", "人社")

#: Target shares of the roles :func:`synthetic_inventory` hands out (of ``n_systems``, rounded).
SHARES = {"zombie": 0.10, "duplicate": 0.08, "classified": 0.03, "on_cloud": 0.05,
          "in_cycle": 0.02}

_VENDORS = ("数字广东网络建设有限公司", "中国电信股份有限公司梅州分公司",
            "中国联合网络通信有限公司梅州市分公司", "中国移动通信集团广东有限公司梅州分公司",
            "东软集团股份有限公司", "浪潮软件股份有限公司", "太极计算机股份有限公司",
            "中软国际有限公司", "南威软件股份有限公司", "万达信息股份有限公司",
            "用友政务软件有限公司", "华为技术有限公司")
_FUNDING = ("财政预算", "省级专项资金", "中央转移支付", "部门自筹", "政府购买服务")
_DAYS_BACK_BY_FREQUENCY = {"每日": 3, "每周": 9, "每月": 40, "每季": 110, "每年": 330, "很少": 330}


def _function(name: str) -> str:
    stem = name
    for suffix in ("信息系统", "管理系统", "系统", "平台"):
        if stem.endswith(suffix) and len(stem) > len(suffix) + 1:
            stem = stem[: -len(suffix)]
            break
    return f"支撑{stem}业务的办理、管理与数据汇聚"


def _county_department(pattern: str, county: str, city: str) -> str:
    short = county[:-1] if len(county) > 2 else county
    return pattern.format(county=county, short=short, city=city)


def synthetic_inventory(n_systems: int, *, seed: int = 0,
                        departments: Sequence[str] = tuple(DEPARTMENT_CATALOGUE),
                        counties: Sequence[str] = MEIZHOU_COUNTIES, city: str = "梅州市",
                        as_of: dt.date = dt.date(2020, 6, 30)) -> Inventory:
    """A realistic synthetic inventory of a city's and its counties' systems.

    Parameters
    ----------
    n_systems : int
        Number of systems (>= 1).
    seed : int
        Seed of the random draws; the same arguments give the same inventory.
    departments : sequence of str
        Keys of :data:`DEPARTMENT_CATALOGUE` (default all 17), each present at the city tier
        (市公安局) and in every county (梅江区公安局; 梅州市生态环境局梅江分局).
    counties : sequence of str
        County-level divisions; default Meizhou's eight (:data:`MEIZHOU_COUNTIES`).
    city : str
        The city the city-tier systems serve (their ``site``).
    as_of : datetime.date
        The inventory date: last use, last update and approval dates lie before it.

    Returns
    -------
    Inventory
        Systems spread over the departments (city ones weigh three times a county one; the
        city's data bureau always runs the shared platforms 统一身份认证平台, 电子证照系统 and
        政务信息资源共享交换平台 when ``n_systems >= 3``), with exactly these shares of
        ``n_systems`` (rounded, :data:`SHARES`): zombies (10 %: two to four of the four
        criteria other than replaceability), replaceable duplicates (8 %: a county system
        replaceable by the city's system of the same department, of the same name when there
        is one), classified systems on the 涉密网 (3 %), systems already on the cloud (5 %) and
        systems in dependency cycles (2 %, as cycles of three, then two). About a third of the
        other systems depend on one or two others, without cycles; a few ordinary systems meet
        one zombie criterion. Sizes are lognormal (median 8 vCPU, 0.8 TB storage, 4 Mbps busy
        hour); ``migration_weeks`` follows
        :func:`~netplan.migration.inventory.default_migration_weeks`, at most 8.

    Raises
    ------
    ValueError
        For ``n_systems < 1``, an unknown department key (naming close ones) or no departments.

    Examples
    --------
    >>> inv = synthetic_inventory(40, seed=1)
    >>> len(inv), inv == synthetic_inventory(40, seed=1)
    (40, True)
    >>> sum(s.classified for s in inv), sum(s.on_cloud for s in inv)
    (1, 2)
    """
    if n_systems < 1:
        raise ValueError(f"n_systems={n_systems} must be >= 1")
    departments = list(departments)
    if not departments:
        raise ValueError("departments is empty; name at least one of DEPARTMENT_CATALOGUE")
    for key in departments:
        if key not in DEPARTMENT_CATALOGUE:
            close = difflib.get_close_matches(key, DEPARTMENT_CATALOGUE, n=3, cutoff=0.3)
            raise ValueError(f"department {key!r} is not in DEPARTMENT_CATALOGUE"
                             + (f"; did you mean {', '.join(close)}?" if close else
                                f"; use some of {', '.join(DEPARTMENT_CATALOGUE)}"))
    rng = np.random.default_rng(seed)

    def pick(seq: Sequence, p: Sequence[float] | None = None):
        return seq[int(rng.choice(len(seq), p=p))]

    # ---- units (department at a tier) and how many systems each runs
    units: list[tuple[str, str, str, str]] = []  # (key, tier, department, site)
    for key in departments:
        units.append((key, "city", DEPARTMENT_CATALOGUE[key][0], city))
    for county in counties:
        for key in departments:
            units.append((key, "county", _county_department(DEPARTMENT_CATALOGUE[key][1],
                                                            county, city), county))
    weight = np.array([DEPARTMENT_CATALOGUE[k][2] * (3.0 if t == "city" else 1.0)
                       for k, t, _, _ in units])
    counts = np.zeros(len(units), dtype=np.int64)
    platform_unit = next((i for i, u in enumerate(units)
                          if u[0] == "政务服务数据管理" and u[1] == "city"), None)
    if platform_unit is not None:
        counts[platform_unit] = min(len(_PLATFORMS), n_systems)
    counts += rng.multinomial(n_systems - int(counts.sum()), weight / weight.sum())

    # ---- names
    rows: list[dict] = []
    for (key, tier, department, site), k in zip(units, counts, strict=True):
        own = list(DEPARTMENT_CATALOGUE[key][3])
        fixed = [n for n in own if key == "政务服务数据管理" and tier == "city"
                 and n in _PLATFORMS]
        rest = [own[i] for i in rng.permutation(len(own)) if own[i] not in fixed]
        names = fixed + rest + [_GENERIC[i] for i in rng.permutation(len(_GENERIC))]
        for j in range(int(k)):
            phase = j // len(names)
            name = names[j % len(names)] + (f"（{phase + 1}期）" if phase else "")
            rows.append({"key": key, "tier": tier, "department": department, "site": site,
                         "name": name, "id": default_system_id(department, name)})
    n = len(rows)
    is_platform = [r["tier"] == "city" and r["key"] == "政务服务数据管理"
                   and r["name"] in _PLATFORMS for r in rows]

    # ---- roles, exact counts, disjoint
    role = ["normal"] * n
    free = [i for i in range(n) if not is_platform[i]]

    def take(pool: list[int], count: int, name: str) -> list[int]:
        pool = [i for i in pool if role[i] == "normal" and not is_platform[i]]
        chosen = [pool[i] for i in sorted(rng.permutation(len(pool))[:count])]
        for i in chosen:
            role[i] = name
        return chosen

    n_classified = round(SHARES["classified"] * n)
    sensitive = [i for i in free if rows[i]["key"] in _SENSITIVE]
    classified = take(sensitive, n_classified, "classified")
    take(free, n_classified - len(classified), "classified")

    replaceable_by: dict[int, int] = {}
    city_same: dict[tuple[str, str], int] = {}  # (department key, name) -> city system
    city_any: dict[str, list[int]] = {}  # department key -> its city systems
    for i, r in enumerate(rows):
        if r["tier"] == "city" and role[i] == "normal":
            city_same[(r["key"], r["name"])] = i
            city_any.setdefault(r["key"], []).append(i)
    same_name = [i for i in free if rows[i]["tier"] == "county"
                 and (rows[i]["key"], rows[i]["name"]) in city_same]
    any_city = [i for i in free if rows[i]["tier"] == "county" and rows[i]["key"] in city_any]
    n_dup = round(SHARES["duplicate"] * n)
    dups = take(same_name, n_dup, "duplicate")
    dups += take(any_city, n_dup - len(dups), "duplicate")
    for i in sorted(dups):
        r = rows[i]
        target = city_same.get((r["key"], r["name"]))
        replaceable_by[i] = target if target is not None else pick(city_any[r["key"]])
    targets = set(replaceable_by.values())

    cycles: list[list[int]] = []
    n_cycle = round(SHARES["in_cycle"] * n)
    sizes = []
    while n_cycle - sum(sizes) >= 2:
        left = n_cycle - sum(sizes)
        sizes.append(3 if left >= 5 or left == 3 else 2)
    for size in sizes:
        by_unit: dict[str, list[int]] = {}
        for i in free:
            if role[i] == "normal" and i not in targets:
                by_unit.setdefault(rows[i]["department"], []).append(i)
        units_ok = [u for u, members in by_unit.items() if len(members) >= size]
        if not units_ok:
            break
        members = by_unit[pick(units_ok)]
        chosen = [members[j] for j in sorted(rng.permutation(len(members))[:size])]
        for i in chosen:
            role[i] = "cycle"
        cycles.append(chosen)

    take([i for i in free if i not in targets], round(SHARES["zombie"] * n), "zombie")
    take(free, round(SHARES["on_cloud"] * n), "on_cloud")

    # ---- dependencies: acyclic by rank (platforms first, then inventory order), plus cycles
    depends: dict[int, list[int]] = {i: [] for i in range(n)}
    platforms = [i for i in range(n) if is_platform[i]]
    for c in cycles:
        for a, b in zip(c, c[1:] + c[:1], strict=True):
            depends[a].append(b)
    for i in range(n):
        if role[i] in ("classified", "cycle") or is_platform[i] or rng.random() >= 0.35:
            continue
        same_unit = [j for j in range(i) if rows[j]["department"] == rows[i]["department"]
                     and role[j] != "classified" and not is_platform[j]]
        pool = platforms + same_unit
        if not pool:
            continue
        k = min(len(pool), 1 + int(rng.random() < 0.3))
        for j in sorted(rng.permutation(len(pool))[:k]):
            depends[i].append(pool[j])

    # ---- attributes
    systems = []
    for i, r in enumerate(rows):
        heavy = 2.5 if r["key"] in _HEAVY else 1.0
        rl = role[i]
        flag = None
        if rl in ("normal", "cycle", "on_cloud", "duplicate"):
            flag = pick((None, "idle", "stale", "small_low"), (0.88, 0.06, 0.04, 0.02))
        zombie_criteria: tuple[str, ...] = ()
        if rl == "zombie":
            k = pick((2, 3, 4), (0.5, 0.35, 0.15))
            options = ("detached", "idle", "stale", "small_low")
            zombie_criteria = tuple(options[j] for j in sorted(rng.permutation(4)[:k]))
        met = set(zombie_criteria) | ({flag} if flag else set())
        if "small_low" in met:
            scope = "内部科室"
            frequency = pick(("每年", "很少"))
        else:
            scope = pick(("全市", "跨部门", "本部门", "内部科室"),
                         (0.35, 0.25, 0.3, 0.1) if r["tier"] == "city" else (0.15, 0.2, 0.5, 0.15))
            frequency = pick(("每日", "每周", "每月", "每季", "每年", "很少"),
                             (0.5, 0.22, 0.14, 0.06, 0.04, 0.04))
            if scope == "内部科室" and frequency in ("每年", "很少"):
                frequency = "每月"
            if is_platform[i]:
                scope, frequency = "全市", "每日"
        if "detached" in met:
            last_used = as_of - dt.timedelta(days=int(rng.integers(400, 1200)))
        else:
            last_used = as_of - dt.timedelta(
                days=int(rng.integers(0, _DAYS_BACK_BY_FREQUENCY[frequency] + 1)))
        if "stale" in met:
            last_update = as_of - dt.timedelta(days=int(rng.integers(760, 1900)))
        else:
            last_update = as_of - dt.timedelta(days=int(rng.integers(5, 600)))
        idle = float(rng.integers(82, 99)) if "idle" in met else float(rng.integers(5, 71))
        approval = as_of - dt.timedelta(days=int(rng.integers(730, 4380)))
        approval = min(approval, last_update - dt.timedelta(days=90))
        county = r["site"] if r["tier"] == "county" else None
        bureau = "政务服务数据管理局" if approval.year >= 2019 else "发展和改革局"
        approving = f"{county}{bureau}" if county else f"市{bureau}"
        builder = pick(_VENDORS)
        operator = pick((builder, "本单位信息中心", pick(_VENDORS)), (0.6, 0.15, 0.25))
        if rl == "classified":
            network = "涉密网"
        elif r["key"] == "公安":
            network = pick(("政务外网", "互联网", "业务专网", "局域网"), (0.35, 0.05, 0.5, 0.1))
        else:
            network = pick(("政务外网", "互联网", "业务专网", "局域网"), (0.7, 0.12, 0.08, 0.1))
        vcpu = int(min(128, max(2, 2 * round(rng.lognormal(np.log(8), 0.7) * heavy / 2))))
        memory = float(vcpu * pick((2, 4, 4, 8)))
        storage = round(float(min(200.0, max(0.05, rng.lognormal(np.log(0.8), 1.1) * heavy))), 2)
        data = round(storage * float(rng.uniform(0.2, 0.8)), 2)
        traffic = round(float(max(0.5, rng.lognormal(np.log(4), 1.0)))
                        * (2 if r["tier"] == "city" else 1) * (2 if scope == "全市" else 1), 1)
        criticality = int(pick((1, 2, 3, 4, 5), (0.08, 0.22, 0.38, 0.22, 0.10)))
        if r["key"] in ("公安", "卫生健康", "应急管理") or is_platform[i]:
            criticality = min(5, criticality + 1)
        risk = int(min(5, max(1, criticality + pick((-1, 0, 0, 1)))))
        on_cloud = rl == "on_cloud"
        if rl == "classified":
            connected = False
        elif on_cloud or is_platform[i]:
            connected = bool(rng.random() < 0.8)
        elif rl == "zombie":
            connected = bool(rng.random() < 0.05)
        else:
            connected = bool(rng.random() < (0.35 if r["tier"] == "city" else 0.15))
        weeks = min(8, default_migration_weeks(data_tb=data, storage_tb=storage,
                                               criticality=criticality))
        systems.append(System(
            system_id=r["id"], name=r["name"], department=r["department"],
            function=_function(r["name"]), usage_scope=scope, usage_frequency=frequency,
            approving_department=approving, approval_date=approval,
            funding_source=pick(_FUNDING, (0.55, 0.15, 0.1, 0.1, 0.1)), builder=builder,
            operator=operator, network=network, tier=r["tier"], site=r["site"], vcpu=vcpu,
            memory_gb=memory, storage_tb=storage, data_tb=data, traffic_mbps=traffic,
            criticality=criticality, risk=risk,
            depends_on=tuple(rows[j]["id"] for j in depends[i]),
            last_update=last_update, last_used=last_used, idle_pct=idle,
            replaceable_by=rows[replaceable_by[i]]["id"] if i in replaceable_by else None,
            classified=rl == "classified", on_cloud=on_cloud, platform_connected=connected,
            migration_weeks=weeks,
        ))
    return Inventory(tuple(systems), name=f"synthetic-{n_systems}-seed{seed}")
