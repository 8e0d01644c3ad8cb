"""Entry point: `streamlit run app.py`. A thin router: language switch and the page list.

Each page's `url_path` equals its file name: on a cold start Streamlit first resolves the URL
against the files in `pages/`, and a mismatch shows a spurious "Page not found". The default
page (Tổng quan) is served at `/` only: Streamlit ignores a default page's `url_path`.
"""

import streamlit as st

from ui.auth import auth_notice
from ui.errors import show_error
from ui.feedback import show_confirmation
from ui.state import begin_links, language_switch, t, write_links

st.set_page_config(page_title="Chỉ số quản trị cấp tỉnh", page_icon="📊", layout="wide")
begin_links()  # selections write the URL once, at the end of the run (write_links)
language_switch()
auth_notice()
show_confirmation()
pages = [
    st.Page("pages/tong_quan.py", title=t("page_overview"), default=True),
    st.Page("pages/ho_so.py", title=t("page_profile"), url_path="ho_so"),
    st.Page("pages/xep_hang.py", title=t("page_rankings"), url_path="xep_hang"),
    st.Page("pages/so_sanh.py", title=t("page_compare"), url_path="so_sanh"),
    st.Page("pages/ban_do.py", title=t("page_map"), url_path="ban_do"),
    st.Page("pages/chi_so_yeu.py", title=t("page_weak"), url_path="chi_so_yeu"),
    st.Page("pages/ke_hoach.py", title=t("page_plan"), url_path="ke_hoach"),
    st.Page("pages/so_nganh.py", title=t("page_department"), url_path="so_nganh"),
    st.Page("pages/muc_tieu.py", title=t("page_targets"), url_path="muc_tieu"),
    st.Page("pages/nhap_du_lieu.py", title=t("page_import"), url_path="nhap_du_lieu"),
    st.Page("pages/phuong_phap.py", title=t("page_method"), url_path="phuong_phap"),
]


def write_links_or_say_why() -> None:
    try:
        write_links()
    except Exception as error:  # noqa: BLE001 — a link that cannot be written is not a page crash
        show_error(error)


# A run that st.rerun, st.switch_page or a newer click cuts short (exceptions outside `Exception`)
# writes no link: the run that follows writes the URL it ends with. (After st.stop nothing more
# reaches the browser; no page stops.)
try:
    st.navigation(pages).run()
except Exception as error:  # noqa: BLE001 — every page's last resort: a message, never a traceback
    show_error(error)
write_links_or_say_why()
