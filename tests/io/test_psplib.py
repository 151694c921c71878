"""PSPLIB .sm instances and optimum tables: a hand-written instance, j301_1, malformed files."""

from pathlib import Path

import numpy as np
import pytest

from netplan.errors import InputFileError
from netplan.io import read_optima, read_psplib
from netplan.migration.project import check_schedule

SHARED = Path(__file__).parents[2].parent / "shared"
J301_1 = SHARED / "benchmarks" / "psplib" / "j30" / "j301_1.sm"

# Four jobs: source, job2 (2 periods, 2 of R1), job3 (3 periods, 1 of R1), sink; R1 has 2.
# job2 and job3 together need 3 > 2, so they run one after the other: optimum 5.
MINI = """\
************************************************************************
file with basedata            : mini.bas
initial value random generator: 1
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  4
horizon                       :  5
RESOURCES
  - renewable                 :  1   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      2      0        5        0        3
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     2       2
  3      1     3       1
  4      1     0       0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1
    2
************************************************************************
"""


@pytest.fixture
def write(tmp_path):
    def write(text, name="mini.sm"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_hand_written_instance(write):
    p = read_psplib(write(MINI))
    assert [a.name for a in p.activities] == ["job1", "job2", "job3", "job4"]
    assert p.durations.tolist() == [0, 2, 3, 0]
    assert [a.demand for a in p.activities] == [(0,), (2,), (1,), (0,)]
    assert sorted(p.precedences) == [(0, 1), (0, 2), (1, 3), (2, 3)]
    assert p.capacity.tolist() == [[2] * 5]
    assert p.resource_names == ("R1",)
    assert (p.horizon, p.objective, p.name) == (5, "makespan", "mini")


def test_hand_written_instance_solves_to_5(write):
    pytest.importorskip("ortools")
    from netplan.migration.solve import solve

    p = read_psplib(write(MINI))
    s = solve(p, backend="cpsat", time_limit_s=10)
    check_schedule(p, s.starts)
    assert s.objective == 5


def test_multi_mode_instance_is_rejected(write):
    text = MINI.replace("   2        1          1           4",
                        "   2        2          1           4")
    second_mode = "         2     4       1\n"  # mode 2 of job2: 4 periods, 1 of R1
    text = text.replace("  2      1     2       2\n", "  2      1     2       2\n" + second_mode)
    with pytest.raises(InputFileError) as info:
        read_psplib(write(text))
    (issue,) = info.value.issues
    assert issue.path == "mini.sm"
    assert "multi-mode" in issue.message and "job2" in issue.message


def test_non_renewable_resource_is_rejected(write):
    text = (MINI.replace("jobnr. mode duration  R 1", "jobnr. mode duration  R 1  N 1")
            .replace("  R 1\n    2\n", "  R 1  N 1\n    2    9\n"))
    for job in range(1, 5):
        line = next(x for x in text.splitlines() if x.startswith(f"  {job}      1"))
        text = text.replace(line, line + "       1")
    with pytest.raises(InputFileError) as info:
        read_psplib(write(text))
    assert "non-renewable" in str(info.value)
    assert "N1" in str(info.value)


@pytest.mark.parametrize("text", [
    "",
    "not a PSPLIB file\n",
    MINI.split("REQUESTS/DURATIONS")[0],  # truncated
    MINI.replace("  3      1     3       1", "  3      1     x       1"),
], ids=["empty", "garbage", "truncated", "not-a-number"])
def test_malformed_file_names_the_file(write, text):
    with pytest.raises(InputFileError) as info:
        read_psplib(write(text, "broken.sm"))
    assert info.value.source.endswith("broken.sm")
    assert "not a readable PSPLIB .sm file" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="file not found"):
        read_psplib(tmp_path / "nope.sm")


def test_read_optima(write):
    path = write("instance,makespan\nj301_1,43\nj301_2,47\n", "opt.csv")
    assert read_optima(path) == {"j301_1": 43, "j301_2": 47}


def test_read_optima_reports_every_bad_row(write):
    path = write("instance,makespan\nj301_1,43\nj301_2,4.5\n,12\nj301_1,43\n", "opt.csv")
    with pytest.raises(InputFileError) as info:
        read_optima(path)
    lines = [issue.line for issue in info.value.issues]
    assert lines == [3, 4, 5]
    assert "'4.5'" in str(info.value) and "listed twice" in str(info.value)


def test_read_optima_needs_both_columns(write):
    with pytest.raises(InputFileError, match="missing column 'makespan'"):
        read_optima(write("instance,best\nj301_1,43\n", "opt.csv"))


# ------------------------------------------------------------------ the real j301_1


def _capacities_from_text(path):
    """The RESOURCEAVAILABILITIES numbers, read without the psplib package."""
    lines = [x.strip() for x in path.read_text().splitlines() if x.strip()]
    k = next(i for i, x in enumerate(lines) if x.startswith("RESOURCEAVAILABILITIES"))
    return [int(x) for x in lines[k + 2].split()]


@pytest.mark.skipif(not J301_1.is_file(), reason=f"{J301_1} not present")
def test_j301_1_counts_and_capacities():
    p = read_psplib(J301_1)
    assert p.n == 32
    assert p.n_resources == 4
    assert p.capacity[:, 0].tolist() == _capacities_from_text(J301_1)
    assert p.resource_names == ("R1", "R2", "R3", "R4")
    assert p.horizon == int(p.durations.sum())
    assert np.all(p.capacity == p.capacity[:, :1])  # constant over the horizon


@pytest.mark.skipif(not J301_1.is_file(), reason=f"{J301_1} not present")
def test_j301_1_cpsat_reaches_the_optimum_43():
    pytest.importorskip("ortools")
    from netplan.migration.solve import solve

    p = read_psplib(J301_1)
    s = solve(p, backend="cpsat", time_limit_s=5, threads=2)
    check_schedule(p, s.starts)
    assert s.objective == 43  # the proven optimum (j30opt.sm)
