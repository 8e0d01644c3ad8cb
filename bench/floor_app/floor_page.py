"""The one page of the floor app: a title, a select box and a 63-bar plotly chart."""

import random

import plotly.graph_objects as go
import streamlit as st

PROVINCES = [f"Tỉnh {code:02d}" for code in range(1, 64)]


def render(name: str) -> None:
    chosen = st.selectbox("Tỉnh", PROVINCES, key="province")
    st.title(f"{name}: {chosen}")
    rng = random.Random(chosen)
    values = [rng.uniform(30, 50) for _ in PROVINCES]
    figure = go.Figure(go.Bar(x=PROVINCES, y=values))
    figure.update_layout(height=420, margin={"t": 30})
    st.plotly_chart(figure)
