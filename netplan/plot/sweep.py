"""Sweep plots: the trade-offs between variants (cost against growth, slack against teams)."""

from __future__ import annotations

import numpy as np

from netplan.plot._style import draws_with_cjk_font

__all__ = ["plot_cost_vs_growth", "plot_slack_vs_teams", "plot_tradeoff"]

GROWTH = "demand.growth_pct_per_year"
TEAMS = "migration.teams"
BUDGET = "capacity.budget"

_LABELS = {
    "zh": {GROWTH: "业务年增长率 (%)", TEAMS: "迁移团队数", BUDGET: "扩容预算",
           "upgrade_cost": "扩容费用 (万元, 折现合计)", "min_slack_weeks": "最小里程碑裕量 (周)",
           "none": "不设上限", "title_cost": "扩容费用与业务增长", "title_slack":
           "迁移里程碑裕量与团队数", "deadline": "截止日期", "all": "全部变体"},
    "en": {GROWTH: "demand growth per year (%)", TEAMS: "migration teams",
           BUDGET: "upgrade budget", "upgrade_cost": "upgrade cost (万元, discounted total)",
           "min_slack_weeks": "min milestone slack (weeks)", "none": "no cap",
           "title_cost": "Upgrade cost against demand growth",
           "title_slack": "Milestone slack against migration teams", "deadline": "deadline",
           "all": "all variants"},
}


def _frame(result):
    return result.to_frame() if hasattr(result, "to_frame") else result


def _label(lang: str, key: str) -> str:
    return _LABELS[lang].get(key, key)


@draws_with_cjk_font
def plot_tradeoff(result, x: str, y: str, *, by: str | None = None, lang: str = "zh",
                  title: str | None = None, ax=None):
    """One line of ``y`` against ``x`` per value of ``by``, averaged over the other parameters.

    Variants with an ``error`` (or no value) are left out. Each line's gid is
    ``"by:<value>"`` (``"all"`` without ``by``).

    Parameters
    ----------
    result : SweepResult or pandas.DataFrame
        A sweep (its :meth:`~netplan.sweep.SweepResult.to_frame`).
    x, y : str
        Columns: a parameter's scenario path and a key figure.
    by : str, optional
        A parameter column: one line per value (None shown as "no cap").
    lang : {"zh", "en"}
        Language of the labels.
    title : str, optional
    ax : matplotlib.axes.Axes, optional
        Drawn into; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    df = _frame(result)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    ok = df[df["error"].fillna("") == ""] if "error" in df else df
    ok = ok[ok[x].notna() & ok[y].notna()] if x in ok and y in ok else ok.iloc[0:0]
    groups = [("all", ok)] if by is None or by not in ok else \
        [(k, g) for k, g in ok.assign(_by=ok[by].astype(object).where(ok[by].notna(), None))
         .groupby("_by", dropna=False, sort=False)]
    if by is not None and by in ok:  # numbers in order, the no-cap line last
        groups.sort(key=lambda kg: (kg[0] is None or (isinstance(kg[0], float)
                                                      and np.isnan(kg[0])), _key(kg[0])))
    for key, g in groups:
        line = g.groupby(x, sort=True)[y].mean()
        none = key is None or (isinstance(key, float) and np.isnan(key))
        text = _label(lang, "all") if by is None or by not in ok else \
            f"{_label(lang, by)} {_label(lang, 'none') if none else _fmt(key)}" + \
            ("" if none or by != BUDGET else " 万元")
        ax.plot(line.index.to_numpy(dtype=float), line.to_numpy(dtype=float), marker="o",
                label=text, gid=f"by:{'none' if none else key}" if by else "by:all")
    ax.set_xlabel(_label(lang, x))
    ax.set_ylabel(_label(lang, y))
    if x == TEAMS:  # a count
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, alpha=0.3)
    if y == "min_slack_weeks":  # the deadlines
        ax.axhline(0, color="tab:red", linestyle="--", linewidth=1, gid="deadline",
                   label=_label(lang, "deadline"))
    if len(groups) > 1 or by is not None or y == "min_slack_weeks":
        ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    ax.figure.tight_layout()
    return ax


def _key(v):
    try:
        return (0, float(v), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(v))


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}"
    return f"{v:,}" if isinstance(v, int | float) else str(v)


def _varies(df, col: str) -> bool:
    return col in df and df[col].astype(object).nunique(dropna=False) > 1


def plot_cost_vs_growth(result, *, by: str | None = None, lang: str = "zh", ax=None):
    """Upgrade cost (万元, discounted) against demand growth, one line per budget or teams.

    Parameters
    ----------
    result : SweepResult or pandas.DataFrame
    by : str, optional
        Default ``capacity.budget`` when it varies, else ``migration.teams`` when it varies,
        else one line.
    lang : {"zh", "en"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> df = pd.DataFrame({"variant": ["v0", "v1", "v2", "v3"], "error": ""},
    ...                   ).assign(**{GROWTH: [10, 20, 10, 20], BUDGET: [None, None, 1e3, 1e3],
    ...                               "upgrade_cost": [5.0, 7.0, 4.0, 4.0]})
    >>> ax = plot_cost_vs_growth(df, lang="en")
    >>> [(line.get_gid(), line.get_ydata().tolist()) for line in ax.lines]
    [('by:1000.0', [4.0, 4.0]), ('by:none', [5.0, 7.0])]
    """
    df = _frame(result)
    if by is None:
        by = BUDGET if _varies(df, BUDGET) else TEAMS if _varies(df, TEAMS) else None
    return plot_tradeoff(df, GROWTH, "upgrade_cost", by=by, lang=lang,
                         title=_label(lang, "title_cost"), ax=ax)


def plot_slack_vs_teams(result, *, by: str | None = None, lang: str = "zh", ax=None):
    """The smallest milestone slack (weeks; negative: late) against the migration teams.

    A dashed line at 0 marks the deadlines (gid ``"deadline"``).

    Parameters
    ----------
    result : SweepResult or pandas.DataFrame
    by : str, optional
        A parameter column, one line per value (default: one line, averaged over the others).
    lang : {"zh", "en"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> df = pd.DataFrame({"variant": ["v0", "v1", "v2"], "error": ["", "", "boom"],
    ...                    TEAMS: [3, 6, 8], "min_slack_weeks": [-4.0, 7.0, 9.0]})
    >>> ax = plot_slack_vs_teams(df)
    >>> [line.get_ydata().tolist() for line in ax.lines if line.get_gid() == "by:all"]
    [[-4.0, 7.0]]
    """
    return plot_tradeoff(result, TEAMS, "min_slack_weeks", by=by, lang=lang,
                         title=_label(lang, "title_slack"), ax=ax)
