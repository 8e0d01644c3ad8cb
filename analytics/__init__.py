"""Analytics for Vietnam's provincial governance indices (PAPI, PAR INDEX, SIPAS).

Layers, in the order data flows:
- `registry`: reads the reference data under `data/` (provinces, index catalog, breaks, sources);
- `store`: the only module that talks to DuckDB;
- `provinces`: one identity per province across the 63-province past and the 34 from 2025;
- `scores`: the score contract every page reads (`contract`), its rules (`rules`), its build;
- `cli`: the command line (`python -m analytics ...`) over the same functions.

Nothing here imports Streamlit (a test enforces it).
"""
