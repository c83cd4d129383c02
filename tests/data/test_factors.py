"""Ken French factor files: the real daily 5-factor file against a line-by-line reference,
monthly / 3-factor / zip layouts and garbage in tmp files."""

from __future__ import annotations

import csv
import zipfile

import numpy as np
import pandas as pd
import pytest

from workbench.data.schema import FACTOR_COLUMNS
from workbench.data.sources.french import read_french_factors
from workbench.exceptions import DataError

DAILY5 = "factors/F-F_Research_Data_5_Factors_2x3_daily.CSV"


@pytest.fixture(scope="module")
def daily5(shared_path):
    return read_french_factors(shared_path(DAILY5))


def test_real_daily_file(daily5):
    f = daily5
    assert list(f.columns) == list(FACTOR_COLUMNS)
    assert len(f) == 15_290
    assert f.index[0] == pd.Timestamp("1963-07-01")
    assert f.index[-1] == pd.Timestamp("2024-03-28")
    assert f.index.name == "date" and f.index.is_unique and f.index.is_monotonic_increasing
    assert f["Mkt-RF"].iloc[0] == pytest.approx(-0.0067, abs=1e-12)
    assert f["RF"].iloc[0] == pytest.approx(0.00012, abs=1e-12)
    assert f.loc["2024-03-28", "Mkt-RF"] == pytest.approx(0.0010, abs=1e-12)
    assert not f.isna().any().any()
    # decimals, not percent: daily market moves are a few percent at most (1987-10-19: -17%)
    assert f["Mkt-RF"].abs().max() == pytest.approx(0.1744, abs=1e-3)
    assert 0 <= f["RF"].min() and f["RF"].max() < 0.001


def test_real_file_matches_line_by_line_reference(daily5, shared_path):
    rows = {}
    with open(shared_path(DAILY5), newline="") as fh:
        for rec in csv.reader(fh):
            if rec and rec[0].strip().isdigit() and len(rec[0].strip()) == 8:
                rows[pd.Timestamp(rec[0].strip())] = [float(x) / 100 for x in rec[1:]]
    ref = pd.DataFrame.from_dict(rows, orient="index", columns=list(FACTOR_COLUMNS))
    np.testing.assert_allclose(daily5.to_numpy(), ref.to_numpy(), rtol=0, atol=1e-15)
    assert (daily5.index == ref.index).all()


MONTHLY3 = """This file was created by CMPT_ME_BEME_RETS using the 202403 CRSP database.
The 1-month TBill return is from Ibbotson and Associates Inc.

,Mkt-RF,SMB,HML,RF
192607,    2.96,   -2.56,   -2.43,    0.22
192608,    2.64,   -1.17,    3.82,    0.25
192609,    0.36,   -1.40,    0.13,    0.23

 Annual Factors: January-December
,Mkt-RF,SMB,HML,RF
  1927,   29.47,   -2.46,   -3.75,    3.12
  1928,   35.39,    4.41,   -6.15,    3.56

Copyright 2024 Kenneth R. French
"""


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def test_monthly_three_factor_layout(tmp_path):
    f = read_french_factors(_write(tmp_path / "F-F_Research_Data_Factors.CSV", MONTHLY3))
    assert list(f.columns) == ["Mkt-RF", "SMB", "HML", "RF"]
    assert list(f.index) == list(pd.to_datetime(["1926-07-31", "1926-08-31", "1926-09-30"]))
    assert f.loc["1926-08-31", "HML"] == pytest.approx(0.0382, abs=1e-12)
    assert len(f) == 3  # the annual section is not read
    with pytest.raises(DataError, match="expected daily rows"):
        read_french_factors(tmp_path / "F-F_Research_Data_Factors.CSV", frequency="daily")
    assert len(read_french_factors(tmp_path / "F-F_Research_Data_Factors.CSV",
                                   frequency="monthly")) == 3


def test_copyright_line_right_after_data_and_cp1252(tmp_path):
    text = (",Mkt-RF,SMB,HML,RMW,CMA,RF\n20240327,0.88,1.29,0.91,-0.14,0.58,0.021\n"
            "20240328,0.10,0.45,0.48,-0.07,0.09,0.021\n\u00a92024 Kenneth R. French\n")
    f = read_french_factors(_write(tmp_path / "d.csv", text, encoding="cp1252"))
    assert len(f) == 2 and f["RF"].iloc[-1] == pytest.approx(0.00021, abs=1e-15)


def test_zip_and_momentum_extra_column(tmp_path):
    text = ",Mkt-RF,SMB,HML,RF,Mom\n20200102,1.0,2.0,3.0,0.01,-99.99\n"
    z = tmp_path / "F-F_daily_CSV.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("F-F_daily.CSV", text)
    f = read_french_factors(z)
    assert list(f.columns) == ["Mkt-RF", "SMB", "HML", "RF", "Mom"]
    assert f.iloc[0, 0] == pytest.approx(0.01) and np.isnan(f["Mom"].iloc[0])  # -99.99 = NA
    z2 = tmp_path / "two.zip"
    with zipfile.ZipFile(z2, "w") as zf:
        zf.writestr("a.csv", text)
        zf.writestr("b.csv", text)
    with pytest.raises(DataError, match="exactly one"):
        read_french_factors(z2)


@pytest.mark.parametrize("text, match, row", [
    ("", "no header line", None),
    ("just some text\nand more\n", "no header line", None),
    (",A,B\n20200102,1,2\n", "no Fama-French factor columns", 1),
    ("intro\n,Mkt-RF,RF\n", "no data rows", 2),
    (",Mkt-RF,RF\n20200102,1.0,abc\n", "non-numeric value 'abc'", 2),
    (",Mkt-RF,RF\n20200102,1.0,\n", "non-numeric value", 2),
    (",Mkt-RF,RF\n20200102,1.0,0.1\n20200103,1.0\n", "expected 3 fields, got 2", 3),
    (",Mkt-RF,RF\n20200102,1.0,0.1\nSome text, no date\n", None, None),  # section end
    (",Mkt-RF,RF\n20200102,1.0,0.1\n2020O103,1.0,0.1\n", "expected a YYYYMMDD", 3),
    (",Mkt-RF,RF\nfoo,1.0,0.1\n", "expected a YYYYMMDD", 2),
    (",Mkt-RF,RF\n20200102,1.0,0.1,7\n", "expected 3 fields", 2),
    (",Mkt-RF,RF\n20201341,1.0,0.1\n", "not a valid date", 2),
    (",Mkt-RF,RF\n20200103,1.0,0.1\n20200102,1.0,0.1\n", "goes back in time", 3),
    (",Mkt-RF,RF\n20200102,1.0,0.1\n202001,1.0,0.1\n", "mixed date widths", 3),
])
def test_garbage_raises_with_file_and_line(tmp_path, text, match, row):
    p = _write(tmp_path / "bad.csv", text)
    if match is None:
        assert len(read_french_factors(p)) == 1
        return
    with pytest.raises(DataError, match=match) as e:
        read_french_factors(p)
    assert e.value.file == str(p)
    if row is not None:
        assert e.value.row == row


def test_bad_arguments(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_french_factors(tmp_path / "missing.csv")
    with pytest.raises(DataError, match="frequency"):
        read_french_factors(tmp_path / "missing.csv", frequency="weekly")
