"""Interface text in Vietnamese (first) and English, and number formats for each language.

Data labels (index, indicator and province names) come from the reference data's `_vi` / `_en`
columns; this module holds only the interface's own words.
"""

from __future__ import annotations

import math

from analytics.scores.rules import GROUPS, GROUPS_EN

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Chỉ số quản trị cấp tỉnh", "Provincial governance indices"),
    "language": ("Ngôn ngữ", "Language"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_rankings": ("Xếp hạng", "Rankings"),
    "province": ("Tỉnh, thành phố", "Province"),
    "index": ("Chỉ số", "Index"),
    "year": ("Năm", "Year"),
    "indicator": ("Chỉ số thành phần", "Indicator"),
    "overview_title": ("Tổng quan: {province}", "Overview: {province}"),
    "overview_caption": (
        "Điểm, thứ hạng và nhóm mới nhất của từng chỉ số; biểu đồ là thứ hạng qua các năm (1 = cao nhất).",
        "Latest score, rank and group of each index; the chart is the rank over the years (1 = best)."),
    "latest_year": ("Năm {year}", "Year {year}"),
    "score": ("Điểm", "Score"),
    "rank": ("Thứ hạng", "Rank"),
    "rank_of": ("{rank}/{n}", "{rank} of {n}"),
    "rank_change": ("Thay đổi hạng", "Rank change"),
    "score_change": ("Thay đổi điểm", "Score change"),
    "group": ("Nhóm", "Group"),
    "vs_year": ("so với {year}", "vs {year}"),
    "no_previous": ("chưa có năm trước để so sánh", "no earlier year to compare"),
    "not_comparable": ("không so sánh được với {year}: {reason}", "not comparable with {year}: {reason}"),
    "no_data_index": ("{province} chưa có dữ liệu {index}.", "{province} has no {index} data."),
    "missing_latest": ("Năm {year}: không có dữ liệu của {province}.", "{year}: no data for {province}."),
    "demo_label": ("Dữ liệu minh họa", "Demo data"),
    "demo_explain": (
        "Dữ liệu minh họa — không phải số liệu chính thức; sẽ được thay khi nhập số liệu của Bộ Nội vụ.",
        "Demo data — not official figures; replaced when the Ministry's figures are imported."),
    "computed_rank_note": (
        "PAPI không công bố thứ hạng chính thức: thứ hạng ở đây tính từ điểm; chênh lệch 2-3 bậc chưa có ý nghĩa thống kê.",
        "PAPI publishes groups, not ranks: ranks here are computed from the scores; a move of 2-3 places is within sampling error."),
    "rankings_title": ("Xếp hạng {index} {year}", "{index} {year} rankings"),
    "rankings_caption": ("{indicator}: {n} tỉnh, thành phố có dữ liệu.", "{indicator}: {n} provinces with data."),
    "no_data_provinces": ("Không có dữ liệu ({n}): {names}", "No data ({n}): {names}"),
    "all_have_data": ("Tất cả tỉnh, thành phố đều có dữ liệu.", "Every province has data."),
    "table_heading": ("Số liệu của biểu đồ", "The chart's numbers"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "rank_history": ("Thứ hạng qua các năm", "Rank over the years"),
    "no_data": ("không có dữ liệu", "no data"),
    "change_note_break": ("⚠ thay đổi phương pháp", "⚠ method change"),
    "source": ("Nguồn", "Source"),
    "legend_changes": ("▲ lên hạng · ▼ xuống hạng · ● giữ hạng · ⚠ không so sánh được với năm trước",
                       "▲ up · ▼ down · ● unchanged · ⚠ not comparable with the previous year"),
    "page_import": ("Nhập dữ liệu", "Import data"),
    "import_title": ("Nhập số liệu chính thức", "Import official figures"),
    "import_caption": (
        "Tải lên bảng tính của PAPI, Bộ Nội vụ (PAR INDEX, SIPAS) hoặc bảng tự nhập theo mẫu. "
        "Tệp được kiểm tra và xem trước; chỉ ghi khi bạn xác nhận, và mọi lần nhập đều hoàn tác được.",
        "Upload the PAPI workbook, the Ministry's PAR INDEX / SIPAS tables or a sheet typed from the template. "
        "The file is checked and previewed; nothing is written until you confirm, and every import can be rolled back."),
    "single_user": (
        "Chế độ một người dùng trên máy này: chưa cấu hình tài khoản cán bộ phân tích, nên ai mở ứng dụng cũng nhập được. "
        "Để giới hạn quyền ghi, đặt mật khẩu (python -m analytics hash-password) vào .streamlit/secrets.toml [analysts] "
        "hoặc biến môi trường GOVINDEX_ANALYSTS.",
        "Local single-user mode: no analyst account is configured, so whoever opens the app can import. "
        "To restrict writing, put password hashes (python -m analytics hash-password) in .streamlit/secrets.toml [analysts] "
        "or the GOVINDEX_ANALYSTS environment variable."),
    "signed_in_as": ("Đăng nhập: {name}", "Signed in as {name}"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "login_prompt": ("Nhập, ánh xạ cột và hoàn tác cần quyền cán bộ phân tích.",
                     "Importing, mapping columns and rolling back need the analyst role."),
    "login_name": ("Tên đăng nhập", "User name"),
    "login_password": ("Mật khẩu", "Password"),
    "login_button": ("Đăng nhập", "Sign in"),
    "login_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "signin_wait": ("Thử lại sau {seconds} giây (đăng nhập sai nhiều lần).",
                    "Try again in {seconds} s (too many failed sign-ins)."),
    "signin_locked": ("Tài khoản hoặc phiên này tạm bị khóa {minutes} phút vì đăng nhập sai quá nhiều lần.",
                      "This account or session is locked for {minutes} min after too many failed sign-ins."),
    "auth_broken": (
        "Cấu hình tài khoản cán bộ phân tích bị lỗi, nên mọi thao tác ghi (nhập, hoàn tác, sửa cơ quan, mục tiêu) "
        "bị khóa cho đến khi sửa. Sửa .streamlit/secrets.toml hoặc biến GOVINDEX_ANALYSTS rồi tải lại trang:",
        "The analyst configuration is broken, so every write (import, rollback, departments, targets) is refused "
        "until it is fixed. Fix .streamlit/secrets.toml or GOVINDEX_ANALYSTS, then reload:"),
    "open_network_no_analysts": (
        "Ứng dụng đang mở cho mạng mà chưa cấu hình tài khoản cán bộ phân tích, nên không ai được ghi. "
        "Tạo mật khẩu (python -m analytics hash-password) trong [analysts] của .streamlit/secrets.toml.",
        "The app is served to the network with no analyst configured, so nobody may write. "
        "Add password hashes (python -m analytics hash-password) under [analysts] in .streamlit/secrets.toml."),
    "unexpected_error": (
        "Đã xảy ra lỗi không mong muốn (mã {incident}). Tải lại trang và thử lại; nếu vẫn lỗi, "
        "báo quản trị viên kèm mã này (chi tiết ở nhật ký máy chủ).",
        "Something unexpected went wrong (code {incident}). Reload the page and try again; if it persists, "
        "give the administrator this code (details are in the server log)."),
    "upload_label": ("Chọn tệp Excel (.xlsx, .xls)", "Choose an Excel file (.xlsx, .xls)"),
    "auto": ("(tự nhận biết)", "(recognise)"),
    "sheet": ("Sheet", "Sheet"),
    "recognised": ("Nhận biết được", "Recognised"),
    "problems": ("Vấn đề cần xử lý ({n})", "Problems to fix ({n})"),
    "no_problems": ("Không có lỗi.", "No errors."),
    "severity": ("Mức độ", "Severity"),
    "row": ("Dòng", "Row"),
    "column": ("Cột", "Column"),
    "problem": ("Vấn đề", "Problem"),
    "what_to_do": ("Cách xử lý", "What to do"),
    "unmatched_heading": ("Cột chưa khớp chỉ số", "Columns not matched to an indicator"),
    "unmatched_help": ("Chọn chỉ số cho từng cột hoặc bỏ qua; lựa chọn được ghi nhớ cho tệp sau có cùng tiêu đề.",
                       "Choose an indicator for each column or ignore it; the choice is remembered for the next file with the same header."),
    "ignore_column": ("— Bỏ qua cột này —", "— Ignore this column —"),
    "choose": ("— Chọn —", "— Choose —"),
    "apply_mapping": ("Áp dụng và ghi nhớ", "Apply and remember"),
    "preview": ("Xem trước", "Preview"),
    "added": ("Số liệu mới", "New figures"),
    "changed": ("Thay đổi", "Changed"),
    "unchanged": ("Không đổi", "Unchanged"),
    "replaced_demo": ("Thay dữ liệu minh họa", "Replacing demo rows"),
    "changes_table": ("Số liệu chính thức sẽ thay đổi (cũ → mới)", "Official figures that would change (old → new)"),
    "old_value": ("Giá trị cũ", "Old value"),
    "new_value": ("Giá trị mới", "New value"),
    "missing_vs_previous": ("Có dữ liệu năm trước nhưng không có trong tệp: {names}",
                            "Had data the previous year but not in this file: {names}"),
    "confirm_replace": ("Tôi xác nhận thay thế {n} số liệu chính thức đã có (số liệu đính chính).",
                        "I confirm replacing {n} official figures already stored (a correction)."),
    "commit": ("Ghi vào cơ sở dữ liệu", "Write to the database"),
    "committed": ("Đã nhập lô #{batch}.", "Imported as batch #{batch}."),
    "nothing_to_do": ("Không có gì thay đổi: các số liệu này đã có sẵn.", "Nothing to change: these figures are already stored."),
    "already_imported": ("Tệp này đã được nhập (lô #{batch}).", "This file was already imported (batch #{batch})."),
    "cannot_import": ("Chưa nhập được: sửa các lỗi ở trên rồi tải lại tệp.", "Cannot import yet: fix the errors above and upload again."),
    "history": ("Lịch sử nhập", "Import history"),
    "batch": ("Lô", "Batch"),
    "imported_at": ("Thời điểm", "When"),
    "imported_by": ("Người nhập", "By"),
    "file": ("Tệp", "File"),
    "rows": ("Số dòng", "Rows"),
    "rolled_back_at": ("Đã hoàn tác lúc", "Rolled back at"),
    "summary": ("Tóm tắt", "Summary"),
    "rollback_label": ("Hoàn tác lô", "Roll back batch"),
    "rollback_button": ("Hoàn tác", "Roll back"),
    "rolled_back": ("Đã hoàn tác lô #{batch}: khôi phục {n} số liệu trước đó.", "Rolled back batch #{batch}: {n} earlier figures restored."),
    "templates": ("Mẫu nhập liệu", "Templates"),
    "templates_help": ("Bảng trống theo bố cục bảng chính thức, có kiểm tra thang điểm.",
                       "Empty tables laid out like the official ones, with scale checks."),
    "download_template": ("Tải mẫu {index} {year}", "Download {index} {year} template"),
    "read_only_note": ("Bạn đang xem với quyền lãnh đạo (chỉ xem). Đăng nhập để nhập dữ liệu.",
                       "You are browsing as a leader (read only). Sign in to import."),
    "sheet_summary": ("{index} {year}: {n} tỉnh có dữ liệu", "{index} {year}: {n} provinces with data"),
    "summary_rows": ("bỏ qua dòng tổng hợp {rows}", "summary rows skipped: {rows}"),
    "without_data": ("không có dữ liệu: {names}", "no data: {names}"),
    "all_items": ("Tất cả", "All"),
    "page_weak": ("Chỉ số yếu", "Weak indicators"),
    "weak_title": ("Chỉ số cần cải thiện: {province}, {index} {year}", "Indicators to improve: {province}, {index} {year}"),
    "weak_caption": (
        "Danh sách chỉ số thành phần thấp hoặc giảm, kèm lý do và cơ quan chủ trì — phụ lục của kế hoạch cải thiện chỉ số.",
        "Low or declining sub-indicators with reasons and lead departments — the annex of the improvement plan."),
    "thresholds": ("Ngưỡng đánh dấu", "Thresholds"),
    "decline_places": ("Tụt từ bao nhiêu bậc thì tính là giảm", "Rank fall counted as a decline (places)"),
    "points_lost_share": ("Điểm bị trừ vượt (% điểm tối đa)", "Points lost above (% of maximum)"),
    "small_change": ("Thay đổi nhỏ (điểm, chỉ số khảo sát)", "Small change band (points, survey indices)"),
    "filter_reasons": ("Lọc theo lý do", "Filter by reason"),
    "filter_departments": ("Lọc theo cơ quan chủ trì", "Filter by lead department"),
    "flagged_count": ("{n} chỉ số được đánh dấu trên {total} chỉ số.", "{n} of {total} indicators flagged."),
    "none_flagged": ("Không có chỉ số nào vượt ngưỡng.", "No indicator crosses a threshold."),
    "gaps_chart": ("Khoảng cách tới trung vị và tỉnh cao nhất", "Gap to the median and to the best province"),
    "value": ("Điểm của tỉnh", "Province's score"),
    "median": ("Trung vị", "Median"),
    "best": ("Cao nhất", "Best"),
    "download_annex": ("Tải phụ lục (.xlsx)", "Download the annex (.xlsx)"),
    "follow_up": ("Theo dõi danh sách năm {year}", "Follow-up of the {year} list"),
    "follow_up_none": ("Chưa có danh sách năm trước để theo dõi.", "No earlier list to follow up."),
    "departments": ("Cơ quan chủ trì, phối hợp", "Lead and supporting departments"),
    "departments_help": ("Sửa trực tiếp trong bảng; cơ quan phối hợp cách nhau bằng dấu chấm phẩy.",
                         "Edit in the table; separate supporting departments with semicolons."),
    "save_departments": ("Lưu danh sách cơ quan", "Save departments"),
    "departments_saved": ("Đã lưu {n} dòng.", "Saved {n} rows."),
    "reasons": ("Lý do", "Reasons"),
    "lead": ("Chủ trì", "Lead"),
    "support": ("Phối hợp", "Support"),
    "severity_col": ("Mức độ", "Severity"),
    "parent": ("Lĩnh vực / chỉ số nội dung", "Field / dimension"),
    "previous": ("Năm trước", "Previous"),
    "points_lost": ("Điểm bị trừ", "Points lost"),
    "no_data_province": ("{province} không có dữ liệu {index} năm {year}.", "{province} has no {index} data for {year}."),
    "page_method": ("Phương pháp", "Methodology"),
    "method_title": ("Phương pháp và nguồn số liệu", "Methodology and sources"),
    "method_groups": (
        "Nhóm: các tỉnh có số liệu trong năm được chia 4 nhóm theo tứ phân vị của điểm (như PAPI): Cao nhất (từ phân vị 75), "
        "Trung bình cao (từ trung vị), Trung bình thấp (từ phân vị 25), Thấp nhất (dưới phân vị 25). Thứ hạng 1 là cao nhất; "
        "các tỉnh bằng điểm cùng hạng; tỉnh không có số liệu không được xếp hạng.",
        "Groups: the provinces with data that year are split into four by quartile of the score (as PAPI does): Highest "
        "(from the 75th percentile), High average (from the median), Low average (from the 25th percentile), Lowest (below it). "
        "Rank 1 is best; equal scores share a rank; a province without data is not ranked."),
    "method_scale": ("Thang điểm", "Scale"),
    "method_breaks": ("Các năm không so sánh được", "Years that are not comparable"),
    "method_indicators": ("Các chỉ số thành phần và năm áp dụng", "Indicators and the years they apply"),
    "method_sources": ("Nguồn số liệu", "Data sources"),
    "valid_years": ("Năm áp dụng", "Years"),
    "from_year": ("từ {year}", "from {year}"),
    "page_targets": ("Mục tiêu", "Targets"),
    "targets_title": ("Mục tiêu của {province}", "Targets of {province}"),
    "targets_caption": ("Mục tiêu điểm và thứ hạng theo kế hoạch của tỉnh (ví dụ «PAR INDEX ≥ 92,55», «SIPAS > 88%», «tăng 1-2 bậc»).",
                        "Score and rank targets from the province's plan (e.g. «PAR INDEX ≥ 92.55», «SIPAS > 88%», «up 1-2 places»)."),
    "target_score": ("Điểm mục tiêu", "Target score"),
    "target_strict": ("Vượt hẳn (>) thay vì đạt (≥)", "Strictly above (>) instead of at least (≥)"),
    "target_rank": ("Thứ hạng mục tiêu (tối thiểu)", "Target rank (at least)"),
    "target_gain": ("Tăng tối thiểu (bậc)", "Minimum rank gain (places)"),
    "target_note": ("Ghi chú (nguồn kế hoạch)", "Note (plan reference)"),
    "save_target": ("Lưu mục tiêu", "Save target"),
    "target_saved": ("Đã lưu mục tiêu.", "Target saved."),
    "delete_target": ("Xóa", "Delete"),
    "no_targets": ("Chưa có mục tiêu nào cho {province}.", "No targets yet for {province}."),
    "progress": ("Tiến độ", "Progress"),
    "status_met": ("✔ Đạt", "✔ Met"),
    "status_not_met": ("✘ Chưa đạt", "✘ Not met"),
    "status_pending": ("… Chưa có kết quả", "… No result yet"),
    "target_label": ("Mục tiêu", "Target"),
    "actual": ("Thực tế", "Actual"),
    "page_map": ("Bản đồ", "Map"),
    "map_title": ("Bản đồ {index} {year}", "{index} {year} map"),
    "map_caption": ("Mỗi ô là một tỉnh, thành phố, đặt gần đúng theo vị trí; bấm vào ô để mở hồ sơ tỉnh.",
                    "One tile per province, placed roughly by geography; click a tile to open the province profile."),
    "map_caption_2025": ("Từ năm 2025: 34 tỉnh, thành phố sau sáp nhập.", "From 2025: the 34 provinces after the merger."),
    "colour_by": ("Tô màu theo", "Colour by"),
    "by_group": ("Nhóm", "Group"),
    "by_value": ("Điểm", "Score"),
    "open_profile": ("Mở hồ sơ {province}", "Open the profile of {province}"),
    "empty_year": ("Chưa có dữ liệu {index} năm {year} — nhập dữ liệu ở trang Nhập dữ liệu.",
                   "No {index} data for {year} yet — import it on the Import data page."),
    "merged_into": ("Từ 1/7/2025 thuộc {province}, hợp nhất từ: {members}.",
                    "Since 1 July 2025 part of {province}, merged from: {members}."),
    "unchanged_2025": ("Từ 1/7/2025 giữ nguyên địa giới ({province}).", "Unchanged by the 1 July 2025 merger ({province})."),
    "page_profile": ("Hồ sơ tỉnh", "Province profile"),
    "profile_title": ("Hồ sơ {province}", "Profile: {province}"),
    "all_indices": ("Tất cả chỉ số", "All indices"),
    "headline_note_noise": ("thay đổi nằm trong sai số khảo sát (dưới {band} điểm hoặc {places} bậc)",
                            "the change is within the survey's margin (under {band} points or {places} places)"),
    "dimensions_vs": ("Các chỉ số nội dung so với trung vị và tỉnh cao nhất (% thang điểm)",
                      "Dimensions against the median and the best province (% of scale)"),
    "tab_dimensions": ("Chỉ số nội dung", "Dimensions"),
    "tab_history": ("Thứ hạng qua các năm", "Rank history"),
    "tab_groups": ("Nhóm qua các năm", "Groups over time"),
    "tab_why": ("Vì sao đổi hạng", "Why it moved"),
    "tab_climb": ("Để lên hạng", "To climb"),
    "drill_down": ("Chi tiết chỉ số nội dung", "Dimension detail"),
    "bump": ("Thứ hạng từng chỉ số nội dung qua các năm", "Rank of each dimension over the years"),
    "heatmap": ("Nhóm của từng chỉ số qua các năm", "Group of each indicator over the years"),
    "why_moved": ("Vì sao thứ hạng thay đổi", "Why the rank moved"),
    "neighbours": ("Các tỉnh xếp ngay trên và dưới", "Provinces just above and below"),
    "what_if": ("Cần bao nhiêu điểm để lên hạng", "Points needed to climb"),
    "what_if_plan": ("Cách nhanh nhất: bù vào các chỉ số còn xa tỉnh cao nhất trước", "Quickest route: fill the dimensions furthest below the best first"),
    "places_up": ("Lên {k} bậc", "Up {k} places"),
    "page_compare": ("So sánh", "Compare"),
    "compare_title": ("So sánh các tỉnh: {index}", "Compare provinces: {index}"),
    "compare_provinces": ("Tỉnh so sánh (2-6)", "Provinces to compare (2-6)"),
    "compare_indicators": ("Chỉ số", "Indicators"),
    "compare_years": ("Năm", "Years"),
    "compare_need_two": ("Chọn ít nhất 2 tỉnh (tối đa 6).", "Choose at least 2 provinces (at most 6)."),
    "compare_default": ("Mặc định: cùng vùng và các tỉnh xếp ngay trên, dưới.", "Default: same region and the provinces ranked just above and below."),
    "era_break_short": ("34 tỉnh từ 2025", "34 provinces from 2025"),
    "former_short": ("{name} (tỉnh cũ)", "{name} (former)"),
    "legacy_suffix": ("tỉnh cũ, đến 6/2025", "former province, to June 2025"),
    "present_caption": ("Tỉnh, thành phố từ 1/7/2025, hợp nhất từ: {members}. Trước 2025 mỗi tỉnh cũ có số liệu và thứ hạng riêng (trên 63 tỉnh), hiển thị cạnh nhau, không cộng hay lấy trung bình.",
                        "Province since 1 July 2025, merged from: {members}. Before 2025 each former province has its own figures and rank (of 63), shown side by side, never summed or averaged."),
    "predecessor_pick": ("Năm {year} (trước hợp nhất): tỉnh cũ", "{year} (before the merger): former province"),
    "successor_shown": ("Năm {year} theo bản đồ 34 tỉnh: hiển thị {province}, tỉnh mới mà {old} là một phần.",
                        "{year} is on the 34-province map: showing {province}, the new province {old} is part of."),
    "no_data_nearest": ("{province} không có dữ liệu {index} năm {year}. Năm gần nhất có dữ liệu: {nearest}.",
                        "{province} has no {index} data for {year}. Nearest year with data: {nearest}."),
    "go_to_year": ("Xem năm {year}", "Show {year}"),
    "derived_total": ("Tổng điểm {year} được tính bằng tổng các chỉ số nội dung (tệp nguồn không có cột tổng).",
                      "The {year} total is computed as the sum of the dimensions (the source file has no total column)."),
    "highlighted": ("▶ tỉnh đang chọn", "▶ selected province"),
    "store_error": ("Không đọc được dữ liệu: {error}", "Could not read the data: {error}"),
    # -- worklist tiers and the improvement plan (issue 12) --
    "tier": ("Mức", "Tier"),
    "tier_select": ("Mức ưu tiên", "Tier"),
    "tier_priority": ("Ưu tiên", "Priority"),
    "tier_watch": ("Theo dõi", "Watch"),
    "tier_keep": ("Duy trì", "Keep"),
    "tier_all": ("Tất cả", "All"),
    "tier_help": ("Ưu tiên: nhóm Thấp nhất, giảm thực sự hoặc thấp kéo dài (tối đa {cap}, nặng nhất trước); "
                  "Theo dõi: chỉ dưới trung vị, điểm bị trừ hoặc xu hướng; Duy trì: nhóm Cao nhất.",
                  "Priority: lowest group, a real decline or persistently low (at most {cap}, most severe first); "
                  "Watch: below median, points lost or trend only; Keep: top group."),
    "page_plan": ("Kế hoạch", "Plan"),
    "page_department": ("Sở ngành", "Departments"),
    "plan_title": ("Kế hoạch cải thiện: {province}, {index} {year}", "Improvement plan: {province}, {index} {year}"),
    "plan_none": ("Chưa có kế hoạch. Lập kế hoạch: {n} chỉ số mức Ưu tiên trở thành nhiệm vụ đầu tiên.",
                  "No plan yet. Creating one turns the {n} priority indicators into its first items."),
    "plan_none_reader": ("Chưa có kế hoạch cho lựa chọn này.", "No plan for this selection yet."),
    "plan_number": ("Số kế hoạch (…/KH-UBND)", "Plan number (…/KH-UBND)"),
    "plan_date": ("Ngày ban hành", "Date issued"),
    "plan_create": ("Lập kế hoạch từ danh sách ưu tiên", "Create the plan from the priority list"),
    "plan_created": ("Đã lập kế hoạch với {n} nhiệm vụ.", "Plan created with {n} items."),
    "plan_empty": ("Kế hoạch chưa có nhiệm vụ.", "The plan has no items yet."),
    "plan_quarter": ("Quý", "Quarter"),
    "plan_status": ("Tình trạng", "Status"),
    "plan_item_no": ("STT", "No."),
    "plan_task": ("Nhiệm vụ, giải pháp", "Task"),
    "plan_deadline": ("Thời hạn", "Deadline"),
    "plan_note": ("Kết quả thực hiện", "Progress note"),
    "plan_movement": ("Kết quả chỉ số sau kế hoạch", "Indicator since the plan"),
    "plan_counts": ("{n} nhiệm vụ: {done} hoàn thành, {overdue} quá hạn.", "{n} items: {done} done, {overdue} overdue."),
    "plan_by_department": ("Tổng hợp theo cơ quan chủ trì", "Summary by lead department"),
    "plan_edit": ("Cập nhật nhiệm vụ và tình trạng", "Update tasks and statuses"),
    "plan_save": ("Lưu thay đổi", "Save changes"),
    "plan_nothing": ("Không có thay đổi.", "Nothing changed."),
    "plan_saved": ("Đã lưu {n} thay đổi.", "{n} changes saved."),
    "plan_download": ("Tải phụ lục kế hoạch để các sở điền (.xlsx)", "Download the plan annex to fill (.xlsx)"),
    "plan_upload": ("Nhập lại phụ lục đã điền", "Import the filled annex"),
    "plan_refused": ("Không nhập: {n} lỗi. Kế hoạch không thay đổi.", "Not imported: {n} problems. The plan is unchanged."),
    "plan_preview": ("Xem trước: {n} thay đổi.", "Preview: {n} changes."),
    "plan_import": ("Nhập các thay đổi", "Import the changes"),
    "plan_log": ("Lịch sử thay đổi ({n} lần sửa)", "Change log ({n} edits)"),
    "plan_rollback_pick": ("Lần sửa", "Edit"),
    "plan_rollback": ("Hoàn tác lần sửa này", "Roll back this edit"),
    "plan_rolled_back": ("Đã hoàn tác lần sửa #{edit}.", "Edit #{edit} rolled back."),
    "department": ("Cơ quan", "Department"),
    "dept_title": ("Nhiệm vụ của {department} — {province}", "Items of {department} — {province}"),
    "dept_none": ("Cơ quan này chưa có nhiệm vụ trong kế hoạch nào.", "This department has no plan items."),
    "dept_counts": ("Chủ trì {lead}, phối hợp {support} nhiệm vụ; {done} hoàn thành, {overdue} quá hạn.",
                    "Leads {lead}, supports {support} items; {done} done, {overdue} overdue."),
}

GROUP_LABELS_EN = dict(zip(GROUPS, GROUPS_EN))


UNITS_EN = {"điểm": "points", "%": "%"}


def unit_label(unit: str, lang: str) -> str:
    return UNITS_EN.get(unit, unit) if lang == "en" else unit


def translate(key: str, lang: str, **values) -> str:
    vi, en = STRINGS[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def format_number(value: float | None, lang: str, decimals: int = 2) -> str:
    """92.55 → "92,55" in Vietnamese, "92.55" in English; thousands with the other mark."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def rank_change_label(change, comparable: bool = True) -> str:
    """▲ 3 (moved up three places), ▼ 2, ● 0; ⚠ where the years are not comparable."""
    if change is None or change != change:  # None or NaN/NA
        return "—"
    try:
        change = int(change)
    except (TypeError, ValueError):
        return "—"
    if not comparable:
        return "⚠"
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return "● 0"


def group_label(group: str | None, lang: str) -> str:
    if not group:
        return "—"
    return GROUP_LABELS_EN.get(group, group) if lang == "en" else group


def plotly_separators(lang: str) -> str:
    """Plotly's `separators`: decimal mark then thousands mark."""
    return ",." if lang == "vi" else ".,"
