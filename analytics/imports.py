"""The one import path used by the upload page and `python -m analytics import`.

read → recognise layout → match → validate → preview → commit (see `ingest` for the first
four, `store.apply_import` for the last). Nothing is written unless every check passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analytics.errors import Joined, UserError
from analytics.wording import N_
from analytics.ingest import ImportPlan, Preview, Problem, Reference, plan_import, preview
from analytics.store import Store, sha256_of
from analytics.workbook import ReadLimits, check_file, read_workbook


@dataclass
class PreparedImport:
    plan: ImportPlan
    preview: Preview | None
    already_imported: int | None     # batch id of an identical file still in force

    @property
    def changes_official(self) -> bool:
        return self.preview is not None and not self.preview.changed.empty

    def blocking(self, replace_official: bool) -> list[Problem]:
        problems = list(self.plan.errors)
        if self.changes_official and not replace_official:
            problems.append(Problem.keyed("imp_changes_official", hint_key=N_("imp_hint_confirm_replace"),
                                          count=len(self.preview.changed)))
        return problems


def reference_from(store: Store) -> Reference:
    return Reference(store.catalog(), store.indices(), store.provinces())


def prepare_import(store: Store, path: Path | str, *, file_name: str | None = None, index_code: str | None = None,
                   year: int | None = None, sheet: str | None = None, column_overrides: dict[str, str] | None = None,
                   limits: ReadLimits = ReadLimits(), today: date | None = None) -> PreparedImport:
    """Read and check a workbook against the store; raises UserError when it cannot be read."""
    path = Path(path)
    check_file(path, limits)  # kind and size before anything is hashed or parsed
    try:
        digest = sha256_of(path)
        sheets = read_workbook(path, limits)
        plan = plan_import(sheets, reference_from(store), file_name=file_name or path.name, sha256=digest,
                           index_code=index_code, year=year, sheet_name=sheet, mappings=store.mappings(),
                           column_overrides=column_overrides, today=today)
    except UserError:
        raise
    except Exception as error:  # noqa: BLE001 — the last net: never a traceback or a library's English
        raise UserError.keyed("err_file_content_unusual", hint_key=N_("hint_resave_or_send_admin"),
                              file=file_name or path.name) from error
    diff = None
    if not plan.scores.empty:
        pairs = plan.index_years()
        existing = store.scores_for(pairs)
        previous = store.scores_for([(i, y - 1) for i, y in pairs])
        diff = preview(plan, existing, previous)
    return PreparedImport(plan, diff, store.active_batch_with_sha(digest))


def commit_import(store: Store, prepared: PreparedImport, *, imported_by: str,
                  replace_official: bool = False) -> int | None:
    """Write the prepared import; None when there is nothing to change (e.g. the same file twice)."""
    blocking = prepared.blocking(replace_official)
    if blocking:
        listed = Joined(blocking[:5], " | ")
        if len(blocking) > 5:
            raise UserError.keyed("err_import_blocked_more", problems=listed, more=len(blocking) - 5)
        raise UserError.keyed("err_import_blocked", problems=listed)
    if prepared.preview is None or prepared.preview.nothing_to_do:
        return None
    plan, diff = prepared.plan, prepared.preview
    summary = (f"{len(diff.added)} mới, {len(diff.changed)} thay đổi, {diff.unchanged} không đổi, "
               f"{len(diff.more_precise)} chính xác hơn, "
               f"{diff.replaced_demo} dòng minh họa được thay; "
               + ", ".join(f"{i} {y}" for i, y in plan.index_years()))
    rows = diff.to_write if diff.to_write is not None else plan.scores
    return store.apply_import(rows, file_name=plan.file_name, sha256=plan.sha256,
                              imported_by=imported_by, summary=summary)


def changes_table(diff: Preview) -> pd.DataFrame:
    """Old → new of the official figures an import would change."""
    return diff.changed[["index_code", "year", "province_code", "indicator_code", "old_value", "value",
                         "sheet", "row", "column"]].rename(columns={"value": "new_value"})
