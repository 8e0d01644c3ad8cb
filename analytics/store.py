"""The DuckDB store. This is the only module that imports duckdb.

Tables: provinces, indices, indicators (the catalog), breaks, sources, import_batches, scores.
A score row is one value of one indicator for one province in one year, written by one import
batch; a province-year without data has no rows. Driver errors are translated to `UserError`
here so callers never see a duckdb exception.
"""

from __future__ import annotations

import hashlib
import getpass
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from analytics import registry
from analytics.errors import UserError
from analytics.paths import DATA_DIR

SCHEMA_VERSION = 3
EMBEDDED_SOURCES = ("papi_2011_2016", "papi_2017_2024", "demo")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS provinces (
    era VARCHAR, code VARCHAR, name VARCHAR, name_en VARCHAR, region VARCHAR,
    successor_code VARCHAR, aliases VARCHAR, PRIMARY KEY (era, code));
CREATE TABLE IF NOT EXISTS indices (
    index_code VARCHAR PRIMARY KEY, name_vi VARCHAR, name_en VARCHAR, short_name VARCHAR,
    unit VARCHAR, publisher VARCHAR, survey_based BOOLEAN, official_rank BOOLEAN,
    first_year INTEGER, new_provinces_from INTEGER, small_score_change DOUBLE,
    small_rank_change INTEGER, sort_order INTEGER, description_vi VARCHAR, description_en VARCHAR);
ALTER TABLE indices ADD COLUMN IF NOT EXISTS points_lost_share DOUBLE;
-- Lead and supporting departments of each indicator: defaults from data/departments.csv at the
-- first init, then edited by analysts (init never overwrites an edited table).
CREATE TABLE IF NOT EXISTS departments (
    index_code VARCHAR, indicator_code VARCHAR, lead_department VARCHAR, support_departments VARCHAR,
    updated_at TIMESTAMP, updated_by VARCHAR, PRIMARY KEY (index_code, indicator_code));
CREATE TABLE IF NOT EXISTS indicators (
    index_code VARCHAR, indicator_code VARCHAR, parent_code VARCHAR, level INTEGER,
    valid_from INTEGER, valid_to INTEGER, name_vi VARCHAR, name_en VARCHAR, aliases VARCHAR,
    scale_min DOUBLE, scale_max DOUBLE, unit VARCHAR, higher_is_better BOOLEAN,
    sums_to_parent BOOLEAN, sort_order INTEGER, note VARCHAR,
    PRIMARY KEY (index_code, indicator_code, valid_from));
CREATE TABLE IF NOT EXISTS breaks (
    index_code VARCHAR, indicator_code VARCHAR, year INTEGER, reason_vi VARCHAR, reason_en VARCHAR);
CREATE TABLE IF NOT EXISTS sources (
    source_id VARCHAR PRIMARY KEY, name_vi VARCHAR, name_en VARCHAR, publisher VARCHAR,
    origin VARCHAR, note VARCHAR);
CREATE SEQUENCE IF NOT EXISTS batch_ids START 1;
CREATE TABLE IF NOT EXISTS import_batches (
    batch_id INTEGER PRIMARY KEY DEFAULT nextval('batch_ids'), imported_at TIMESTAMP,
    imported_by VARCHAR, file_name VARCHAR, sha256 VARCHAR, row_count INTEGER,
    source_id VARCHAR, is_demo BOOLEAN);
ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS rolled_back_at TIMESTAMP;
ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS rolled_back_by VARCHAR;
ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS summary VARCHAR;
-- What each import replaced, so that a rollback restores exactly what was there before.
-- old_value/old_batch_id are NULL for a figure the import added.
CREATE TABLE IF NOT EXISTS score_history (
    batch_id INTEGER NOT NULL, index_code VARCHAR, year INTEGER, era VARCHAR, province_code VARCHAR,
    indicator_code VARCHAR, old_value DOUBLE, old_batch_id INTEGER, new_value DOUBLE);
-- An analyst's choice for a header the catalog could not match, reused for the next file.
CREATE TABLE IF NOT EXISTS column_mappings (
    index_code VARCHAR, header_key VARCHAR, indicator_code VARCHAR, saved_at TIMESTAMP, saved_by VARCHAR,
    PRIMARY KEY (index_code, header_key));
-- Targets from the province's plan: a score to reach (at least, or strictly above) and/or a rank
-- to reach or a number of places to gain, per province, index and year.
CREATE TABLE IF NOT EXISTS targets (
    era VARCHAR, province_code VARCHAR, index_code VARCHAR, year INTEGER, target_score DOUBLE,
    strictly_above BOOLEAN, target_rank INTEGER, min_rank_gain INTEGER, note VARCHAR,
    set_at TIMESTAMP, set_by VARCHAR, PRIMARY KEY (era, province_code, index_code, year));
