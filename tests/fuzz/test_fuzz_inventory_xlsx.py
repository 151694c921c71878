"""Fuzz inventory XLSX workbooks (numbers, dates, formulas and text in every column): a valid
result or a netplan error naming the place; nothing else.

The cases are drawn by :data:`tests.fuzz.strategies.INVENTORY_XLSX` (see there what they hold); the
property is :func:`tests.fuzz.strategies.check`. Profile ``fuzz-ci`` (fixed seed, few
cases); ``benchmarks/fuzz_inputs.py`` runs many more.
"""

from hypothesis import given, settings

from tests.fuzz.strategies import FUZZ, INVENTORY_XLSX, check


@settings(FUZZ, max_examples=max(FUZZ.max_examples // 2, 1))  # a workbook per case: slow
@given(case=INVENTORY_XLSX.cases)
def test_inventory_xlsx_gives_a_result_or_a_placed_netplan_error(case, workdir):
    check(INVENTORY_XLSX, case, workdir)
