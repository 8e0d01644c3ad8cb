"""The Store's methods, written once over a session that either backend provides (store.py).

Reads run on a connection of their own, or on the snapshot held by `reading()`. Every write is
one transaction that also bumps the data version; it rolls back entirely on any error.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from analytics import registry
from analytics import store_sql as sql
from analytics.errors import UserError
from analytics.wording import N_
from analytics.paths import DATA_DIR
from analytics.store_backends import Snapshot, TableReads, default_departments
from analytics.weak_wording import phrase

READ_ACTION = phrase("act_read_db")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def incoming_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """The five keys, value, `derived` (False when the frame has no such column) and the
    publisher's `official_rank` (nullable integer; absent when the frame has none)."""
    frame = scores[list(sql.KEYS) + ["value"]].copy()
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    frame["derived"] = (scores["derived"].fillna(False).astype(bool).to_numpy()
                        if "derived" in scores else False)
    rank = scores["official_rank"] if "official_rank" in scores else pd.Series(None, index=scores.index, dtype=float)
    frame["official_rank"] = pd.to_numeric(rank, errors="coerce").round().astype("Int64").to_numpy()
    return frame.reset_index(drop=True)


class StoreMethods(TableReads):
    """Needs from the Store: `_session(write, action)`, `_migrate()`, `_held`, `read_only`, `path`."""

    # -- sessions --------------------------------------------------------------------------
    @contextmanager
    def _reading(self, action=READ_ACTION):
        if self._held is not None:
            yield self._held
            return
        with self._session(False, action) as session:
            yield session

    @contextmanager
    def _writing(self, action):
        if self.read_only:
            raise UserError.keyed("err_db_read_only", hint_key=N_("hint_reopen_writable"), path=str(self.path))
        with self._session(True, action) as session:
            session.begin()
            try:
                yield session
                session.run(sql.BUMP_VERSION)
            except BaseException:
                session.rollback()
                raise
            session.commit()

    @contextmanager
    def reading(self):
        """Several reads from one connection and one consistent state: `with store.reading(): …`."""
        with self._session(False, READ_ACTION) as session:
            self._held = session
            try:
                yield self
            finally:
                self._held = None

    def snapshot(self) -> Snapshot:
        """Every table the pages read, read at one moment; the connection is closed on return."""
        with self.reading():
            frames = {table: self._table(table) for table in sql.ORDERED}
            frames["scores"] = self._query(*sql.scores_query())
        return Snapshot(frames)

    def _query(self, text: str, params: list | None = None) -> pd.DataFrame:
        with self._reading() as session:
            return session.query(text, params)

    def revision(self) -> str:
        """The Alembic revision of the schema ('' for a store made before Alembic, or empty)."""
        with self._reading() as session:
            has_table = session.rows("SELECT count(*) FROM information_schema.tables"
                                     " WHERE table_name = 'alembic_version'")[0][0]
            rows = session.rows(sql.REVISION) if has_table else []
        return rows[0][0] if rows else ""

    # -- building --------------------------------------------------------------------------
    def initialise(self, data_dir: Path = DATA_DIR, sources: tuple[str, ...] | None = None) -> dict[str, int]:
        """Create or upgrade the schema (Alembic), refresh reference tables and load embedded
        scores not yet loaded.

        Idempotent: a second run changes nothing. An embedded source whose file changed is
        reloaded, except for index-years that an official import has since taken over.
        `sources` selects which embedded score files to load (tests build partial stores).
        Returns the number of score rows loaded per source.
        """
        from analytics.store import EMBEDDED_SOURCES
        self._migrate()
        loaded: dict[str, int] = {}
        with self._writing(phrase("act_create_db", path=str(self.path))) as session:
            for table, loader in _reference_tables().items():
                frame = loader(data_dir)
                delete, insert = sql.replace_table(table, list(frame.columns))
                session.run(delete)
                session.register("incoming", frame)
                session.run(insert)
                session.unregister("incoming")
            if session.rows("SELECT count(*) FROM departments")[0][0] == 0:
                session.register("incoming", default_departments(data_dir))
                session.run(sql.DEPARTMENTS_DEFAULTS)
                session.unregister("incoming")
            session.run(sql.retired_drop(len(EMBEDDED_SOURCES)), list(EMBEDDED_SOURCES))
            for source_id in (EMBEDDED_SOURCES if sources is None else sources):
                loaded[source_id] = self._load_embedded(session, source_id, data_dir)
        return loaded

    def _load_embedded(self, session, source_id: str, data_dir: Path) -> int:
        from analytics.store import _who, sha256_of
        path = Path(data_dir) / "scores" / f"{source_id}.csv"
        digest = sha256_of(path)
        if session.rows(sql.EMBEDDED_ALREADY, [source_id, digest])[0][0]:
            return 0
        scores = registry.load_source_scores(source_id, data_dir)
        scores["era"] = registry.eras_of(scores, registry.load_indices(data_dir))
        session.run(sql.EMBEDDED_DROP, [source_id])
        batch_id = session.rows(sql.NEW_BATCH, [_now(), f"init ({_who()})", f"data/scores/{path.name}", digest,
                                                len(scores), source_id, source_id == "demo", None])[0][0]
        session.register("incoming", incoming_scores(scores))
        inserted = session.run(sql.EMBEDDED_INSERT, [batch_id])
        session.unregister("incoming")
        session.run(sql.SET_ROW_COUNT, [inserted, batch_id])
        return inserted

    # -- reading ---------------------------------------------------------------------------
    def _table(self, table: str) -> pd.DataFrame:
        return self._query(sql.ORDERED[table])

    def scores(self, index_code: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Score rows with their batch's source: index_code, year, era, province_code,
        indicator_code, value, batch_id, derived, official_rank, source_id, is_demo."""
        return self._query(*sql.scores_query(index_code, year))

    def scores_for(self, index_years: list[tuple[str, int]]) -> pd.DataFrame:
        """Stored rows of the given (index, year) pairs, with their batch's source and demo flag."""
        with self._reading():
            frames = [self.scores(index_code, year) for index_code, year in index_years]
            return pd.concat(frames, ignore_index=True) if frames else self.scores().iloc[0:0]

    def mappings(self) -> dict[tuple[str, str], str]:
        rows = self._query(sql.MAPPINGS)
        return {(r.index_code, r.header_key): r.indicator_code for r in rows.itertuples(index=False)}

    def active_batch_with_sha(self, sha256: str) -> int | None:
        with self._reading() as session:
            row = session.rows(sql.ACTIVE_WITH_SHA, [sha256])
        return row[0][0] if row else None

    # -- writing ---------------------------------------------------------------------------
    def save_departments(self, table: pd.DataFrame, saved_by: str) -> int:
        """Replace the departments of the indices in `table` (one transaction). Returns rows written."""
        columns = ["index_code", "indicator_code", "lead_department", "support_departments"]
        rows = table[columns].fillna("").astype(str)
        rows = rows[rows["indicator_code"].str.strip() != ""]
        if rows.duplicated(["index_code", "indicator_code"]).any():
            raise UserError.keyed("err_duplicate_lead", hint_key=N_("hint_delete_duplicate_row"))
        if (rows["lead_department"].str.strip() == "").any():
            raise UserError.keyed("err_missing_lead", hint_key=N_("hint_fill_lead"))
        with self._writing(phrase("act_save_departments")) as session:
            session.register("edited", rows.reset_index(drop=True))
            session.run(sql.DEPARTMENTS_REPLACE[0])
            session.run(sql.DEPARTMENTS_REPLACE[1], [_now(), saved_by])
            session.unregister("edited")
        return len(rows)

    def save_target(self, *, era: str, province_code: str, index_code: str, year: int,
                    target_score: float | None, strictly_above: bool, target_rank: int | None,
                    min_rank_gain: int | None, note: str, set_by: str) -> None:
        if target_score is None and target_rank is None and min_rank_gain is None:
            raise UserError.keyed("err_target_empty")
        with self._writing(phrase("act_save_target")) as session:
            session.run(sql.TARGET_UPSERT, [era, province_code, index_code, int(year), target_score,
                                            bool(strictly_above), target_rank, min_rank_gain, note, _now(), set_by])

    def delete_target(self, era: str, province_code: str, index_code: str, year: int) -> None:
        with self._writing(phrase("act_delete_target")) as session:
            session.run(sql.TARGET_DELETE, [era, province_code, index_code, int(year)])

    def save_mappings(self, choices: list[tuple[str, str, str]], saved_by: str) -> None:
        """Remember (index_code, header_key, indicator_code or IGNORE) for the next file."""
        with self._writing(phrase("act_save_mappings")) as session:
            for index_code, header_key, code in choices:
                session.run(sql.MAPPING_UPSERT, [index_code, header_key, code, _now(), saved_by])

    def apply_import(self, scores: pd.DataFrame, *, file_name: str, sha256: str, imported_by: str,
                     summary: str = "") -> int:
        """Write one import batch in one transaction: all of it or none of it.

        `scores` has index_code, year, era, province_code, indicator_code, value and optionally
        `derived` (a total computed from its parts; False when absent). Existing figures are
        replaced; the demo rows of every index-year in the file are removed (an official import
        replaces demo data). Everything replaced or removed is kept in score_history for
        `rollback`. Returns the new batch id.
        """
        incoming = incoming_scores(scores)
        index_years = incoming[["index_code", "year"]].drop_duplicates().reset_index(drop=True)
        with self._writing(phrase("act_write_scores")) as session:
            batch_id = session.rows(sql.NEW_BATCH, [_now(), imported_by, file_name, sha256, len(incoming),
                                                    "import", False, summary])[0][0]
            session.register("incoming", incoming)
            session.register("index_years", index_years)
            for statement in (sql.IMPORT_REMEMBER_REPLACED, sql.IMPORT_REMEMBER_ADDED,
                              sql.IMPORT_REMOVE_REPLACED, sql.IMPORT_WRITE):
                session.run(statement, [batch_id])
            session.unregister("incoming")
            session.unregister("index_years")
        return int(batch_id)

    def rollback(self, batch_id: int, rolled_back_by: str) -> int:
        """Restore exactly what was there before batch `batch_id`. Returns the rows restored.

        Refused when a later import changed the same figures (roll that one back first) or when
        the batch is not an import or was already rolled back. Checked inside the transaction.
        """
        with self._writing(phrase("act_rollback_batch", batch=batch_id)) as session:
            _check_rollback(session, int(batch_id))
            session.run(sql.ROLLBACK_REMOVE, [int(batch_id)])
            restored = session.run(sql.ROLLBACK_RESTORE, [int(batch_id)])
            session.run(sql.ROLLBACK_MARK, [_now(), rolled_back_by, int(batch_id)])
        return restored


def _check_rollback(session, batch_id: int) -> None:
    batch = session.query(sql.BATCH, [batch_id])
    if batch.empty:
        raise UserError.keyed("err_no_batch", batch=batch_id)
    if batch["source_id"].iloc[0] != "import":
        raise UserError.keyed("err_batch_embedded", batch=batch_id)
    if pd.notna(batch["rolled_back_at"].iloc[0]):
        raise UserError.keyed("err_batch_rolled_back", batch=batch_id)
    later = [row[0] for row in session.rows(sql.LATER_BATCHES, [batch_id, batch_id])]
    if later:
        others = ", ".join(f"#{b}" for b in later)
        raise UserError.keyed("err_batch_changed_later", hint_key=N_("hint_rollback_later_first"),
                              others=others, batch=batch_id)


def _reference_tables() -> dict:
    # Reference tables are rebuilt from data/ on every init: they are data, versioned in git.
    return {
        "provinces": registry.load_provinces,
        "indices": registry.load_indices,
        "indicators": registry.load_catalog,
        "breaks": registry.load_breaks,
        "sources": registry.load_sources,
    }
