"""Analytics for Vietnam's provincial governance indices (PAPI, PAR INDEX, SIPAS).

Layers, in the order data flows:
- `registry`: reads the reference data under `data/` (provinces, index catalog, breaks, sources);
- `store`: the only module that talks to DuckDB;
- `scoring`: pure pandas functions (ranks, quartile groups, year-over-year changes);
- `cli`: the command line (`python -m analytics ...`) over the same functions.

Nothing here imports Streamlit (a test enforces it).
"""
