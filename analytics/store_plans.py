"""The Store's improvement-plan methods (issue 12), over the same sessions as every other method
(`store_api.StoreMethods`): plans, items, quarterly statuses and their change log (tables of
migration 0003). Every write is one transaction and one row of plan_edits; each changed value is
a row of plan_changes (field, quarter, before, after), so `rollback_plan_edit` restores it exactly.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd

from analytics.errors import UserError
from analytics.wording import N_
from analytics.weak_wording import phrase

ITEM_FIELDS = ("lead_department", "support_departments", "task", "deadline")
STATUS_FIELDS = ("status", "note")
ITEM_COLUMNS = ["indicator_code", "indicator", "tier", "reasons", "baseline_value", "baseline_rank",
                "lead_department", "support_departments", "task", "deadline"]


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def plan_text(value) -> str | None:
    """A value as the change log stores it: text, dates as YYYY-MM-DD, '' and NaN as None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)
    return text if text.strip() else None


def _plain(value):
    """numpy scalars as Python values (both drivers take those)."""
    return value.item() if hasattr(value, "item") else value


class PlanMethods:
    """Needs from the Store: `_reading(action)` and `_writing(action)` sessions."""

    def _plan_query(self, text: str, params: list | None = None) -> pd.DataFrame:
        with self._reading(phrase("act_read_plans")) as session:
            return session.query(text, params or [])

    def plans(self) -> pd.DataFrame:
        """plan_id, era, province_code, index_code, year, plan_number, plan_date, created_at/by."""
        return self._plan_query("SELECT * FROM plans ORDER BY year DESC, index_code, era, province_code")

    def save_plan(self, *, era: str, province_code: str, index_code: str, year: int, plan_number: str,
                  plan_date, saved_by: str) -> int:
        """Create the plan of a province (era + code), index and year, or change its number and
        date (recorded as a change with item_id 0). Returns the plan id."""
        key = [era, province_code, index_code, int(year)]
        with self._writing(phrase("act_save_plan")) as session:
            found = session.rows("SELECT plan_id, plan_number, CAST(plan_date AS VARCHAR) FROM plans WHERE era = ?"
                                 " AND province_code = ? AND index_code = ? AND year = ?", key)
            if not found:
                return int(session.rows("INSERT INTO plans (era, province_code, index_code, year, plan_number, plan_date,"
                                        " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING plan_id",
                                        key + [plan_number, plan_date, _now(), saved_by])[0][0])
            plan_id, old_number, old_date = found[0]
            edit_id = self._plan_edit(session, plan_id, saved_by, "page", None)
            for field, old, new in (("plan_number", old_number, plan_number), ("plan_date", old_date, plan_date)):
                if plan_text(old) != plan_text(new):
                    session.run("INSERT INTO plan_changes VALUES (?, 0, ?, NULL, ?, ?)",
                                [edit_id, field, plan_text(old), plan_text(new)])
            session.run("UPDATE plans SET plan_number = ?, plan_date = ? WHERE plan_id = ?",
                        [plan_number, plan_date, plan_id])
            return int(plan_id)

    def plan_items(self, plan_id: int | None = None) -> pd.DataFrame:
        """Items with their plan's keys (all plans when `plan_id` is None), by plan and item_no."""
        where, params = ("WHERE i.plan_id = ?", [int(plan_id)]) if plan_id is not None else ("", [])
        return self._plan_query("SELECT i.*, p.era, p.province_code, p.index_code, p.year, p.plan_number,"
                                " p.plan_date FROM plan_items i JOIN plans p USING (plan_id) " + where +
                                " ORDER BY i.plan_id, i.item_no", params)

    def plan_statuses(self, plan_id: int | None = None) -> pd.DataFrame:
        """item_id, quarter, status, note (all plans when `plan_id` is None)."""
        where, params = ("WHERE i.plan_id = ?", [int(plan_id)]) if plan_id is not None else ("", [])
        return self._plan_query("SELECT s.* FROM plan_item_status s JOIN plan_items i USING (item_id) " + where +
                                " ORDER BY s.item_id, s.quarter", params)

    def add_plan_items(self, plan_id: int, items: pd.DataFrame, added_by: str) -> int:
        """Add items (ITEM_COLUMNS) numbered after the plan's last item; each recorded as a change
        of field `item` (None → indicator code). Returns the edit id."""
        rows = items.reindex(columns=ITEM_COLUMNS)
        rows = rows.astype(object).where(rows.notna(), None)
        with self._writing(phrase("act_add_plan_items")) as session:
            edit_id = self._plan_edit(session, plan_id, added_by, "worklist", None)
            last = session.rows("SELECT coalesce(max(item_no), 0) FROM plan_items WHERE plan_id = ?", [int(plan_id)])[0][0]
            for n, row in enumerate(rows.itertuples(index=False), start=int(last) + 1):
                values = [_plain(v) for v in row]
                item_id = session.rows(f"INSERT INTO plan_items (plan_id, item_no, {', '.join(ITEM_COLUMNS)}) VALUES "
                                       f"(?, ?, {', '.join('?' * len(ITEM_COLUMNS))}) RETURNING item_id",
                                       [int(plan_id), n, *values])[0][0]
                session.run("INSERT INTO plan_changes VALUES (?, ?, 'item', NULL, NULL, ?)",
                            [edit_id, int(item_id), row.indicator_code])
        return edit_id

    def apply_plan_changes(self, plan_id: int, changes: pd.DataFrame, *, changed_by: str,
                           source: str = "page", file_name: str | None = None) -> int | None:
        """Write changes (item_id, field, quarter, new_value; `field` one of ITEM_FIELDS or
        STATUS_FIELDS) in one transaction, recording each value before and after. Values equal to
        the stored one are skipped; None when nothing changes. Returns the edit id."""
        items = set(self.plan_items(plan_id)["item_id"].astype(int))
        unknown = {int(i) for i in changes["item_id"]} - items if len(changes) else set()
        if unknown:
            raise UserError.keyed("err_items_not_in_plan", items=str(sorted(unknown)), plan=plan_id)
        with self._writing(phrase("act_write_plan")) as session:
            edit_id = self._plan_edit(session, plan_id, changed_by, source, file_name)
            written = sum(self._plan_set(session, edit_id, int(c.item_id), c.field,
                                         c.quarter if isinstance(c.quarter, str) else None, c.new_value)
                          for c in changes.itertuples(index=False))
            if not written:
                session.run("DELETE FROM plan_edits WHERE edit_id = ?", [edit_id])
        return edit_id if written else None

    @staticmethod
    def _plan_edit(session, plan_id: int, by: str, source: str, file_name: str | None) -> int:
        return int(session.rows("INSERT INTO plan_edits (plan_id, edited_at, edited_by, source, file_name)"
                                " VALUES (?, ?, ?, ?, ?) RETURNING edit_id",
                                [int(plan_id), _now(), by, source, file_name])[0][0])

    @staticmethod
    def _plan_set(session, edit_id: int, item_id: int, field: str, quarter: str | None, new) -> int:
        """Set one value, logging before/after; 0 when it was already that value."""
        new = plan_text(new)
        if field in ITEM_FIELDS:
            old = session.rows(f"SELECT CAST({field} AS VARCHAR) FROM plan_items WHERE item_id = ?", [item_id])[0][0]
            if plan_text(old) == new:
                return 0
            session.run(f"UPDATE plan_items SET {field} = ? WHERE item_id = ?", [new, item_id])
        elif field in STATUS_FIELDS and quarter:
            found = session.rows(f"SELECT {field} FROM plan_item_status WHERE item_id = ? AND quarter = ?",
                                 [item_id, quarter])
            old = found[0][0] if found else None
            if plan_text(old) == new:
                return 0
            session.run("INSERT INTO plan_item_status (item_id, quarter) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        [item_id, quarter])
            session.run(f"UPDATE plan_item_status SET {field} = ? WHERE item_id = ? AND quarter = ?",
                        [new, item_id, quarter])
        else:
            raise UserError.keyed("err_plan_field", field=field)
        session.run("INSERT INTO plan_changes VALUES (?, ?, ?, ?, ?, ?)",
                    [edit_id, item_id, field, quarter, plan_text(old), new])
        return 1

    def plan_changes(self, plan_id: int | None = None) -> pd.DataFrame:
        """The change log, newest first: edit_id, plan_id, edited_at, edited_by, source, file_name,
        rolled_back_at, item_id, item_no, indicator_code, field, quarter, old_value, new_value."""
        where, params = ("WHERE e.plan_id = ?", [int(plan_id)]) if plan_id is not None else ("", [])
        return self._plan_query("SELECT e.edit_id, e.plan_id, e.edited_at, e.edited_by, e.source, e.file_name,"
                                " e.rolled_back_at, c.item_id, i.item_no, i.indicator_code, c.field, c.quarter,"
                                " c.old_value, c.new_value FROM plan_changes c JOIN plan_edits e USING (edit_id)"
                                " LEFT JOIN plan_items i USING (item_id) " + where +
                                " ORDER BY e.edit_id DESC, i.item_no, c.field", params)

    def rollback_plan_edit(self, edit_id: int, rolled_back_by: str) -> int:
        """Restore the values an edit changed, in one transaction. Refused when a later edit
        changed the same values. Returns the number of values restored."""
        edit = self._plan_query("SELECT * FROM plan_edits WHERE edit_id = ?", [int(edit_id)])
        if edit.empty:
            raise UserError.keyed("err_no_plan_edit", edit=edit_id)
        if pd.notna(edit["rolled_back_at"].iloc[0]):
            raise UserError.keyed("err_plan_edit_rolled_back", edit=edit_id)
        later = self._plan_query("""
            SELECT DISTINCT l.edit_id FROM plan_changes c JOIN plan_changes l
              ON l.item_id = c.item_id AND (c.field = 'item' OR (l.field = c.field
               AND coalesce(l.quarter, '') = coalesce(c.quarter, '')))
            JOIN plan_edits e ON e.edit_id = l.edit_id
            WHERE c.edit_id = ? AND l.edit_id > ? AND e.rolled_back_at IS NULL""", [int(edit_id), int(edit_id)])
        if not later.empty:
            others = ", ".join(f"#{e}" for e in later["edit_id"])
            raise UserError.keyed("err_plan_edit_changed_later", hint_key=N_("hint_rollback_edits_first"),
                                  others=others, edit=edit_id)
        changes = self._plan_query("SELECT * FROM plan_changes WHERE edit_id = ?", [int(edit_id)])
        plan_id = int(edit["plan_id"].iloc[0])
        with self._writing(phrase("act_rollback_plan_edit", edit=edit_id)) as session:
            for c in changes.itertuples(index=False):
                self._plan_restore(session, plan_id, int(c.item_id), c.field,
                                   c.quarter if isinstance(c.quarter, str) else None, plan_text(c.old_value))
            session.run("UPDATE plan_edits SET rolled_back_at = ?, rolled_back_by = ? WHERE edit_id = ?",
                        [_now(), rolled_back_by, int(edit_id)])
        return len(changes)

    @staticmethod
    def _plan_restore(session, plan_id: int, item_id: int, field: str, quarter: str | None, old) -> None:
        if field == "item":
            session.run("DELETE FROM plan_item_status WHERE item_id = ?", [item_id])
            session.run("DELETE FROM plan_items WHERE item_id = ?", [item_id])
        elif field in ("plan_number", "plan_date"):
            session.run(f"UPDATE plans SET {field} = ? WHERE plan_id = ?", [old, plan_id])
        elif field in ITEM_FIELDS:
            session.run(f"UPDATE plan_items SET {field} = ? WHERE item_id = ?", [old, item_id])
        else:
            session.run(f"UPDATE plan_item_status SET {field} = ? WHERE item_id = ? AND quarter = ?",
                        [old, item_id, quarter])
