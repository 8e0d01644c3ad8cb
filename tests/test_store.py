"""The DuckDB store: built from data/, idempotent, errors translated."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.errors import UserError
from analytics.store import Store, ensure_store


def dump(path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Store.open(path, read_only=True) as store:
        return store.scores(), store.batches()


def test_init_loads_every_embedded_source(store):
    batches = store.batches()
    assert batches["source_id"].tolist() == ["papi_2011_2016", "papi_2017_2024", "demo"]
    assert batches["row_count"].tolist() == [10904, 4331, len(store.scores()) - 10904 - 4331]
    assert batches["sha256"].str.len().eq(64).all()
    assert len(store.provinces()) == 63 + 34


def test_init_is_idempotent(fresh_db):
    with Store.open(fresh_db) as store:
        first = store.initialise()
    scores_before, batches_before = dump(fresh_db)
    with Store.open(fresh_db) as store:
        second = store.initialise()
    scores_after, batches_after = dump(fresh_db)
    assert sum(first.values()) == len(scores_before) > 20000
    assert sum(second.values()) == 0
    pd.testing.assert_frame_equal(scores_before, scores_after)
    pd.testing.assert_frame_equal(batches_before, batches_after)


def test_a_changed_embedded_file_replaces_only_its_own_rows(fresh_db, data_copy):
    with Store.open(fresh_db) as store:
        store.initialise(data_copy)
    demo_path = data_copy / "scores" / "demo.csv"
    demo = pd.read_csv(demo_path, dtype={"province_code": str})
    demo.loc[0, "value"] = 1.23
    demo.to_csv(demo_path, index=False, float_format="%.2f")
    with Store.open(fresh_db) as store:
        loaded = store.initialise(data_copy)
        scores = store.scores()
    assert loaded == {"papi_2011_2016": 0, "papi_2017_2024": 0, "demo": len(demo)}
    first = demo.iloc[0]
    row = scores[(scores["index_code"] == first["index_code"]) & (scores["year"] == first["year"])
                 & (scores["province_code"] == first["province_code"]) & (scores["indicator_code"] == first["indicator_code"])]
    assert row["value"].item() == 1.23
    assert len(scores) == 10904 + 4331 + len(demo)


def test_ensure_store_builds_only_when_absent(tmp_path):
    path = tmp_path / "sub" / "app.duckdb"
    ensure_store(path)
    stamp = path.stat().st_mtime_ns
    ensure_store(path)
    assert path.stat().st_mtime_ns == stamp


def test_opening_a_missing_store_read_only_says_what_to_do(tmp_path):
    with pytest.raises(UserError, match="analytics init"):
        Store.open(tmp_path / "absent.duckdb", read_only=True)


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("not a database")
    with pytest.raises(UserError, match="Không mở được"):
        Store.open(bogus)


def test_an_older_store_is_upgraded_and_keeps_its_imports(fresh_db):
    import duckdb
    from analytics.store import SCHEMA_VERSION, schema_version
    with Store.open(fresh_db) as store:
        store.initialise()
        store.apply_import(store.scores("PAPI", 2016).head(3).assign(value=5.0), file_name="x.xlsx", sha256="abc",
                           imported_by="t")
    with duckdb.connect(str(fresh_db)) as connection:  # what a version-2 file looked like
        connection.execute("DROP TABLE targets")
        connection.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    before = dump(fresh_db)[0]
    ensure_store(fresh_db)
    assert schema_version(fresh_db) == SCHEMA_VERSION
    with Store.open(fresh_db, read_only=True) as store:
        assert store.targets().empty
    pd.testing.assert_frame_equal(before, dump(fresh_db)[0])
