"""Streamlit helpers shared by the pages: language, URL-bound selections, cached data, charts."""
