"""Fuzz inventory CSV files (encodings, missing/extra columns, duplicate and dangling ids,
formulas, BOMs, NULs): a valid result or a netplan error naming the place; nothing else.

The cases are drawn by :data:`tests.fuzz.strategies.INVENTORY_CSV` (see there what they hold); the
property is :func:`tests.fuzz.strategies.check`. Profile ``fuzz-ci`` (fixed seed, few
cases); ``benchmarks/fuzz_inputs.py`` runs many more.
"""

from hypothesis import given

from tests.fuzz.strategies import FUZZ, INVENTORY_CSV, check


@FUZZ
@given(case=INVENTORY_CSV.cases)
def test_inventory_csv_gives_a_result_or_a_placed_netplan_error(case, workdir):
    check(INVENTORY_CSV, case, workdir)
