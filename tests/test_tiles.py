"""The tile-grid map: the reviewed grids (one square per province, placed by geography) and the figure."""

from pathlib import Path

import pandas as pd
import pytest

from ui.tilemap import NO_DATA_COLOUR, abbreviation, tile_layout, tile_map

PROVINCES = Path(__file__).resolve().parents[1] / "data" / "provinces"
ERAS = {"legacy": ("legacy.csv", "tiles_legacy.csv"), "2025": ("new_2025.csv", "tiles_2025.csv")}


def read(era):
    provinces_file, tiles_file = ERAS[era]
    provinces = pd.read_csv(PROVINCES / provinces_file, dtype={"code": str})
    tiles = pd.read_csv(PROVINCES / tiles_file, dtype={"code": str})
    return provinces, tiles


def place(era):
    provinces, tiles = read(era)
    names = provinces.set_index("code")["name"]
    return {names[code]: (int(row), int(col)) for code, row, col in tiles[["code", "row", "col"]].itertuples(index=False)}


@pytest.mark.parametrize("era", sorted(ERAS))
def test_every_province_has_exactly_one_tile(era):
    provinces, tiles = read(era)
    assert list(tiles.columns) == ["code", "row", "col"]
    assert not tiles["code"].duplicated().any()
    assert sorted(tiles["code"]) == sorted(provinces["code"])
    assert len(tiles) == {"legacy": 63, "2025": 34}[era]


@pytest.mark.parametrize("era", sorted(ERAS))
def test_cells_are_distinct_non_negative_integers(era):
    _, tiles = read(era)
    for column in ("row", "col"):
        assert pd.api.types.is_integer_dtype(tiles[column]), column
        assert (tiles[column] >= 0).all(), column
    assert not tiles.duplicated(["row", "col"]).any()
    assert tiles["row"].min() == 0 and tiles["col"].min() == 0  # no empty margin


@pytest.mark.parametrize("era", sorted(ERAS))
def test_rough_geography(era):
    at = place(era)
    row = {name: r for name, (r, _) in at.items()}
    col = {name: c for name, (_, c) in at.items()}
    north = ["Hà Giang", "Cao Bằng", "Lào Cai"] if era == "legacy" else ["Tuyên Quang", "Cao Bằng", "Lào Cai"]
    for name in north:
        assert row[name] < row["Hà Nội"], name
    assert row["Hà Nội"] < row["Đà Nẵng"] < row["TP. Hồ Chí Minh"]
    assert all(row["Cà Mau"] > r for name, r in row.items() if name != "Cà Mau")
    for name in ("Điện Biên", "Lai Châu"):
        assert col[name] < col["Quảng Ninh"], name


def neighbours(at, name):
    r, c = at[name]
    return {other for other, (r2, c2) in at.items() if other != name and max(abs(r - r2), abs(c - c2)) == 1}


def test_neighbours_stay_neighbours():
    legacy = place("legacy")
    assert neighbours(legacy, "Hà Nội") == {"Vĩnh Phúc", "Thái Nguyên", "Bắc Giang", "Phú Thọ", "Bắc Ninh",
                                           "Hòa Bình", "Hà Nam", "Hưng Yên"}
    assert "Quảng Nam" in neighbours(legacy, "Đà Nẵng")
    assert {"Bình Dương", "Đồng Nai", "Long An"} <= neighbours(legacy, "TP. Hồ Chí Minh")
    new = place("2025")
    assert {"Phú Thọ", "Thái Nguyên", "Bắc Ninh", "Hưng Yên", "Ninh Bình"} <= neighbours(new, "Hà Nội")
    assert {"Đồng Nai", "Tây Ninh"} <= neighbours(new, "TP. Hồ Chí Minh")


@pytest.mark.parametrize("era", sorted(ERAS))
def test_abbreviations_are_unique_within_an_era(era):
    provinces, _ = read(era)
    short = [abbreviation(name) for name in provinces["name_en"]]
    assert len(set(short)) == len(short), pd.Series(short)[pd.Series(short).duplicated()].tolist()
    assert all(1 < len(s) <= 4 for s in short)


def test_abbreviation_rule():
    assert abbreviation("Ha Noi") == "HN" and abbreviation("Ho Chi Minh City") == "HCM"
    assert abbreviation("Thua Thien Hue") == "TTH" and abbreviation("Ba Ria - Vung Tau") == "BRVT"
    assert {abbreviation(n) for n in ("Quang Nam", "Quang Ninh", "Quang Ngai")} == {"QNa", "QNi", "QNg"}
    assert abbreviation("Hue") == "Hue" and abbreviation("Thanh Hoa") == "TH"


