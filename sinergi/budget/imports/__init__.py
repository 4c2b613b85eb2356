"""Spreadsheet imports of the budget through the core engine: DPA lines, cash plan, SP2D, physical
progress and the provincial offices table.

Each file is checked row by row first (unknown units or lines, dates outside the year, duplicate SP2D
numbers, amounts above the pagu, closed years) and applied in the batch's one transaction with the
same rules as entries on the pages; the absorption summaries follow. Re-importing the same file
changes nothing: lines are matched by (year, sub kegiatan code, account code, unit code), SP2D by
number. Column reference: docs/guide/20-anggaran.md; sample files: sinergi/budget/data/samples/.
"""

from sinergi.budget.imports.common import MONTH_KEYS, QUARTER_KEYS
from sinergi.budget.imports.dpa import CashPlanImport, DpaLineImport
from sinergi.budget.imports.monitoring import PhysicalProgressImport, ProvincialOfficeImport
from sinergi.budget.imports.realisations import RealisationImport
from sinergi.core.tabular import register

register(DpaLineImport())
register(CashPlanImport())
register(RealisationImport())
register(PhysicalProgressImport())
register(ProvincialOfficeImport())

__all__ = ["MONTH_KEYS", "QUARTER_KEYS"]
