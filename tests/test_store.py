"""The store on both backends (a DuckDB file and a real PostgreSQL database): built from data/,
idempotent, upgraded by Alembic, the `derived` flag, errors translated to Vietnamese."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analytics.errors import UserError
from analytics.store import EMBEDDED_SOURCES, Store, ensure_store, head_revision, schema_version
from tests import pgserver

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BACKENDS = ["duckdb", "postgresql"]


@pytest.fixture(params=BACKENDS)
def target(request, tmp_path):
    """An empty store on each backend: a file path, or the URL of a new database."""
    if request.param == "duckdb":
        yield tmp_path / "govindex.duckdb"
    else:
        with pgserver.database() as url:
            yield url


@pytest.fixture(scope="module", params=BACKENDS)
def built(request, tmp_path_factory):
    """A store built from the embedded data on each backend, shared by tests that only read."""
    if request.param == "duckdb":
        path = tmp_path_factory.mktemp("built") / "govindex.duckdb"
        Store.open(path).initialise()
        yield path
    else:
        with pgserver.database() as url:
            Store.open(url).initialise()
            yield url


def dump(target) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Store.open(target, read_only=True) as store, store.reading():
        return store.scores(), store.batches()


def history(target) -> pd.DataFrame:
    return Store.open(target, read_only=True)._query("SELECT * FROM score_history ORDER BY batch_id, province_code")


def test_init_loads_every_embedded_source(built):
    store = Store.open(built, read_only=True)
    batches = store.batches()
    assert batches["source_id"].tolist() == ["papi_2011_2019", "papi_2018_2019_indicators", "papi_2020_2024",
                                             "pci_2005_2019", "demo"]
    assert batches["row_count"].tolist() == [17310, 14961, 2762, 9860,
                                             len(store.scores()) - 17310 - 14961 - 2762 - 9860]
    assert batches["sha256"].str.len().eq(64).all()
    assert len(store.provinces()) == 63 + 34
    assert not store.scores()["derived"].any()
    assert store.revision() == head_revision()


def test_both_backends_return_the_same_frames(tmp_path):
    frames = {}
    for name in BACKENDS:
        with (pgserver.database() if name == "postgresql" else _path(tmp_path / "s.duckdb")) as target:
            Store.open(target).initialise()
            snapshot = Store.open(target, read_only=True).snapshot()
            frames[name] = {table: getattr(snapshot, table)() for table in
                            ("scores", "batches", "provinces", "indices", "catalog", "breaks", "sources",
                             "departments", "targets")}
    for table, duck in frames["duckdb"].items():
        pg = frames["postgresql"][table]
        stamps = [c for c in ("imported_at", "updated_at") if c in duck]
        pd.testing.assert_frame_equal(duck.drop(columns=stamps), pg.drop(columns=stamps), obj=table)


class _path:
    def __init__(self, path):
        self.path = path

    def __enter__(self):
        return self.path

    def __exit__(self, *exc):
        return None


def test_init_is_idempotent(target):
    first = Store.open(target).initialise()
    scores_before, batches_before = dump(target)
    second = Store.open(target).initialise()
    scores_after, batches_after = dump(target)
    assert sum(first.values()) == len(scores_before) > 20000
    assert sum(second.values()) == 0
    pd.testing.assert_frame_equal(scores_before, scores_after)
    pd.testing.assert_frame_equal(batches_before, batches_after)


def test_a_changed_embedded_file_replaces_only_its_own_rows(target, data_copy):
    Store.open(target).initialise(data_copy)
    demo_path = data_copy / "scores" / "demo.csv"
    demo = pd.read_csv(demo_path, dtype={"province_code": str})
    demo.loc[0, "value"] = 1.23
    demo.to_csv(demo_path, index=False, float_format="%.2f")
    loaded = Store.open(target).initialise(data_copy)
    scores = Store.open(target).scores()
    assert loaded == {"papi_2011_2019": 0, "papi_2018_2019_indicators": 0, "papi_2020_2024": 0, "pci_2005_2019": 0,
                      "demo": len(demo)}
    first = demo.iloc[0]
    row = scores[(scores["index_code"] == first["index_code"]) & (scores["year"] == first["year"])
                 & (scores["province_code"] == first["province_code"]) & (scores["indicator_code"] == first["indicator_code"])]
    assert row["value"].item() == 1.23
    assert len(scores) == 17310 + 14961 + 2762 + 9860 + len(demo)


def test_ensure_store_builds_only_when_absent_or_older(target):
    if isinstance(target, Path):
        target = target.parent / "sub" / "app.duckdb"
    ensure_store(target)
    version = Store.open(target).data_version()
    ensure_store(target)
    assert Store.open(target).data_version() == version
    assert schema_version(target) == head_revision()


def _derived_rows(store: Store) -> pd.DataFrame:
    rows = store.scores("PAPI", 2016).query("indicator_code == 'TOTAL'").head(3)
    return rows.assign(value=rows["value"] + 1, derived=[True, False, True])


def test_derived_is_written_kept_in_history_and_restored_by_rollback(target):
    store = Store.open(target)
    store.initialise(sources=("papi_2011_2019",))
    first = store.apply_import(_derived_rows(store), file_name="a.xlsx", sha256="a" * 64, imported_by="t")
    after_first = store.scores("PAPI", 2016).query("batch_id == @first")
    assert after_first["derived"].tolist() == [True, False, True]
    second = store.apply_import(_derived_rows(store).assign(derived=False).drop(columns="derived"),
                                file_name="b.xlsx", sha256="b" * 64, imported_by="t")
    assert not store.scores("PAPI", 2016).query("batch_id == @second")["derived"].any()
    saved = history(target).query("batch_id == @second")
    assert saved["old_derived"].tolist() == [True, False, True] and not saved["new_derived"].any()
    store.rollback(second, "t")
    restored = store.scores("PAPI", 2016).query("batch_id == @first")
    pd.testing.assert_frame_equal(restored.reset_index(drop=True), after_first.reset_index(drop=True))


def test_every_write_changes_the_data_version(target):
    store = Store.open(target)
    store.initialise(sources=())
    versions = [store.data_version()]
    store.save_target(era="legacy", province_code="01", index_code="PAPI", year=2024, target_score=45.0,
                      strictly_above=False, target_rank=None, min_rank_gain=None, note="", set_by="t")
    versions.append(store.data_version())
    store.save_mappings([("PAPI", "cot la", "D1")], saved_by="t")
    versions.append(store.data_version())
    store.delete_target("legacy", "01", "PAPI", 2024)
    versions.append(store.data_version())
    assert len(set(versions)) == 4
    assert store.mappings() == {("PAPI", "cot la"): "D1"} and store.targets().empty


def test_a_failed_write_changes_nothing_and_speaks_vietnamese(target):
    store = Store.open(target)
    store.initialise(sources=("papi_2020_2024",))
    before = dump(target)
    rows = store.scores("PAPI", 2020).head(2)
    duplicated = pd.concat([rows, rows]).assign(value=1.0)  # the same cell twice: a key violation
    with pytest.raises(UserError) as error:
        store.apply_import(duplicated, file_name="dup.xlsx", sha256="d" * 64, imported_by="t")
    assert "Không ghi được số liệu" in error.value.describe()
    assert "Error" not in error.value.message and "duplicate" not in error.value.describe().lower()
    after = dump(target)
    pd.testing.assert_frame_equal(before[0], after[0])
    pd.testing.assert_frame_equal(before[1], after[1])


def test_rollback_refusals(target):
    store = Store.open(target)
    store.initialise(sources=("papi_2011_2019",))
    with pytest.raises(UserError, match="Không có lô nhập #99"):
        store.rollback(99, "t")
    with pytest.raises(UserError, match="dựng sẵn"):
        store.rollback(1, "t")
    rows = store.scores("PAPI", 2016).head(2).assign(value=3.0)
    first = store.apply_import(rows, file_name="a", sha256="a", imported_by="t")
    second = store.apply_import(rows.assign(value=4.0), file_name="b", sha256="b", imported_by="t")
    with pytest.raises(UserError, match=f"#{second}"):
        store.rollback(first, "t")
    assert store.rollback(second, "t") == 2
    with pytest.raises(UserError, match="đã được hoàn tác"):
        store.rollback(second, "t")


def test_opening_a_missing_store_read_only_says_what_to_do(tmp_path):
    with pytest.raises(UserError, match="analytics init"):
        Store.open(tmp_path / "absent.duckdb", read_only=True)


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("not a database file at all")
    with pytest.raises(UserError, match="Không mở được"):
        Store.open(bogus)


def test_an_unreachable_server_gives_a_clear_error():
    with pytest.raises(UserError, match="Không kết nối được PostgreSQL") as error:
        Store.open("postgresql://nobody@127.0.0.1:1/none")
    assert "GOVINDEX_DB" in error.value.describe()


def test_a_store_made_by_the_previous_release_is_upgraded_and_keeps_everything(tmp_path):
    """tests/fixtures/store_bbfa68b.duckdb.gz was built by analytics/store.py at commit bbfa68b
    (schema_version 3, no Alembic): reference tables, two imports of PAPI 2016 totals, a target."""
    path = tmp_path / "old.duckdb"
    with gzip.open(FIXTURES / "store_bbfa68b.duckdb.gz", "rb") as source, open(path, "wb") as out:
        shutil.copyfileobj(source, out)
    assert schema_version(path) == ""
    old = Store.open(path, read_only=True)
    before = old._query("SELECT * FROM scores ORDER BY ALL")
    batches = old._query("SELECT batch_id, file_name, row_count, source_id FROM import_batches ORDER BY ALL")
    ensure_store(path)
    assert schema_version(path) == head_revision()
    store = Store.open(path)
    after = store._query("SELECT * FROM scores WHERE batch_id <= 2 ORDER BY ALL")
    pd.testing.assert_frame_equal(before, after.drop(columns=["derived", "official_rank"]))
    assert not after["derived"].any()
    assert store.targets()["note"].tolist() == ["kế hoạch"]
    pd.testing.assert_frame_equal(batches, store._query("SELECT batch_id, file_name, row_count, source_id "
                                                        "FROM import_batches WHERE batch_id <= 2 ORDER BY ALL"))
    assert len(store.batches()) == 2 + len(EMBEDDED_SOURCES)  # the two imports kept, the embedded sources loaded
    assert store.rollback(2, "t") == 2   # history written by the old release still rolls back
    totals = store.scores("PAPI", 2016).set_index("province_code")["value"]
    assert totals.loc[["01", "02", "04"]].tolist() == [40.0, 41.0, 42.0]


def test_only_the_store_imports_database_drivers():
    from tests.test_import_hygiene import REPO, imported_modules, project_files
    for driver in ("duckdb", "psycopg", "sqlalchemy"):
        users = sorted(str(p.relative_to(REPO)) for p in project_files() if driver in imported_modules(p))
        assert users == ["analytics/store.py"], driver
    alembic = sorted(str(p.relative_to(REPO).parts[0]) for p in project_files() if "alembic" in imported_modules(p))
    assert set(alembic) == {"analytics", "migrations"}


def test_a_store_from_a_newer_release_is_refused_in_vietnamese(tmp_path):
    import duckdb
    path = tmp_path / "newer.duckdb"
    Store.open(path).initialise(sources=())
    with duckdb.connect(str(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(UserError, match="không khớp với phiên bản") as error:
        ensure_store(path)
    assert "9999" in error.value.describe()