CREATE TABLE IF NOT EXISTS scores (
    index_code VARCHAR NOT NULL, year INTEGER NOT NULL, era VARCHAR NOT NULL,
    province_code VARCHAR NOT NULL, indicator_code VARCHAR NOT NULL, value DOUBLE NOT NULL,
    batch_id INTEGER NOT NULL,
    PRIMARY KEY (index_code, year, era, province_code, indicator_code));
-- -- improvement plans (issue 12) --
-- A plan per province (era + code), index and year; its items (one indicator each, lead and
-- supporting departments, task, deadline); a status and progress note per item and quarter;
-- every change recorded (who, when, before, after) under an edit batch that can be rolled back.
CREATE SEQUENCE IF NOT EXISTS plan_ids START 1;
CREATE TABLE IF NOT EXISTS plans (
    plan_id INTEGER PRIMARY KEY DEFAULT nextval('plan_ids'), era VARCHAR NOT NULL,
    province_code VARCHAR NOT NULL, index_code VARCHAR NOT NULL, year INTEGER NOT NULL,
    plan_number VARCHAR, plan_date DATE, created_at TIMESTAMP, created_by VARCHAR,
    UNIQUE (era, province_code, index_code, year));
CREATE SEQUENCE IF NOT EXISTS plan_item_ids START 1;
CREATE TABLE IF NOT EXISTS plan_items (
    item_id INTEGER PRIMARY KEY DEFAULT nextval('plan_item_ids'), plan_id INTEGER NOT NULL,
    item_no INTEGER, indicator_code VARCHAR, indicator VARCHAR, tier VARCHAR, reasons VARCHAR,
    baseline_value DOUBLE, baseline_rank INTEGER, lead_department VARCHAR,
    support_departments VARCHAR, task VARCHAR, deadline DATE);
CREATE TABLE IF NOT EXISTS plan_item_status (
    item_id INTEGER NOT NULL, quarter VARCHAR NOT NULL, status VARCHAR, note VARCHAR,
    PRIMARY KEY (item_id, quarter));
CREATE SEQUENCE IF NOT EXISTS plan_edit_ids START 1;
CREATE TABLE IF NOT EXISTS plan_edits (
    edit_id INTEGER PRIMARY KEY DEFAULT nextval('plan_edit_ids'), plan_id INTEGER, edited_at TIMESTAMP,
    edited_by VARCHAR, source VARCHAR, file_name VARCHAR, rolled_back_at TIMESTAMP, rolled_back_by VARCHAR);
CREATE TABLE IF NOT EXISTS plan_changes (
    edit_id INTEGER NOT NULL, item_id INTEGER NOT NULL, field VARCHAR NOT NULL, quarter VARCHAR,
    old_value VARCHAR, new_value VARCHAR);
