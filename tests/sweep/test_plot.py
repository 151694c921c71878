"""Trade-off plots: one line per budget (or teams), averages over the other parameters."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from netplan.plot.sweep import plot_cost_vs_growth, plot_slack_vs_teams  # noqa: E402


def _frame() -> pd.DataFrame:
    rows = []
    for growth in (10, 20):
        for teams in (4, 6):
            for budget in (1000.0, None):
                cost = 5000 + 100 * growth + teams
                rows.append({"variant": f"v{len(rows):03d}", "error": "",
                             "demand.growth_pct_per_year": growth, "migration.teams": teams,
                             "capacity.budget": budget,
                             "upgrade_cost": cost if budget is None else budget,
                             "min_slack_weeks": 3.0 * teams - 15})
    rows.append({"variant": "v999", "error": "RuntimeError: x", "migration.teams": 8,
                 "demand.growth_pct_per_year": 30, "capacity.budget": None})
    return pd.DataFrame(rows)


def test_cost_lines_per_budget_averaged_over_teams():
    ax = plot_cost_vs_growth(_frame())
    lines = {ln.get_gid(): (ln.get_xdata().tolist(), ln.get_ydata().tolist(), ln.get_label())
             for ln in ax.lines}
    assert lines["by:1000.0"][:2] == ([10.0, 20.0], [1000.0, 1000.0])
    # no cap: the mean over 4 and 6 teams of 5000 + 100 g + teams; the failed v999 left out
    assert lines["by:none"][:2] == ([10.0, 20.0], [6005.0, 7005.0])
    assert lines["by:1000.0"][2] == "扩容预算 1,000 万元"
    assert lines["by:none"][2] == "扩容预算 不设上限"
    assert ax.get_xlabel() == "业务年增长率 (%)"
    plt.close(ax.figure)


def test_cost_lines_per_teams_without_a_budget_axis():
    df = _frame().query("`capacity.budget`.isna()", engine="python").drop(
        columns="capacity.budget")
    ax = plot_cost_vs_growth(df, lang="en")
    assert sorted(ln.get_gid() for ln in ax.lines) == ["by:4", "by:6"]
    assert ax.get_ylabel().startswith("upgrade cost")
    plt.close(ax.figure)


def test_slack_against_teams_with_the_deadline():
    ax = plot_slack_vs_teams(_frame(), lang="en")
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "by:all"]
    assert line.get_xdata().tolist() == [4.0, 6.0] and line.get_ydata().tolist() == [-3.0, 3.0]
    assert [ln.get_ydata()[0] for ln in ax.lines if ln.get_gid() == "deadline"] == [0]
    plt.close(ax.figure)
