"""Spreadsheet import engine: upload -> check every row -> preview with errors -> apply all or nothing.

How an app adds an import (developer note)
------------------------------------------
1. Give the model a permission, e.g. `Meta.permissions = [("import_client", "...")]`, and grant
   it to roles in the app's roles.py.
2. Create `<app>/imports.py` (CoreConfig autodiscovers it) with a subclass of `ImportSpec` (rows
   applied by your own code, e.g. through services) or `UpsertSpec` (set-based, fast: COPY into a
   temp table + INSERT ... ON CONFLICT on PostgreSQL), and call `register(MySpec())`:

       class ClientImport(UpsertSpec):
           code = "rehabilitation.clients"          # URL: /impor/rehabilitation.clients/
           title = _("Clients"); permission = "rehabilitation.import_client"
           model = Client; natural_key = ("nik",)   # column keys; key_fields= if fields differ
           columns = (Column("nik", _("NIK"), kind="identity", max_length=16),
                      Column("nama", _("Name"), max_length=150), ...)
           fields = ("nik", "name", "village_id")   # keys clean_row returns (model attnames)
           def prepare(self, *, actor): self.villages = set(...)   # preload lookups ONCE
           def clean_row(self, row, *, actor):     # no queries here; raise RowError(msg, column=key)
               ...; return {"nik": row["nik"], "name": row["nama"], "village_id": ...}

3. Link to `{% url 'core:import_upload' 'rehabilitation.clients' %}`; the engine gives the upload
   page, the template download, per-row errors (+ xlsx), background jobs with progress for big files,
   one transaction and one audit event ("core.import_applied") per applied batch.
Column kinds: text, identity (digits kept as text; number cells that lost digits are rejected), int,
decimal, date (dd-mm-yyyy, yyyy-mm-dd, real dates), bool (ya/tidak/true/false/1/0).
Tests: `sinergi.core.tabular.testing` builds csv/xlsx bytes and runs upload -> validate -> apply.
"""

from sinergi.core.tabular.columns import CellError, Column
from sinergi.core.tabular.registry import get, register
from sinergi.core.tabular.spec import ApplyResult, ImportSpec, RowError, RowErrors, UpsertSpec
from sinergi.core.tabular.staging import StagedRows

__all__ = [
    "ApplyResult",
    "CellError",
    "Column",
    "ImportSpec",
    "RowError",
    "RowErrors",
    "StagedRows",
    "UpsertSpec",
    "get",
    "register",
]
