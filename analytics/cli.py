"""`python -m analytics COMMAND`: the same functions as the app, without Streamlit.

    init        build or refresh the store from data/ (idempotent)
    provinces   the 63 legacy and 34 post-2025 provinces, with the mapping
    indicators  the catalog of one index
    scores      scores of an index-year with ranks, groups and changes
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

from analytics import registry, reports
from analytics.errors import UserError
from analytics.paths import DB_ENV_VAR, resolve_db_path
from analytics.store import Store


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        with pd.option_context("display.max_rows", None, "display.width", 200):
            print(frame.to_string(index=False))


def _index_code(text: str) -> str:
    codes = registry.load_indices()["index_code"].tolist()
    wanted = text.upper().replace(" ", "_").replace("-", "_")
    if wanted not in codes:
        raise UserError(f"Không có chỉ số «{text}».", hint=f"Chọn một trong: {', '.join(codes)}.")
    return wanted


def cmd_init(args) -> int:
    path = resolve_db_path(args.db)
    started = time.perf_counter()
    with Store.open(path) as store:
        loaded = store.initialise()
        total = len(store.scores())
    elapsed = time.perf_counter() - started
    added = ", ".join(f"{source} +{rows}" for source, rows in loaded.items())
    print(f"{path}: {total} score rows ({added}) in {elapsed:.2f} s", file=sys.stderr)
    return 0


def cmd_provinces(args) -> int:
    _emit(reports.provinces_report(registry.load_provinces()), args.format)
    return 0


def cmd_indicators(args) -> int:
    _emit(reports.indicators_report(registry.load_catalog(), _index_code(args.index)), args.format)
    return 0


def cmd_scores(args) -> int:
    index_code = _index_code(args.index)
    with Store.open(resolve_db_path(args.db), read_only=True) as store:
        table = reports.build_score_table(store)
    years = sorted(table.loc[table["index_code"] == index_code, "year"].unique())
    if args.year not in years:
        raise UserError(f"Chưa có dữ liệu {index_code} năm {args.year}.",
                        hint=f"Các năm có dữ liệu: {', '.join(map(str, years))}.")
    indicator = args.indicator.upper() if args.indicator else None
    report = reports.scores_report(table, index_code, args.year, indicator)
    if report.empty:
        raise UserError(f"Chỉ số thành phần «{args.indicator}» không có dữ liệu {index_code} năm {args.year}.",
                        hint=f"Xem danh sách mã: python -m analytics indicators --index {index_code}.")
    _emit(report, args.format)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    db_help = f"DuckDB file (default: ${DB_ENV_VAR}, else data/govindex.duckdb)"

    init = sub.add_parser("init", help="build or refresh the store from data/")
    init.add_argument("--db", help=db_help)
    init.set_defaults(run=cmd_init)

    provinces = sub.add_parser("provinces", help="list provinces of both eras")
    provinces.add_argument("--format", choices=["csv", "table"], default="csv")
    provinces.set_defaults(run=cmd_provinces)

    indicators = sub.add_parser("indicators", help="list the indicators of an index")
    indicators.add_argument("--index", required=True, help="PAPI, PAR_INDEX or SIPAS")
    indicators.add_argument("--format", choices=["csv", "table"], default="csv")
    indicators.set_defaults(run=cmd_indicators)

    scores = sub.add_parser("scores", help="scores, ranks, groups and changes of an index-year")
    scores.add_argument("--db", help=db_help)
    scores.add_argument("--index", required=True, help="PAPI, PAR_INDEX or SIPAS")
    scores.add_argument("--year", required=True, type=int)
    scores.add_argument("--indicator", help="indicator code, e.g. TOTAL or D1 (default: all)")
    scores.add_argument("--format", choices=["csv", "table"], default="csv")
    scores.set_defaults(run=cmd_scores)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # output piped into `head`
        return 0
    except UserError as error:
        print(f"Lỗi: {error.describe()}", file=sys.stderr)
        return 2
