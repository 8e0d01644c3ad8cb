"""Cross-checks data/provinces/*.csv against the PyPI packages that carry the official lists.

legacy.csv (63 provinces until 30 June 2025) is checked against vietnamadminunits'
admin_units_legacy table; new_2025.csv (34 provinces from 1 July 2025, Nghị quyết
202/2025/QH15) against vietnam_provinces and vietnamadminunits' admin_units; the
legacy -> 2025 successor mapping against vietnamadminunits' converter_2025.json.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

vau = pytest.importorskip("vietnamadminunits")
vp = pytest.importorskip("vietnam_provinces")

PROVINCES_DIR = Path(__file__).resolve().parents[1] / "data" / "provinces"
LEGACY_CSV = PROVINCES_DIR / "legacy.csv"
NEW_CSV = PROVINCES_DIR / "new_2025.csv"
VAU_DATA = Path(vau.__file__).resolve().parent / "data"

REGIONS = {
    "Trung du và miền núi phía Bắc": 14,
    "Đồng bằng sông Hồng": 11,
    "Bắc Trung Bộ và duyên hải miền Trung": 14,
    "Tây Nguyên": 5,
    "Đông Nam Bộ": 6,
    "Đồng bằng sông Cửu Long": 13,
}

# Where our short name deliberately differs from the package's name (after prefix stripping):
# - 46: Thừa Thiên Huế became "Thành phố Huế" on 1 January 2025 (still one of the 63) and the
#   package carries that latest name; PAPI and every report up to 2024 print "Thừa Thiên Huế".
# - 79: the package strips "Thành phố" to "Hồ Chí Minh"; reports print "TP. Hồ Chí Minh".
LEGACY_NAME_DIFFERENCES = {"46": ("Huế", "Thừa Thiên Huế"), "79": ("Hồ Chí Minh", "TP. Hồ Chí Minh")}
NEW_NAME_DIFFERENCES = {"79": ("Hồ Chí Minh", "TP. Hồ Chí Minh")}

UNCHANGED = {"Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
             "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng"}

PREFIXES = ("Thành phố ", "Tỉnh ")


def strip_prefix(name: str) -> str:
    name = unicodedata.normalize("NFC", name).strip()
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d), drop admin prefixes, collapse spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = " ".join(text.split())
    text = text.replace(" - ", "-").replace(" -", "-").replace("- ", "-")
    for prefix in ("tinh ", "thanh pho ", "tp. ", "tp.", "tp "):
        if text.startswith(prefix):
            text = text[len(prefix):].strip()
            break
    return text


def split_aliases(value: str) -> list[str]:
    return value.split(";") if value else []


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def legacy() -> pd.DataFrame:
    return read(LEGACY_CSV)


@pytest.fixture(scope="module")
def new() -> pd.DataFrame:
    return read(NEW_CSV)


@pytest.fixture(scope="module")
def db():
    con = sqlite3.connect(f"file:{VAU_DATA / 'dataset.db'}?mode=ro", uri=True)
    yield con
    con.close()


def _package_provinces(db, table: str) -> dict[str, tuple[str, str]]:
    """code -> (full name, provinceKey)."""
    rows = db.execute(f"SELECT DISTINCT provinceCode, province, provinceKey FROM {table}").fetchall()
    out: dict[str, tuple[str, str]] = {}
    for code, name, key in rows:
        assert code not in out, f"{table}: code {code} has more than one name"
        out[code] = (name, key)
    return out


@pytest.fixture(scope="module")
def pkg_legacy(db):
    return _package_provinces(db, "admin_units_legacy")


@pytest.fixture(scope="module")
def pkg_new(db):
    return _package_provinces(db, "admin_units")


@pytest.fixture(scope="module")
def pkg_successor(pkg_legacy, pkg_new) -> dict[str, str]:
    """legacy code -> 2025 code, from vietnamadminunits' converter_2025.json DICT_PROVINCE."""
    mapping = json.loads((VAU_DATA / "converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    legacy_by_key = {key: code for code, (_, key) in pkg_legacy.items()}
    new_by_key = {key: code for code, (_, key) in pkg_new.items()}
    out: dict[str, str] = {}
    for new_key, legacy_keys in mapping.items():
        for legacy_key in legacy_keys:
            code = legacy_by_key[legacy_key]
            assert code not in out, f"legacy {legacy_key} mapped twice"
            out[code] = new_by_key[new_key]
    return out


# ---------------------------------------------------------------- shape and text


def test_headers(legacy, new):
    assert list(legacy.columns) == ["code", "name", "name_en", "region", "successor_code", "aliases"]
    assert list(new.columns) == ["code", "name", "name_en", "region", "aliases"]


def test_row_counts_and_codes(legacy, new):
    assert len(legacy) == 63
    assert len(new) == 34
    for df in (legacy, new):
        assert df["code"].is_unique
        assert df["code"].str.fullmatch(r"\d{2}").all()
        assert list(df["code"]) == sorted(df["code"]), "rows must be sorted by code"
        assert df["name"].is_unique and df["name_en"].is_unique
    assert legacy["successor_code"].str.fullmatch(r"\d{2}").all()


@pytest.mark.parametrize("path", [LEGACY_CSV, NEW_CSV], ids=lambda p: p.name)
def test_file_encoding(path):
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    text = raw.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)


def test_text_cells_clean(legacy, new):
    for df in (legacy, new):
        for col in df.columns:
            for value in df[col]:
                assert value == value.strip(), f"{col}: {value!r} has surrounding spaces"
                assert unicodedata.is_normalized("NFC", value), f"{col}: {value!r} is not NFC"
                if col == "aliases":
                    for alias in split_aliases(value):
                        assert alias and alias == alias.strip(), f"bad alias in {value!r}"
        assert (df["name"] != "").all() and (df["name_en"] != "").all()
        assert df["name_en"].map(str.isascii).all()


# ---------------------------------------------------------------- against the packages


def test_legacy_matches_vietnamadminunits(legacy, pkg_legacy):
    assert set(legacy["code"]) == set(pkg_legacy)
    for code, name in zip(legacy["code"], legacy["name"]):
        pkg_name = strip_prefix(pkg_legacy[code][0])
        if code in LEGACY_NAME_DIFFERENCES:
            assert (pkg_name, name) == LEGACY_NAME_DIFFERENCES[code]
        else:
            assert name == pkg_name, code


def test_new_matches_vietnam_provinces(new):
    codes = {f"{int(c):02d}" for c in vp.ProvinceCode}
    assert codes == set(new["code"])
    pkg = {f"{int(p.code):02d}": strip_prefix(p.name) for p in vp.Province.iter_all()}
    assert len(pkg) == 34
    for code, name in zip(new["code"], new["name"]):
        if code in NEW_NAME_DIFFERENCES:
            assert (pkg[code], name) == NEW_NAME_DIFFERENCES[code]
        else:
            assert name == pkg[code], code


def test_new_matches_vietnamadminunits(new, pkg_new):
    assert set(new["code"]) == set(pkg_new)
    for code, name in zip(new["code"], new["name"]):
        pkg_name = strip_prefix(pkg_new[code][0])
        if code in NEW_NAME_DIFFERENCES:
            assert (pkg_name, name) == NEW_NAME_DIFFERENCES[code]
        else:
            assert name == pkg_name, code


# ---------------------------------------------------------------- the 2025 mapping


def test_successors_exist_and_match_package(legacy, new, pkg_successor):
    assert set(legacy["successor_code"]) <= set(new["code"])
    assert len(pkg_successor) == 63
    assert dict(zip(legacy["code"], legacy["successor_code"])) == pkg_successor


def test_every_new_province_has_predecessors(legacy, new):
    counts = Counter(legacy["successor_code"])
    assert set(counts) == set(new["code"])
    single = {name for code, name in zip(new["code"], new["name"]) if counts[code] == 1}
    assert single == UNCHANGED


def test_domain_examples(legacy, new):
    new_by_name = dict(zip(new["name"], new["code"]))
    succ_by_name = dict(zip(legacy["name"], legacy["successor_code"]))
    assert succ_by_name["Hà Giang"] == new_by_name["Tuyên Quang"] == "08"
    assert succ_by_name["Bình Dương"] == new_by_name["TP. Hồ Chí Minh"] == "79"
    assert succ_by_name["Bà Rịa - Vũng Tàu"] == "79"
    assert succ_by_name["Hậu Giang"] == succ_by_name["Sóc Trăng"] == new_by_name["Cần Thơ"] == "92"
    assert succ_by_name["Vĩnh Phúc"] == succ_by_name["Hòa Bình"] == new_by_name["Phú Thọ"] == "25"
    # codes of the two eras overlap: 24 was Bắc Giang, is Bắc Ninh since 2025
    assert dict(zip(legacy["code"], legacy["name"]))["24"] == "Bắc Giang"
    assert dict(zip(new["code"], new["name"]))["24"] == "Bắc Ninh"
    assert succ_by_name["Bắc Giang"] == succ_by_name["Bắc Ninh"] == "24"


# ---------------------------------------------------------------- regions


def test_legacy_region_counts(legacy):
    assert set(legacy["region"]) <= set(REGIONS)
    assert dict(Counter(legacy["region"])) == REGIONS


def test_new_region_is_namesake_predecessors(legacy, new):
    """A 2025 province takes the region of its namesake legacy province (the only predecessor
    for the unchanged ones). Not the owner of the code it keeps: Gia Lai keeps Bình Định's 52
    and Tây Ninh keeps Long An's 80, but they stay in Tây Nguyên / Đông Nam Bộ."""
    assert set(new["region"]) <= set(REGIONS)
    legacy_rows = legacy.to_dict("records")
    for row in new.to_dict("records"):
        preds = [r for r in legacy_rows if r["successor_code"] == row["code"]]
        if len(preds) == 1:
            source = preds[0]
        else:
            (source,) = [r for r in preds if r["name"] == row["name"]]
        assert row["region"] == source["region"], row["name"]
    assert dict(Counter(new["region"])) == {
        "Trung du và miền núi phía Bắc": 9,
        "Đồng bằng sông Hồng": 6,
        "Bắc Trung Bộ và duyên hải miền Trung": 8,
        "Tây Nguyên": 3,
        "Đông Nam Bộ": 3,
        "Đồng bằng sông Cửu Long": 5,
    }


# ---------------------------------------------------------------- aliases


@pytest.mark.parametrize("era", ["legacy", "2025"])
def test_aliases_do_not_collide(era, legacy, new):
    df = legacy if era == "legacy" else new
    owners: dict[str, set[str]] = defaultdict(set)
    for row in df.to_dict("records"):
        for spelling in [row["name"], row["name_en"], *split_aliases(row["aliases"])]:
            key = fold(spelling)
            assert key, f"{spelling!r} folds to nothing"
            owners[key].add(row["code"])
    clashes = {key: codes for key, codes in owners.items() if len(codes) > 1}
    assert not clashes


def test_alias_examples_resolve(legacy):
    lookup = {}
    for row in legacy.to_dict("records"):
        for spelling in [row["name"], row["name_en"], *split_aliases(row["aliases"])]:
            lookup[fold(spelling)] = row["code"]
    for spelling, code in [
        ("Hà Nội", "01"), ("Ha Noi", "01"), ("TP. Hà Nội", "01"), ("Thành phố Hà Nội", "01"),
        ("TP. Hồ Chí Minh", "79"), ("Hồ Chí Minh", "79"), ("HCMC", "79"), ("TP.HCM", "79"),
        ("Thừa Thiên Huế", "46"), ("Thừa Thiên-Huế", "46"), ("Thua Thien-Hue", "46"), ("Huế", "46"),
        ("Bà Rịa - Vũng Tàu", "77"), ("Bà Rịa-Vũng Tàu", "77"), ("BR-VT", "77"),
        ("Đắk Lắk", "66"), ("Đăk Lăk", "66"), ("Dak Lak", "66"),
        ("Hòa Bình", "17"), ("Hoà Bình", "17"),
        (unicodedata.normalize("NFD", "Hòa Bình"), "17"),
    ]:
        assert lookup.get(fold(spelling)) == code, spelling
