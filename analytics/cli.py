"""`python -m analytics COMMAND`: the same functions as the app, without Streamlit.

    init        build or refresh the store from data/ (idempotent)
    provinces   the 63 legacy and 34 post-2025 provinces, with the mapping
    indicators  the catalog of one index
    scores      scores of an index-year with ranks, groups and changes
    import      check and import an official workbook (.xlsx/.xls); --dry-run to only check
    batches     the history of imports
    rollback    undo one import batch exactly
    template    write an empty workbook laid out like the official table, to type figures into
    weak        the weak-indicator worklist of a province (plan annex .xlsx, or .csv)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

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
        table = reports.build_score_table(store.snapshot())
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


def _overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise UserError(f"--map «{pair}» phải có dạng CỘT=MÃ (ví dụ H=D1 hoặc H=IGNORE).")
        column, code = pair.split("=", 1)
        overrides[column.strip()] = code.strip().upper()
    return overrides


def cmd_import(args) -> int:
    from analytics.imports import changes_table, commit_import, prepare_import
    from analytics.workbook import ReadLimits

    path = Path(args.file)
    if not path.exists():
        raise UserError(f"Không có tệp {path}.")
    limits = ReadLimits(max_file_bytes=int(args.max_mb * 1024 * 1024))
    with Store.open(resolve_db_path(args.db), read_only=args.dry_run) as store:
        prepared = prepare_import(store, path, index_code=_index_code(args.index) if args.index else None,
                                  year=args.year, sheet=args.sheet, column_overrides=_overrides(args.map),
                                  limits=limits)
        plan, diff = prepared.plan, prepared.preview
        for problem in plan.problems:
            label = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Ghi chú"}[problem.severity]
            print(f"{label}: {problem.describe()}", file=sys.stderr)
        for sheet in plan.sheets:
            if sheet.year:
                print(f"Sheet «{sheet.sheet}»: {sheet.index_code} {sheet.year}, "
                      f"{plan.scores[plan.scores['sheet'] == sheet.sheet]['province_code'].nunique()} tỉnh có dữ liệu"
                      + (f"; không có dữ liệu: {', '.join(sheet.provinces_without_data)}" if sheet.provinces_without_data else "")
                      + (f"; bỏ qua dòng tổng hợp {', '.join(map(str, sheet.summary_rows))}" if sheet.summary_rows else ""),
                      file=sys.stderr)
        if diff is not None:
            print(f"Xem trước: {len(diff.added)} số liệu mới, {len(diff.changed)} thay đổi, {diff.unchanged} không đổi, "
                  f"{diff.replaced_demo} dòng dữ liệu minh họa sẽ được thay.", file=sys.stderr)
            if not diff.changed.empty:
                print(changes_table(diff).to_string(index=False), file=sys.stderr)
            if not diff.missing_provinces.empty:
                print("Có dữ liệu năm trước nhưng không có trong tệp: "
                      + ", ".join(diff.missing_provinces["province_code"]), file=sys.stderr)
        blocking = prepared.blocking(args.replace)
        if blocking:
            if prepared.changes_official and not args.replace:
                print(f"Lỗi: {blocking[-1].describe()}", file=sys.stderr)
            print(f"Không nhập: {len(blocking)} lỗi. Cơ sở dữ liệu không thay đổi.", file=sys.stderr)
            return 2
        if args.dry_run:
            print("Kiểm tra xong (--dry-run): chưa ghi gì.", file=sys.stderr)
            return 0
        batch = commit_import(store, prepared, imported_by=args.user or _local_user(), replace_official=args.replace)
    if batch is None:
        already = f" (lô #{prepared.already_imported})" if prepared.already_imported else ""
        print(f"Không có gì thay đổi: số liệu đã có sẵn{already}.", file=sys.stderr)
    else:
        print(f"Đã nhập lô #{batch}: {len(plan.scores)} số liệu.", file=sys.stderr)
    return 0


def _local_user() -> str:
    import getpass
    try:
        return getpass.getuser()
    except Exception:
        return "cli"


def cmd_batches(args) -> int:
    with Store.open(resolve_db_path(args.db), read_only=True) as store:
        batches = store.batches()
    columns = ["batch_id", "imported_at", "imported_by", "file_name", "sha256", "row_count", "source_id",
               "rolled_back_at", "summary"]
    _emit(batches[columns], args.format)
    return 0


def cmd_rollback(args) -> int:
    with Store.open(resolve_db_path(args.db)) as store:
        restored = store.rollback(args.batch, args.user or _local_user())
    print(f"Đã hoàn tác lô #{args.batch}: khôi phục {restored} số liệu trước đó.", file=sys.stderr)
    return 0


def cmd_template(args) -> int:
    from analytics.templates import template_workbook
    index_code = _index_code(args.index)
    content = template_workbook(registry.load_catalog(), registry.load_provinces(), index_code, args.year)
    Path(args.out).write_bytes(content)
    print(f"Đã ghi mẫu {index_code} {args.year}: {args.out}", file=sys.stderr)
    return 0


def cmd_weak(args) -> int:
    from analytics import annex, weak

    index_code = _index_code(args.index)
    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise UserError(f"Tệp ra «{out.name}» phải có đuôi .xlsx hoặc .csv.")
    with Store.open(resolve_db_path(args.db), read_only=True) as store:
        store = store.snapshot()
        table = reports.build_score_table(store)
        indices, provinces, departments, sources = store.indices(), store.provinces(), store.departments(), store.sources()
    years = sorted(table.loc[table["index_code"] == index_code, "year"].unique())
    if args.year not in years:
        raise UserError(f"Chưa có dữ liệu {index_code} năm {args.year}.",
                        hint=f"Các năm có dữ liệu: {', '.join(map(str, years))}.")
    era = registry.era_of_year(index_code, args.year, indices)
    province = registry.ProvinceMatcher(provinces).require(args.province, era)
    changes = {k: v for k, v in {"decline_rank_places": args.decline_places,
                                 "points_lost_share": args.points_lost_share,
                                 "small_change": args.small_change}.items() if v is not None}
    thresholds = weak.Thresholds.for_index(indices, index_code, **changes)
    flags, follow = weak.worklist(table, indices, province.code, index_code, args.year, thresholds, departments)
    if flags.empty and not (table["province_code"].eq(province.code) & table["year"].eq(args.year)
                            & table["index_code"].eq(index_code)).any():
        raise UserError(f"{province.name} không có dữ liệu {index_code} năm {args.year}.")
    if out.suffix.lower() == ".csv":
        out.write_text(annex.annex_csv(flags), encoding="utf-8")
    else:
        index_name = indices.loc[indices["index_code"] == index_code, "short_name"].iloc[0]
        out.write_bytes(annex.annex_workbook(flags, province_name=province.name, index_name=index_name,
                                             year=args.year, thresholds=thresholds, sources=sources,
                                             follow_up=follow))
    print(f"{province.name}, {index_code} {args.year}: {len(flags)} chỉ số cần cải thiện → {out}", file=sys.stderr)
    return 0


def cmd_hash_password(args) -> int:
    import getpass
    from analytics.auth import hash_password
    password = args.password if args.password is not None else getpass.getpass("Mật khẩu: ")
    if len(password) < 8:
        raise UserError("Mật khẩu cần ít nhất 8 ký tự.")
    print(hash_password(password))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    db_help = f"DuckDB file or postgresql://USER@HOST:PORT/DB URL (default: ${DB_ENV_VAR}, else data/govindex.duckdb)"

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

    imp = sub.add_parser("import", help="check and import an official workbook")
    imp.add_argument("file", help=".xlsx or .xls workbook")
    imp.add_argument("--db", help=db_help)
    imp.add_argument("--index", help="PAPI, PAR_INDEX or SIPAS (default: recognised from the file)")
    imp.add_argument("--year", type=int, help="year of the results (default: recognised from the file)")
    imp.add_argument("--sheet", help="import only this sheet")
    imp.add_argument("--map", action="append", metavar="COLUMN=CODE",
                     help="map a column the catalog cannot match (e.g. H=D1, or H=IGNORE); repeatable")
    imp.add_argument("--replace", action="store_true", help="allow changing official figures already stored")
    imp.add_argument("--dry-run", action="store_true", help="check and preview only, write nothing")
    imp.add_argument("--user", help="who imports (default: the login name)")
    imp.add_argument("--max-mb", type=float, default=20, help="file size limit in MB (default 20)")
    imp.set_defaults(run=cmd_import)

    batches = sub.add_parser("batches", help="list import batches")
    batches.add_argument("--db", help=db_help)
    batches.add_argument("--format", choices=["csv", "table"], default="table")
    batches.set_defaults(run=cmd_batches)

    rollback = sub.add_parser("rollback", help="undo one import batch")
    rollback.add_argument("batch", type=int)
    rollback.add_argument("--db", help=db_help)
    rollback.add_argument("--user", help="who rolls back (default: the login name)")
    rollback.set_defaults(run=cmd_rollback)

    template = sub.add_parser("template", help="write an empty template workbook for an index")
    template.add_argument("--index", required=True)
    template.add_argument("--year", type=int, required=True)
    template.add_argument("--out", required=True)
    template.set_defaults(run=cmd_template)

    weak_cmd = sub.add_parser("weak", help="weak-indicator worklist of a province (plan annex)")
    weak_cmd.add_argument("--db", help=db_help)
    weak_cmd.add_argument("--province", required=True, help="name in any spelling, or GSO code")
    weak_cmd.add_argument("--index", required=True)
    weak_cmd.add_argument("--year", type=int, required=True)
    weak_cmd.add_argument("--out", required=True, help="FILE.xlsx (plan annex) or FILE.csv")
    weak_cmd.add_argument("--decline-places", type=int, help="rank fall that counts as a decline (default 5)")
    weak_cmd.add_argument("--points-lost-share", type=float, help="share of the maximum lost to flag (default per index)")
    weak_cmd.add_argument("--small-change", type=float, help="survey small-change band (default per index)")
    weak_cmd.set_defaults(run=cmd_weak)

    hashing = sub.add_parser("hash-password", help="print a salted hash for an analyst's password")
    hashing.add_argument("--password", help="(default: asked without echo)")
    hashing.set_defaults(run=cmd_hash_password)
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
