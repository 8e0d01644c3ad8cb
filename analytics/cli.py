"""`python -m analytics COMMAND`: the same functions as the app, without Streamlit.

    init        build or refresh the store from data/ (idempotent)
    provinces   the 63 legacy and 34 post-2025 provinces, with the mapping
    indicators  the catalog of one index
    scores      scores of an index-year with ranks, groups and changes
    import      check and import an official workbook (.xlsx/.xls); --dry-run to only check
    batches     the history of imports
    rollback    undo one import batch exactly
    template    write an empty workbook laid out like the official table, to type figures into
    weak        the weak-indicator worklist of a province (plan annex .xlsx, or .csv), by tier
    plan        export the plan annex to fill in Excel, import it back, roll an edit back
    brief       the one-page leader brief of a province (PDF)
    report      the quarterly progress report of a province's plans (.docx)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from analytics import provinces as province_ids
from analytics import registry, reports
from analytics.cliargs import REFERENCE_COMMANDS, check_args
from analytics.errors import UserError
from analytics.exports import csv_text
from analytics.paths import DB_ENV_VAR, resolve_db_path
from analytics.store import Store


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(csv_text(frame))
    else:
        with pd.option_context("display.max_rows", None, "display.width", 200):
            print(frame.to_string(index=False))


def _index_code(text: str, indices: pd.DataFrame | None = None) -> str:
    """The catalog's code for `--index` as typed ("par-index" → PAR_INDEX), among `indices`."""
    codes = (registry.load_indices() if indices is None else indices)["index_code"].tolist()
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


def _index_help(extra: str = "") -> str:
    """`--index` help: the catalog's indices (data/catalog/indices.csv; a store's own catalog may
    add more)."""
    codes = ", ".join(registry.load_indices()["index_code"])
    return f"one of the catalog's indices: {codes}" + (f" ({extra})" if extra else "")


def _catalog_indices(args) -> pd.DataFrame:
    """The indices the command knows: the store's catalog (an index added to the catalog and
    loaded into the store is known with no code), else data/'s when the command reads no store
    or the store does not exist yet (the argument checks then say so)."""
    reads_store = hasattr(args, "db") and (args.db is not None or args.command not in REFERENCE_COMMANDS)
    target = resolve_db_path(getattr(args, "db", None))
    if reads_store and (isinstance(target, str) or Path(target).is_file()):
        with Store.open(target, read_only=True) as store:
            return store.indices()
    return registry.load_indices()


def _reference(args, name: str) -> pd.DataFrame:
    """Provinces or catalog: from the store named by --db, else from the reference files in data/."""
    if args.db is None:
        return {"provinces": registry.load_provinces, "catalog": registry.load_catalog,
                "indices": registry.load_indices}[name]()
    with Store.open(resolve_db_path(args.db), read_only=True) as store:
        return getattr(store, name)()


def cmd_provinces(args) -> int:
    _emit(reports.provinces_report(_reference(args, "provinces")), args.format)
    return 0


def cmd_indicators(args) -> int:
    _emit(reports.indicators_report(_reference(args, "catalog"), args.index_code), args.format)
    return 0


