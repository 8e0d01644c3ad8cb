"""Entry point: `streamlit run app.py`. A thin router: language switch and the page list."""

import streamlit as st

from ui.state import language_switch, t

st.set_page_config(page_title="Chỉ số quản trị cấp tỉnh", page_icon="📊", layout="wide")
language_switch()
pages = [
    st.Page("pages/overview.py", title=t("page_overview"), url_path="tong-quan", default=True),
    st.Page("pages/rankings.py", title=t("page_rankings"), url_path="xep-hang"),
]
st.navigation(pages).run()
