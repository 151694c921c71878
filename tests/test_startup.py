"""``netplan validate`` starts fast: reading and checking a scenario imports no heavy library.

Speed itself is measured, not asserted (README: ``netplan validate`` timings); what is pinned
here is the cause of a slow start — a heavy import on the way to validating a scenario and
its inventory.
"""

import subprocess
import sys

from netplan.examples import scenario_path

#: Libraries ``netplan validate`` must not import (each costs 0.1-0.5 s of start-up).
HEAVY = ("pandas", "networkx", "scipy", "matplotlib", "pulp", "simpy", "dask", "numpy")


def _imported_after(code: str) -> set[str]:
    probe = (f"import sys\n{code}\n"
             f"print('imported:', *[m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return set(out.stdout.splitlines()[-1].split()[1:])


def test_command_line_imports_nothing_heavy():
    assert _imported_after("import netplan, netplan.cli\nnetplan.cli._parser()") == set()


def test_validating_a_scenario_and_its_inventory_imports_nothing_heavy():
    path = scenario_path("meizhou-2020")  # names a 236-system inventory, read and checked
    code = (f"from netplan.cli import main\n"
            f"assert main(['validate', {str(path)!r}]) == 0")
    assert _imported_after(code) == set()