def cmd_scores(args) -> int:
    index_code = args.index_code
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
        prepared = prepare_import(store, path, index_code=args.index_code,
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
    index_code = args.index_code
    content = template_workbook(_reference(args, "catalog"), _reference(args, "provinces"), index_code, args.year,
                                _catalog_indices(args))
    Path(args.out).write_bytes(content)
    print(f"Đã ghi mẫu {index_code} {args.year}: {args.out}", file=sys.stderr)
    return 0


def cmd_weak(args) -> int:
    from analytics import annex, weak

    index_code = args.index_code
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
    pid, note = province_ids.resolve(provinces, args.province, era)
    if note:
        print(note, file=sys.stderr)
    lang = args.lang
    province_name = province_ids.names(provinces, lang)[pid]
    changes = {k: v for k, v in {"decline_rank_places": args.decline_places,
                                 "points_lost_share": args.points_lost_share,
                                 "small_change": args.small_change,
                                 "priority_cap": args.priority_cap}.items() if v is not None}
    thresholds = weak.Thresholds.for_index(indices, index_code, **changes)
    _, follow = weak.worklist(table, indices, pid, index_code, args.year, thresholds, departments)
    assessed = weak.assess_indicators(table, indices, pid, index_code, args.year, thresholds, departments)
    flags = weak.select_tier(assessed, args.tier) if not assessed.empty else assessed
    if flags.empty and not (table["province_id"].eq(pid) & table["year"].eq(args.year)
                            & table["index_code"].eq(index_code)).any():
        raise UserError(f"{province_name} không có dữ liệu {index_code} năm {args.year}.")
    if out.suffix.lower() == ".csv":
        out.write_text(annex.annex_csv(flags), encoding="utf-8")
    else:
        index_name = indices.loc[indices["index_code"] == index_code, "short_name"].iloc[0]
        out.write_bytes(annex.annex_workbook(flags, province_name=province_name, index_name=index_name,
                                             year=args.year, thresholds=thresholds, sources=sources,
                                             follow_up=follow, lang=lang))
    print(f"{province_name}, {index_code} {args.year}: {len(flags)} chỉ số ({args.tier}) → {out}", file=sys.stderr)
    return 0


def _plan_province(store: Store, args) -> tuple[str, str, int]:
    index_code = args.index_code
    pid, note = province_ids.resolve(store.provinces(), args.province,
                                     registry.era_of_year(index_code, args.year, store.indices()))
    if note:
        print(note, file=sys.stderr)
    return pid, index_code, args.year


def cmd_plan(args) -> int:
    from datetime import date

    from analytics import plan_service, plans
    user = args.user or _local_user()
    with Store.open(resolve_db_path(args.db), read_only=args.action == "import" and args.dry_run) as store:
        if args.action == "rollback":
            if args.edit is None:
                raise UserError("Cần --edit SỐ (số lần sửa, xem trong `plan import` hoặc trang Kế hoạch).")
            restored = store.rollback_plan_edit(args.edit, user)
            print(f"Đã hoàn tác lần sửa #{args.edit}: {restored} giá trị.", file=sys.stderr)
            return 0
        if not (args.province and args.index and args.year):
            raise UserError("Cần --province, --index và --year.")
        pid, index_code, year = _plan_province(store, args)
        if args.action == "export":
            if not args.out or not args.out.lower().endswith(".xlsx"):
                raise UserError("--out phải là tệp .xlsx.")
            quarter = args.quarter or plans.quarter_of(date.today())
            plans.parse_quarter(quarter)
            when = date.fromisoformat(args.date) if args.date else None
            return plan_service.export_plan(store, pid, index_code, year, quarter, Path(args.out), user,
                                            number=args.number, when=when)
        if not args.file or not Path(args.file).exists():
            raise UserError(f"Không có tệp {args.file}.")
        return plan_service.import_plan(store, pid, index_code, year, Path(args.file), user, args.dry_run)


def cmd_brief(args) -> int:
    from analytics import plan_service
    if not args.out.lower().endswith(".pdf"):
        raise UserError("--out phải là tệp .pdf.")
    with Store.open(resolve_db_path(args.db), read_only=True) as store:
        return plan_service.write_brief(store, args.province, Path(args.out), args.year, args.quarter)


def cmd_report(args) -> int:
    from analytics import plan_service
    if not args.out.lower().endswith(".docx"):
        raise UserError("--out phải là tệp .docx.")
    with Store.open(resolve_db_path(args.db), read_only=True) as store:
        return plan_service.write_report(store, args.province, args.quarter, Path(args.out))


def cmd_hash_password(args) -> int:
    """Ask for the password without echo (twice), or read one line from stdin when it is not a
    terminal; the password is never an argument (it would stay in the shell history and `ps`)."""
    import getpass
    from analytics.auth import MIN_PASSWORD_LENGTH, hash_password
    if args.password is not None:
        raise UserError("Không nhận mật khẩu trên dòng lệnh (nó ở lại trong lịch sử lệnh và danh sách tiến trình).",
                        hint="Chạy python -m analytics hash-password để được hỏi, hoặc đưa mật khẩu qua stdin.")
    if sys.stdin.isatty():
        password = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != password:
            raise UserError("Hai lần nhập mật khẩu không khớp.")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    print(hash_password(password))
    return 0


class Parser(argparse.ArgumentParser):
    """argparse with its refusals in Vietnamese (exit status 2, like every other refusal)."""

    WORDS = {"the following arguments are required": "thiếu tham số bắt buộc",
             "unrecognized arguments": "tham số không nhận ra", "invalid int value": "không phải số nguyên",
             "invalid float value": "không phải số", "invalid choice": "lựa chọn không có",
             "expected one argument": "cần một giá trị", "argument": "tham số"}

    def error(self, message: str):
        for english, vietnamese in self.WORDS.items():
            message = message.replace(english, vietnamese)
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: tham số không hợp lệ ({message}). Xem: {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m analytics", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    db_help = f"DuckDB file or postgresql://USER@HOST:PORT/DB URL (default: ${DB_ENV_VAR}, else data/govindex.duckdb)"

    init = sub.add_parser("init", help="build or refresh the store from data/")
    init.add_argument("--db", help=db_help)
    init.set_defaults(run=cmd_init)

    provinces = sub.add_parser("provinces", help="list provinces of both eras")
    provinces.add_argument("--db", help=db_help + "; without it, the reference files in data/")
    provinces.add_argument("--format", choices=["csv", "table"], default="csv")
    provinces.set_defaults(run=cmd_provinces)

    indicators = sub.add_parser("indicators", help="list the indicators of an index")
    indicators.add_argument("--index", required=True, help=_index_help())
    indicators.add_argument("--db", help=db_help + "; without it, the reference files in data/")
    indicators.add_argument("--format", choices=["csv", "table"], default="csv")
    indicators.set_defaults(run=cmd_indicators)

    scores = sub.add_parser("scores", help="scores, ranks, groups and changes of an index-year")
    scores.add_argument("--db", help=db_help)
    scores.add_argument("--index", required=True, help=_index_help())
    scores.add_argument("--year", required=True, type=int)
    scores.add_argument("--indicator", help="indicator code, e.g. TOTAL or D1 (default: all)")
    scores.add_argument("--format", choices=["csv", "table"], default="csv")
    scores.set_defaults(run=cmd_scores)

    imp = sub.add_parser("import", help="check and import an official workbook")
    imp.add_argument("file", help=".xlsx or .xls workbook")
    imp.add_argument("--db", help=db_help)
    imp.add_argument("--index", help=_index_help("default: recognised from the file"))
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
    template.add_argument("--index", required=True, help=_index_help())
    template.add_argument("--year", type=int, required=True)
    template.add_argument("--out", required=True, help="FILE.xlsx (never the store)")
    template.add_argument("--db", help=db_help + "; without it, the reference files in data/")
    template.set_defaults(run=cmd_template)

    weak_cmd = sub.add_parser("weak", help="weak-indicator worklist of a province (plan annex)")
    weak_cmd.add_argument("--db", help=db_help)
    weak_cmd.add_argument("--province", required=True, help="name in any spelling, or GSO code")
    weak_cmd.add_argument("--index", required=True, help=_index_help())
    weak_cmd.add_argument("--lang", choices=["vi", "en"], default="vi",
                          help="language of the annex (.xlsx): vi (default) or en")
    weak_cmd.add_argument("--year", type=int, required=True)
    weak_cmd.add_argument("--out", required=True, help="FILE.xlsx (plan annex) or FILE.csv")
    weak_cmd.add_argument("--decline-places", type=int, help="rank fall that counts as a decline (default 5)")
    weak_cmd.add_argument("--points-lost-share", type=float, help="share of the maximum lost to flag (default per index)")
    weak_cmd.add_argument("--small-change", type=float, help="survey small-change band (default per index)")
    weak_cmd.add_argument("--tier", choices=["priority", "watch", "keep", "all"], default="priority",
                          help="priority (default: low group, real decline or persistent; at most --priority-cap), "
                               "watch, keep (top group) or all")
    weak_cmd.add_argument("--priority-cap", type=int, help="most severe items kept in the priority tier (default 10)")
    weak_cmd.set_defaults(run=cmd_weak)

    plan = sub.add_parser("plan", help="improvement plan: export the annex, import it filled, roll back")
    plan.add_argument("action", choices=["export", "import", "rollback"])
    plan.add_argument("--db", help=db_help)
    plan.add_argument("--province", help="name in any spelling, or GSO code")
    plan.add_argument("--index", help=_index_help())
    plan.add_argument("--year", type=int, help="year of the results the plan is about")
    plan.add_argument("--quarter", help="export: quarter of the status columns, e.g. 2026Q3 (default: now)")
    plan.add_argument("--out", help="export: FILE.xlsx")
    plan.add_argument("--file", help="import: the filled FILE.xlsx")
    plan.add_argument("--number", help="export: plan number when the plan is created (…/KH-UBND)")
    plan.add_argument("--date", help="export: plan date when created, YYYY-MM-DD")
    plan.add_argument("--edit", type=int, help="rollback: the edit number")
    plan.add_argument("--dry-run", action="store_true", help="import: check and preview only")
    plan.add_argument("--user", help="who writes (default: the login name)")
    plan.set_defaults(run=cmd_plan)

    brief = sub.add_parser("brief", help="one-page leader brief of a province (PDF)")
    brief.add_argument("--db", help=db_help)
    brief.add_argument("--province", required=True)
    brief.add_argument("--year", type=int, help="year of the results (default: the latest with data)")
    brief.add_argument("--quarter", help="quarter of the plan progress (default: now)")
    brief.add_argument("--out", required=True, help="FILE.pdf")
    brief.set_defaults(run=cmd_brief)

    report = sub.add_parser("report", help="quarterly progress report of a province's plans (.docx)")
    report.add_argument("--db", help=db_help)
    report.add_argument("--province", required=True)
    report.add_argument("--quarter", required=True, help="e.g. 2026Q3")
    report.add_argument("--out", required=True, help="FILE.docx")
    report.set_defaults(run=cmd_report)

    hashing = sub.add_parser("hash-password", help="print a salted hash for an analyst's password "
                                                    "(asked without echo, or one line on stdin)")
    hashing.add_argument("--password", help=argparse.SUPPRESS)  # refused with a message saying why
    hashing.set_defaults(run=cmd_hash_password)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        index = getattr(args, "index", None)
        indices = _catalog_indices(args)
        args.index_code = _index_code(index, indices) if index else None
        check_args(args, indices, args.index_code)
        return args.run(args)
    except BrokenPipeError:  # output piped into `head`
        return 0
    except UserError as error:
        print(f"Lỗi: {error.describe()}", file=sys.stderr)
        return 2