def tile_labels(figure) -> dict[str, str]:
    """Each tile's label by province code, from the map's one text trace: drawn under the last
    trace (the tiles' hover and click points) and never hovered."""
    names = [trace.name for trace in figure.data]
    assert names[-2:] == ["labels", "tiles"]
    trace = figure.data[-2]
    assert trace.mode == "text" and trace.hoverinfo == "skip"
    codes = set(trace.customdata)
    assert not [a for a in figure.layout.annotations if a.name in codes]  # no per-tile annotation
    return dict(zip(trace.customdata, trace.text))


def values_for(provinces, missing):
    groups = ["Cao nhất", "Trung bình cao", "Trung bình thấp", "Thấp nhất"]
    codes = [code for code in provinces["code"] if code not in missing]
    n = len(codes)
    return pd.DataFrame({"province_code": codes, "value": [50.0 - i * 0.25 for i in range(n)],
                         "group": [groups[min(3, 4 * i // n)] for i in range(n)],
                         "rank": range(1, n + 1), "n_ranked": n})


@pytest.mark.parametrize("era,missing", [("legacy", "26"), ("2025", "22")])
@pytest.mark.parametrize("colour_by", ["group", "value"])
def test_tile_map_has_one_tile_per_province(era, missing, colour_by):
    provinces = read(era)[0]
    tiles = tile_layout(era)
    figure = tile_map(tiles, provinces, values_for(provinces, {missing}), lang="vi", colour_by=colour_by,
                      value_label="Điểm", selected="01")
    codes = set(provinces["code"])
    shapes = {shape.name: shape for shape in figure.layout.shapes if shape.name in codes}
    assert len(shapes) == len(codes) == len([s for s in figure.layout.shapes if s.name != "selected"])
    assert shapes[missing].fillcolor == NO_DATA_COLOUR
    assert all(shape.fillcolor != NO_DATA_COLOUR for code, shape in shapes.items() if code != missing)
    points = figure.data[-1]
    assert sorted(item[0] for item in points.customdata) == sorted(codes)
    where = [item[0] for item in points.customdata].index(missing)
    assert "không có dữ liệu" in points.hovertemplate[where]
    labels = tile_labels(figure)
    assert labels[missing].endswith("—") and labels["01"].startswith("<b>HN</b>")
    assert figure.layout.separators == ",."
    assert figure.layout.yaxis.scaleanchor == "x"
    assert [s for s in figure.layout.shapes if s.name == "selected"]


def test_group_colours_symbols_and_hover():
    provinces = read("legacy")[0]
    values = values_for(provinces, set())
    figure = tile_map(tile_layout("legacy"), provinces, values, lang="en", value_label="PAPI")
    shapes = {shape.name: shape for shape in figure.layout.shapes}
    assert shapes["01"].fillcolor == "#0072B2"  # first in values: Cao nhất
    assert shapes[values["province_code"].iloc[-1]].fillcolor == "#D55E00"
    assert figure.layout.separators == ".,"
    labels = tile_labels(figure)
    assert "▲ 1" in labels["01"] and "▼" in labels[values["province_code"].iloc[-1]]
    legend = [trace.name for trace in figure.data if trace.showlegend is not False and trace.name]
    assert legend == ["▲ Highest", "△ High average", "▽ Low average", "▼ Lowest"]
    hover = figure.data[-1].hovertemplate[[c[0] for c in figure.data[-1].customdata].index("01")]
    assert "Ha Noi" in hover and "Rank: 1/63" in hover and "Highest" in hover and "%{customdata[1]:.2f}" in hover


def test_without_groups_the_tiles_follow_the_value_and_demo_is_labelled():
    provinces = read("2025")[0]
    values = values_for(provinces, set()).assign(group=None)
    figure = tile_map(tile_layout("2025"), provinces, values, lang="vi", demo=True)
    fills = [shape.fillcolor for shape in figure.layout.shapes]
    assert len(set(fills)) > 10  # a colour scale, not one grey
    assert any(a.text == "DỮ LIỆU MINH HỌA" for a in figure.layout.annotations)


def test_tile_layout_reads_the_grid():
    tiles = tile_layout("2025")
    assert list(tiles.columns) == ["code", "row", "col"] and tiles["code"].str.len().eq(2).all()
    with pytest.raises(ValueError):
        tile_layout("1999")