"""

# Reference tables are rebuilt from data/ on every init: they are data, versioned in git.
_REFERENCE_TABLES = {
    "provinces": registry.load_provinces,
    "indices": registry.load_indices,
    "indicators": registry.load_catalog,
    "breaks": registry.load_breaks,
    "sources": registry.load_sources,
}


def _default_departments(data_dir: Path) -> pd.DataFrame:
    return registry.load_default_departments(data_dir)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers)
        return "unknown"


class Store:
    """An open DuckDB database. Use `Store.open(path)`; close with `close()` or `with`."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path):
        self._con = connection
        self.path = path

    @classmethod
    def open(cls, path: Path | str, read_only: bool = False) -> "Store":
        path = Path(path)
        if read_only and not path.exists():
            raise UserError(f"Chưa có cơ sở dữ liệu tại {path}.",
                            hint="Chạy `python -m analytics init --db ĐƯỜNG_DẪN` để tạo.")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as error:
            raise UserError(f"Không mở được cơ sở dữ liệu {path}: {error}",
                            hint="Có thể ứng dụng khác đang ghi vào tệp này; đóng nó rồi thử lại.") from error
        return cls(connection, path)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- low level -------------------------------------------------------------------------
    def _query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        try:
            return self._con.cursor().execute(sql, params or []).df()
        except duckdb.Error as error:
            raise UserError(f"Lỗi truy vấn cơ sở dữ liệu: {error}") from error

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commit on success, roll back on any error."""
        cursor = self._con.cursor()
        cursor.execute("BEGIN TRANSACTION")
        try:
            yield cursor
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    # -- building --------------------------------------------------------------------------
    def initialise(self, data_dir: Path = DATA_DIR, sources: tuple[str, ...] = EMBEDDED_SOURCES) -> dict[str, int]:
        """Create the schema, refresh reference tables and load embedded scores not yet loaded.

        Idempotent: a second run changes nothing. An embedded source whose file changed is
        reloaded, except for index-years that an official import has since taken over.
        `sources` selects which embedded score files to load (tests build partial stores).
        Returns the number of score rows loaded per source.
        """
        loaded: dict[str, int] = {}
        try:
            with self._transaction() as cursor:
                cursor.execute(_SCHEMA)
                cursor.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                               [str(SCHEMA_VERSION)])
                for table, loader in _REFERENCE_TABLES.items():
                    frame = loader(data_dir)
                    cursor.execute(f"DELETE FROM {table}")
                    cursor.register("incoming", frame)
                    columns = ", ".join(frame.columns)
                    cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
                    cursor.unregister("incoming")
                if cursor.execute("SELECT count(*) FROM departments").fetchall()[0][0] == 0:
                    cursor.register("defaults", _default_departments(data_dir))
                    cursor.execute("INSERT INTO departments SELECT index_code, indicator_code, lead_department,"
                                   " support_departments, NULL, 'data/departments.csv' FROM defaults")
                    cursor.unregister("defaults")
                for source_id in sources:
                    loaded[source_id] = self._load_embedded(cursor, source_id, data_dir)
        except duckdb.Error as error:
            raise UserError(f"Không tạo được cơ sở dữ liệu {self.path}: {error}") from error
        return loaded

    def _load_embedded(self, cursor, source_id: str, data_dir: Path) -> int:
        path = data_dir / "scores" / f"{source_id}.csv"
        digest = sha256_of(path)
        already = cursor.execute(
            "SELECT count(*) FROM import_batches WHERE source_id = ? AND sha256 = ?",
            [source_id, digest]).fetchall()[0][0]
        if already:
            return 0
        scores = registry.load_source_scores(source_id, data_dir)
        scores["era"] = registry.eras_of(scores, registry.load_indices(data_dir))
        cursor.execute("DELETE FROM scores WHERE batch_id IN "
                       "(SELECT batch_id FROM import_batches WHERE source_id = ?)", [source_id])
        batch_id = cursor.execute(
            "INSERT INTO import_batches (imported_at, imported_by, file_name, sha256, row_count,"
            " source_id, is_demo) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING batch_id",
            [datetime.now(timezone.utc).replace(tzinfo=None), f"init ({_who()})",
             f"data/scores/{path.name}", digest, len(scores), source_id, source_id == "demo"],
        ).fetchall()[0][0]
        cursor.register("incoming", scores.assign(batch_id=batch_id))
        # Index-years already held by another batch (an official import) are left alone.
        inserted = cursor.execute(
            """INSERT INTO scores (index_code, year, era, province_code, indicator_code, value, batch_id)
               SELECT i.index_code, i.year, i.era, i.province_code, i.indicator_code, i.value, i.batch_id
               FROM incoming i
               WHERE NOT EXISTS (SELECT 1 FROM scores s
                                 WHERE s.index_code = i.index_code AND s.year = i.year)"""
        ).fetchall()[0][0]
        cursor.unregister("incoming")
        cursor.execute("UPDATE import_batches SET row_count = ? WHERE batch_id = ?", [inserted, batch_id])
        return inserted

    # -- reading ---------------------------------------------------------------------------
    def provinces(self) -> pd.DataFrame:
        return self._query("SELECT * FROM provinces ORDER BY era DESC, code")

    def indices(self) -> pd.DataFrame:
        return self._query("SELECT * FROM indices ORDER BY sort_order")

    def catalog(self) -> pd.DataFrame:
        return self._query("SELECT * FROM indicators ORDER BY index_code, sort_order, valid_from")

    def breaks(self) -> pd.DataFrame:
        return self._query("SELECT * FROM breaks")

    def sources(self) -> pd.DataFrame:
        return self._query("SELECT * FROM sources")

    def batches(self) -> pd.DataFrame:
        return self._query("SELECT * FROM import_batches ORDER BY batch_id")

    def scores(self, index_code: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Score rows with their batch's source: index_code, year, era, province_code,
        indicator_code, value, batch_id, source_id, is_demo."""
        sql = ["SELECT s.*, b.source_id, b.is_demo FROM scores s JOIN import_batches b USING (batch_id)"]
        conditions, params = [], []
        if index_code is not None:
            conditions.append("s.index_code = ?")
            params.append(index_code)
        if year is not None:
            conditions.append("s.year = ?")
            params.append(int(year))
        if conditions:
            sql.append("WHERE " + " AND ".join(conditions))
        sql.append("ORDER BY s.index_code, s.year, s.indicator_code, s.province_code")
        return self._query(" ".join(sql), params)

    def scores_for(self, index_years: list[tuple[str, int]]) -> pd.DataFrame:
        """Stored rows of the given (index, year) pairs, with their batch's source and demo flag."""
        frames = [self.scores(index_code, year) for index_code, year in index_years]
        return pd.concat(frames, ignore_index=True) if frames else self.scores().iloc[0:0]

    def departments(self) -> pd.DataFrame:
        return self._query("SELECT * FROM departments ORDER BY index_code, indicator_code")

    def save_departments(self, table: pd.DataFrame, saved_by: str) -> int:
        """Replace the departments of the indices in `table` (one transaction). Returns rows written."""
        columns = ["index_code", "indicator_code", "lead_department", "support_departments"]
        rows = table[columns].fillna("").astype(str)
        rows = rows[rows["indicator_code"].str.strip() != ""]
        if rows.duplicated(["index_code", "indicator_code"]).any():
            raise UserError("Mỗi chỉ số chỉ được có một dòng cơ quan chủ trì.",
                            hint="Xóa dòng trùng trong bảng rồi lưu lại.")
        if (rows["lead_department"].str.strip() == "").any():
            raise UserError("Mỗi chỉ số cần một cơ quan chủ trì.", hint="Điền cột cơ quan chủ trì.")
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._transaction() as cursor:
            cursor.register("edited", rows)
            cursor.execute("DELETE FROM departments WHERE index_code IN (SELECT DISTINCT index_code FROM edited)")
            cursor.execute("INSERT INTO departments SELECT index_code, indicator_code, lead_department,"
                           " support_departments, ?, ? FROM edited", [now, saved_by])
            cursor.unregister("edited")
        return len(rows)

    def targets(self) -> pd.DataFrame:
        return self._query("SELECT * FROM targets ORDER BY province_code, index_code, year")

    def save_target(self, *, era: str, province_code: str, index_code: str, year: int,
                    target_score: float | None, strictly_above: bool, target_rank: int | None,
                    min_rank_gain: int | None, note: str, set_by: str) -> None:
        if target_score is None and target_rank is None and min_rank_gain is None:
            raise UserError("Mục tiêu cần ít nhất một trong: điểm, thứ hạng, số bậc tăng.")
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._transaction() as cursor:
            cursor.execute("INSERT OR REPLACE INTO targets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [era, province_code, index_code, int(year), target_score, strictly_above,
                            target_rank, min_rank_gain, note, now, set_by])

    def delete_target(self, era: str, province_code: str, index_code: str, year: int) -> None:
        with self._transaction() as cursor:
            cursor.execute("DELETE FROM targets WHERE era = ? AND province_code = ? AND index_code = ? AND year = ?",
                           [era, province_code, index_code, int(year)])

    def mappings(self) -> dict[tuple[str, str], str]:
        rows = self._query("SELECT index_code, header_key, indicator_code FROM column_mappings")
        return {(r.index_code, r.header_key): r.indicator_code for r in rows.itertuples(index=False)}

    def save_mappings(self, choices: list[tuple[str, str, str]], saved_by: str) -> None:
        """Remember (index_code, header_key, indicator_code or IGNORE) for the next file."""
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._transaction() as cursor:
            for index_code, header_key, code in choices:
                cursor.execute("INSERT OR REPLACE INTO column_mappings VALUES (?, ?, ?, ?, ?)",
                               [index_code, header_key, code, now, saved_by])

    def active_batch_with_sha(self, sha256: str) -> int | None:
        row = self._con.cursor().execute(
            "SELECT max(batch_id) FROM import_batches WHERE sha256 = ? AND rolled_back_at IS NULL",
            [sha256]).fetchall()[0]
        return row[0] if row else None

    def apply_import(self, scores: pd.DataFrame, *, file_name: str, sha256: str, imported_by: str,
                     summary: str = "") -> int:
        """Write one import batch in one transaction: all of it or none of it.

        `scores` has index_code, year, era, province_code, indicator_code, value. Existing
        figures are replaced; the demo rows of every index-year in the file are removed (an
        official import replaces demo data). Everything replaced or removed is kept in
        score_history for `rollback`. Returns the new batch id.
        """
        keys = ["index_code", "year", "era", "province_code", "indicator_code"]
        incoming = scores[keys + ["value"]].copy()
        incoming["year"] = incoming["year"].astype(int)
        index_years = incoming[["index_code", "year"]].drop_duplicates()
        try:
            with self._transaction() as cursor:
                batch_id = cursor.execute(
                    "INSERT INTO import_batches (imported_at, imported_by, file_name, sha256, row_count,"
                    " source_id, is_demo, summary) VALUES (?, ?, ?, ?, ?, 'import', false, ?) RETURNING batch_id",
                    [datetime.now(timezone.utc).replace(tzinfo=None), imported_by, file_name, sha256,
                     len(incoming), summary]).fetchall()[0][0]
                cursor.register("incoming", incoming)
                cursor.register("index_years", index_years)
                # 1. Remember what is replaced: the same cells, and the demo rows of these index-years.
                cursor.execute(f"""
                    INSERT INTO score_history
                    SELECT ?, s.index_code, s.year, s.era, s.province_code, s.indicator_code, s.value, s.batch_id, i.value
                    FROM scores s LEFT JOIN incoming i USING ({', '.join(keys)})
                    WHERE i.value IS NOT NULL
                       OR ((s.index_code, s.year) IN (SELECT (index_code, year) FROM index_years)
                           AND s.batch_id IN (SELECT batch_id FROM import_batches WHERE is_demo))""", [batch_id])
                cursor.execute(f"""
                    INSERT INTO score_history
                    SELECT ?, i.index_code, i.year, i.era, i.province_code, i.indicator_code, NULL, NULL, i.value
                    FROM incoming i ANTI JOIN scores s USING ({', '.join(keys)})""", [batch_id])
                # 2. Remove them, then write the file's figures.
                cursor.execute("""
                    DELETE FROM scores WHERE (index_code, year, era, province_code, indicator_code) IN
                      (SELECT (index_code, year, era, province_code, indicator_code) FROM score_history
                       WHERE batch_id = ? AND old_value IS NOT NULL)""", [batch_id])
                cursor.execute(f"""
                    INSERT INTO scores ({', '.join(keys)}, value, batch_id)
                    SELECT {', '.join(keys)}, value, ? FROM incoming""", [batch_id])
                cursor.unregister("incoming")
                cursor.unregister("index_years")
        except duckdb.Error as error:
            raise UserError(f"Không ghi được số liệu vào cơ sở dữ liệu: {error}",
                            hint="Không có gì đã bị thay đổi. Thử lại sau.") from error
        return batch_id

    def rollback(self, batch_id: int, rolled_back_by: str) -> int:
        """Restore exactly what was there before batch `batch_id`. Returns the rows restored.

        Refused when a later import changed the same figures (roll that one back first) or when
        the batch is not an import or was already rolled back.
        """
        batch = self._query("SELECT * FROM import_batches WHERE batch_id = ?", [batch_id])
        if batch.empty:
            raise UserError(f"Không có lô nhập #{batch_id}.")
        if batch["source_id"].iloc[0] != "import":
            raise UserError(f"Lô #{batch_id} là dữ liệu dựng sẵn, không hoàn tác được.")
        if pd.notna(batch["rolled_back_at"].iloc[0]):
            raise UserError(f"Lô #{batch_id} đã được hoàn tác trước đó.")
        keys = "index_code, year, era, province_code, indicator_code"
        later = self._query(f"""
            SELECT DISTINCT s.batch_id FROM score_history h JOIN scores s USING ({keys})
            WHERE h.batch_id = ? AND h.new_value IS NOT NULL AND s.batch_id <> ?""", [batch_id, batch_id])
        if not later.empty:
            others = ", ".join(f"#{b}" for b in later["batch_id"])
            raise UserError(f"Lô {others} (nhập sau) đã thay đổi một phần số liệu của lô #{batch_id}.",
                            hint=f"Hoàn tác lô {others} trước, rồi hoàn tác lô #{batch_id}.")
        try:
            with self._transaction() as cursor:
                cursor.execute("DELETE FROM scores WHERE batch_id = ?", [batch_id])
                restored = cursor.execute(f"""
                    INSERT INTO scores ({keys}, value, batch_id)
                    SELECT {keys}, old_value, old_batch_id FROM score_history
                    WHERE batch_id = ? AND old_value IS NOT NULL""", [batch_id]).fetchall()[0][0]
                cursor.execute("UPDATE import_batches SET rolled_back_at = ?, rolled_back_by = ? WHERE batch_id = ?",
                               [datetime.now(timezone.utc).replace(tzinfo=None), rolled_back_by, batch_id])
        except duckdb.Error as error:
            raise UserError(f"Không hoàn tác được lô #{batch_id}: {error}", hint="Không có gì đã bị thay đổi.") from error
        return restored

    def data_version(self) -> str:
        """Changes whenever scores change: a cache key for the app."""
        row = self._con.cursor().execute(
            "SELECT count(*), coalesce(max(batch_id), 0) FROM import_batches").fetchall()[0]
        total = self._con.cursor().execute("SELECT count(*) FROM scores").fetchall()[0][0]
        return f"{row[0]}-{row[1]}-{total}"

    # -- improvement plans ------------------------------------------------------------------
    # Plans, items, quarterly statuses and their change log (tables at the end of _SCHEMA).
    # Every write is one transaction and one row of plan_edits; each changed value is a row of
    # plan_changes (field, quarter, before, after), so `rollback_plan_edit` restores it exactly.
    _PLAN_ITEM_FIELDS = ("lead_department", "support_departments", "task", "deadline")
    _PLAN_STATUS_FIELDS = ("status", "note")

    @staticmethod
    def _plan_text(value) -> str | None:
        """A value as the change log stores it: text, dates as YYYY-MM-DD, '' and NaN as None."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        text = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)
        return text if text.strip() else None

    def _plan_tables(self) -> None:
        """Create the plan tables in a database built before they existed (idempotent)."""
        ddl = _SCHEMA.split("-- -- improvement plans (issue 12) --", 1)[1]
        try:
            self._con.cursor().execute(ddl)
        except duckdb.Error as error:
            raise UserError(f"Không tạo được bảng kế hoạch: {error}") from error

    def _plan_query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        try:
            return self._con.cursor().execute(sql, params or []).df()
        except duckdb.CatalogException:  # a read-only database from before the plan tables
            return pd.DataFrame()
        except duckdb.Error as error:
            raise UserError(f"Lỗi truy vấn kế hoạch: {error}") from error

    def plans(self) -> pd.DataFrame:
        """plan_id, era, province_code, index_code, year, plan_number, plan_date, created_at/by."""
        return self._plan_query("SELECT * FROM plans ORDER BY year DESC, index_code, era, province_code")

    def save_plan(self, *, era: str, province_code: str, index_code: str, year: int, plan_number: str,
                  plan_date, saved_by: str) -> int:
        """Create the plan of a province (era + code), index and year, or change its number and
        date (recorded as a change with item_id 0). Returns the plan id."""
        self._plan_tables()
        key = [era, province_code, index_code, int(year)]
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self._transaction() as cursor:
            found = cursor.execute("SELECT plan_id, plan_number, CAST(plan_date AS VARCHAR) FROM plans WHERE era = ?"
                                   " AND province_code = ? AND index_code = ? AND year = ?", key).fetchall()
            if not found:
                return cursor.execute("INSERT INTO plans (era, province_code, index_code, year, plan_number, plan_date,"
                                      " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING plan_id",
                                      key + [plan_number, plan_date, now, saved_by]).fetchall()[0][0]
            plan_id, old_number, old_date = found[0]
            edit_id = self._plan_edit(cursor, plan_id, saved_by, "page", None)
            for field, old, new in (("plan_number", old_number, plan_number), ("plan_date", old_date, plan_date)):
                if self._plan_text(old) != self._plan_text(new):
                    cursor.execute("INSERT INTO plan_changes VALUES (?, 0, ?, NULL, ?, ?)",
                                   [edit_id, field, self._plan_text(old), self._plan_text(new)])
            cursor.execute("UPDATE plans SET plan_number = ?, plan_date = ? WHERE plan_id = ?",
                           [plan_number, plan_date, plan_id])
            return plan_id

    def plan_items(self, plan_id: int | None = None) -> pd.DataFrame:
        """Items with their plan's keys (all plans when `plan_id` is None), by plan and item_no."""
        where, params = ("WHERE i.plan_id = ?", [plan_id]) if plan_id is not None else ("", [])
        return self._plan_query("SELECT i.*, p.era, p.province_code, p.index_code, p.year, p.plan_number,"
                                " p.plan_date FROM plan_items i JOIN plans p USING (plan_id) " + where +
                                " ORDER BY i.plan_id, i.item_no", params)

    def plan_statuses(self, plan_id: int | None = None) -> pd.DataFrame:
        """item_id, quarter, status, note (all plans when `plan_id` is None)."""
        where, params = ("WHERE i.plan_id = ?", [plan_id]) if plan_id is not None else ("", [])
        return self._plan_query("SELECT s.* FROM plan_item_status s JOIN plan_items i USING (item_id) " + where +
                                " ORDER BY s.item_id, s.quarter", params)

    def add_plan_items(self, plan_id: int, items: pd.DataFrame, added_by: str) -> int:
        """Add items (indicator_code, indicator, tier, reasons, baseline_value, baseline_rank,
        lead_department, support_departments, task, deadline) numbered after the plan's last
        item; each recorded as a change of field `item` (None → indicator code). Returns the edit id."""
        self._plan_tables()
        columns = ["indicator_code", "indicator", "tier", "reasons", "baseline_value", "baseline_rank",
                   "lead_department", "support_departments", "task", "deadline"]
        rows = items.reindex(columns=columns).astype(object).where(items.reindex(columns=columns).notna(), None)
        with self._transaction() as cursor:
            edit_id = self._plan_edit(cursor, plan_id, added_by, "worklist", None)
            last = cursor.execute("SELECT coalesce(max(item_no), 0) FROM plan_items WHERE plan_id = ?",
                                  [plan_id]).fetchall()[0][0]
            for n, row in enumerate(rows.itertuples(index=False), start=last + 1):
                item_id = cursor.execute(f"INSERT INTO plan_items (plan_id, item_no, {', '.join(columns)}) VALUES "
                                         f"(?, ?, {', '.join('?' * len(columns))}) RETURNING item_id",
                                         [plan_id, n, *row]).fetchall()[0][0]
                cursor.execute("INSERT INTO plan_changes VALUES (?, ?, 'item', NULL, NULL, ?)",
                               [edit_id, item_id, row.indicator_code])
        return edit_id

    def apply_plan_changes(self, plan_id: int, changes: pd.DataFrame, *, changed_by: str,
                           source: str = "page", file_name: str | None = None) -> int | None:
        """Write changes (item_id, field, quarter, new_value; `field` one of lead_department,
        support_departments, task, deadline, status, note) in one transaction, recording each
        value before and after. Values equal to the stored one are skipped; None when nothing
        changes. Returns the edit id (for `rollback_plan_edit`)."""
        self._plan_tables()
        items = set(self.plan_items(plan_id)["item_id"].astype(int))
        unknown = {int(i) for i in changes["item_id"]} - items if len(changes) else set()
        if unknown:
            raise UserError(f"Mục {sorted(unknown)} không thuộc kế hoạch #{plan_id}.")
        try:
            with self._transaction() as cursor:
                edit_id = self._plan_edit(cursor, plan_id, changed_by, source, file_name)
                written = sum(self._plan_set(cursor, edit_id, int(c.item_id), c.field,
                                             c.quarter if isinstance(c.quarter, str) else None, c.new_value)
                              for c in changes.itertuples(index=False))
                if not written:
                    cursor.execute("DELETE FROM plan_edits WHERE edit_id = ?", [edit_id])
        except duckdb.Error as error:
            raise UserError(f"Không ghi được kế hoạch: {error}", hint="Không có gì đã bị thay đổi.") from error
        return edit_id if written else None

    def _plan_edit(self, cursor, plan_id: int, by: str, source: str, file_name: str | None) -> int:
        return cursor.execute("INSERT INTO plan_edits (plan_id, edited_at, edited_by, source, file_name)"
                              " VALUES (?, ?, ?, ?, ?) RETURNING edit_id",
                              [plan_id, datetime.now(timezone.utc).replace(tzinfo=None), by, source,
                               file_name]).fetchall()[0][0]

    def _plan_set(self, cursor, edit_id: int, item_id: int, field: str, quarter: str | None, new) -> int:
        """Set one value, logging before/after; 0 when it was already that value."""
        new = self._plan_text(new)
        if field in self._PLAN_ITEM_FIELDS:
            old = cursor.execute(f"SELECT CAST({field} AS VARCHAR) FROM plan_items WHERE item_id = ?",
                                 [item_id]).fetchall()[0][0]
            if self._plan_text(old) == new:
                return 0
            cursor.execute(f"UPDATE plan_items SET {field} = ? WHERE item_id = ?", [new, item_id])
        elif field in self._PLAN_STATUS_FIELDS and quarter:
            found = cursor.execute(f"SELECT {field} FROM plan_item_status WHERE item_id = ? AND quarter = ?",
                                   [item_id, quarter]).fetchall()
            old = found[0][0] if found else None
            if self._plan_text(old) == new:
                return 0
            cursor.execute("INSERT INTO plan_item_status (item_id, quarter) VALUES (?, ?) ON CONFLICT DO NOTHING",
                           [item_id, quarter])
            cursor.execute(f"UPDATE plan_item_status SET {field} = ? WHERE item_id = ? AND quarter = ?",
                           [new, item_id, quarter])
        else:
            raise UserError(f"Không sửa được trường «{field}» của kế hoạch.")
        cursor.execute("INSERT INTO plan_changes VALUES (?, ?, ?, ?, ?, ?)",
                       [edit_id, item_id, field, quarter, self._plan_text(old), new])
        return 1

    def plan_changes(self, plan_id: int | None = None) -> pd.DataFrame:
        """The change log, newest first: edit_id, edited_at, edited_by, source, file_name,
        rolled_back_at, item_id, item_no, indicator_code, field, quarter, old_value, new_value."""
        where, params = ("WHERE e.plan_id = ?", [plan_id]) if plan_id is not None else ("", [])
        return self._plan_query("SELECT e.edit_id, e.plan_id, e.edited_at, e.edited_by, e.source, e.file_name,"
                                " e.rolled_back_at, c.item_id, i.item_no, i.indicator_code, c.field, c.quarter,"
                                " c.old_value, c.new_value FROM plan_changes c JOIN plan_edits e USING (edit_id)"
                                " LEFT JOIN plan_items i USING (item_id) " + where +
                                " ORDER BY e.edit_id DESC, i.item_no, c.field", params)

    def rollback_plan_edit(self, edit_id: int, rolled_back_by: str) -> int:
        """Restore the values an edit (a page save or an Excel import) changed, in one
        transaction. Refused when a later edit changed the same values. Returns values restored."""
        self._plan_tables()
        edit = self._plan_query("SELECT * FROM plan_edits WHERE edit_id = ?", [edit_id])
        if edit.empty:
            raise UserError(f"Không có lần sửa kế hoạch #{edit_id}.")
        if pd.notna(edit["rolled_back_at"].iloc[0]):
            raise UserError(f"Lần sửa #{edit_id} đã được hoàn tác trước đó.")
        later = self._plan_query("""
            SELECT DISTINCT l.edit_id FROM plan_changes c JOIN plan_changes l
              ON l.item_id = c.item_id AND (c.field = 'item' OR (l.field = c.field
               AND coalesce(l.quarter, '') = coalesce(c.quarter, '')))
            JOIN plan_edits e ON e.edit_id = l.edit_id
            WHERE c.edit_id = ? AND l.edit_id > ? AND e.rolled_back_at IS NULL""", [edit_id, edit_id])
        if not later.empty:
            others = ", ".join(f"#{e}" for e in later["edit_id"])
            raise UserError(f"Lần sửa {others} (sau đó) đã thay đổi cùng nội dung của lần sửa #{edit_id}.",
                            hint=f"Hoàn tác {others} trước.")
        changes = self._plan_query("SELECT * FROM plan_changes WHERE edit_id = ?", [edit_id])
        plan_id = int(edit["plan_id"].iloc[0])
        try:
            with self._transaction() as cursor:
                for c in changes.itertuples(index=False):
                    self._plan_restore(cursor, plan_id, c.item_id, c.field,
                                       c.quarter if isinstance(c.quarter, str) else None, self._plan_text(c.old_value))
                cursor.execute("UPDATE plan_edits SET rolled_back_at = ?, rolled_back_by = ? WHERE edit_id = ?",
                               [datetime.now(timezone.utc).replace(tzinfo=None), rolled_back_by, edit_id])
        except duckdb.Error as error:
            raise UserError(f"Không hoàn tác được lần sửa #{edit_id}: {error}", hint="Không có gì đã bị thay đổi.") from error
        return len(changes)

    def _plan_restore(self, cursor, plan_id: int, item_id: int, field: str, quarter: str | None, old) -> None:
        if field == "item":
            cursor.execute("DELETE FROM plan_item_status WHERE item_id = ?", [item_id])
            cursor.execute("DELETE FROM plan_items WHERE item_id = ?", [item_id])
        elif field in ("plan_number", "plan_date"):
            cursor.execute(f"UPDATE plans SET {field} = ? WHERE plan_id = ?", [old, plan_id])
        elif field in self._PLAN_ITEM_FIELDS:
            cursor.execute(f"UPDATE plan_items SET {field} = ? WHERE item_id = ?", [old, item_id])
        else:
            cursor.execute(f"UPDATE plan_item_status SET {field} = ? WHERE item_id = ? AND quarter = ?",
                           [old, item_id, quarter])


def schema_version(path: Path | str) -> int:
    """The schema version recorded in an existing database (0 when unknown)."""
    try:
        with duckdb.connect(str(path), read_only=True) as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    except duckdb.Error:
        return 0
    return int(row[0][0]) if row else 0


def ensure_store(path: Path | str, data_dir: Path = DATA_DIR) -> Path:
    """Build the database at `path` when it is absent (the app's first start), and bring an
    older one up to this schema (new tables; stored scores, imports and edits are kept)."""
    path = Path(path)
    if not path.exists() or schema_version(path) < SCHEMA_VERSION:
        with Store.open(path) as store:
            store.initialise(data_dir)
    return path
