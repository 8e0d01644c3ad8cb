"""The framework's floor: a trivial app shaped like the product (bench/bench_floor.py serves it).

Same Streamlit version, same page count and URL paths as app.py, each page one select box and one
63-bar plotly chart, no data loading. Whatever the product costs above this is the product's own.
"""

import streamlit as st

st.set_page_config(page_title="Floor", layout="wide")
NAMES = ["tong_quan", "ho_so", "xep_hang", "so_sanh", "ban_do", "chi_so_yeu", "muc_tieu",
         "nhap_du_lieu", "phuong_phap"]
pages = [st.Page(f"pages/{name}.py", title=name, url_path=name, default=(i == 0))
         for i, name in enumerate(NAMES)]
st.navigation(pages).run()
