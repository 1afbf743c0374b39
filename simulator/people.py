"""Personal data generators: Chinese names, resident ID numbers (GB 11643), mobile numbers and addresses.

All generators are vectorised: they take index arrays drawn from a numpy Generator and assemble strings with Arrow
kernels, so millions of values cost seconds, not minutes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simulator.geo import (
    COMPOUNDS_LOW,
    COMPOUNDS_ORDINARY,
    COMPOUNDS_PREMIUM,
    GEO,
    STREETS,
    TOWNS,
    VILLAGES,
)

SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_SURNAME_P = 1.0 / (np.arange(len(SURNAMES)) + 3.0) ** 0.9
_SURNAME_P /= _SURNAME_P.sum()
MALE_CHARS = tuple("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国志文东海峰亮成博晨昊然子轩泽宏振")
FEMALE_CHARS = tuple("芳娜敏静丽艳娟霞秀玲燕婷雪慧莹琳颖倩欣悦晶洁佳梅兰红萍琴云月丹璐怡菲琪彤梦思雨婧瑶蕾露薇")
_GIVEN_CHARS = FEMALE_CHARS + MALE_CHARS  # female block first, then male

# Mobile prefixes by operator block, with a rough share of numbers in circulation.
_MOBILE_BLOCKS = (
    (tuple(range(130, 140)), 0.35),
    ((150, 151, 152, 153, 155, 156, 157, 158, 159), 0.20),
    (tuple(range(180, 190)), 0.25),
    ((170, 171, 173, 175, 176, 177, 178), 0.08),
    ((191, 193, 195, 196, 197, 198, 199), 0.12),
)
MOBILE_PREFIXES = np.array([p for block, _ in _MOBILE_BLOCKS for p in block], dtype=np.int64)
_MOBILE_P = np.array([share / len(block) for block, share in _MOBILE_BLOCKS for _ in block])
_MOBILE_P /= _MOBILE_P.sum()

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK_CHARS = "10X98765432"
_POW10 = 10 ** np.arange(16, -1, -1, dtype=np.int64)


def _text(values) -> pa.Array:
    return pa.array(values, type=pa.string())


def _join(*parts, sep: str = "") -> pa.Array:
    args = [pa.scalar(p, pa.string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*args, pa.scalar(sep, pa.string()))


def _pick(table: tuple[str, ...] | np.ndarray, index: np.ndarray) -> pa.Array:
    return _text(list(table)).take(pa.array(np.asarray(index, dtype=np.int64)))


def _num(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64)).cast(pa.string())


# --- names -----------------------------------------------------------------------------------------------------

def surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(len(SURNAMES), size=n, p=_SURNAME_P)


def full_names(rng: np.random.Generator, male: np.ndarray, surname: np.ndarray | None = None) -> pd.Series:
    """Surname plus one or two given-name characters chosen by gender."""
    n = len(male)
    if surname is None:
        surname = surnames(rng, n)
    offset = np.where(male, len(FEMALE_CHARS), 0)
    width = np.where(male, len(MALE_CHARS), len(FEMALE_CHARS))
    first = offset + (rng.random(n) * width).astype(np.int64)
    second = offset + (rng.random(n) * width).astype(np.int64)
    two_chars = rng.random(n) < 0.7
    given2 = pc.if_else(pa.array(two_chars), _pick(_GIVEN_CHARS, second), pa.scalar("", pa.string()))
    return _join(_pick(SURNAMES, surname), _pick(_GIVEN_CHARS, first), given2).to_pandas()


# --- resident ID numbers -----------------------------------------------------------------------------------------

def id_check_chars(base17: np.ndarray) -> np.ndarray:
    """GB 11643 check character for 17-digit bases (given as int64)."""
    digits = (np.asarray(base17, dtype=np.int64)[:, None] // _POW10) % 10
    remainder = (digits * ID_WEIGHTS).sum(axis=1) % 11
    return np.array(list(ID_CHECK_CHARS))[remainder]


def id_numbers(
    rng: np.random.Generator,
    area_code: np.ndarray,
    birth_day: np.ndarray,
    male: np.ndarray,
    exclude: np.ndarray | None = None,
) -> tuple[pd.Series, np.ndarray]:
    """Unique 18-character ID numbers and their 17-digit bases.

    Layout: 6-digit area code, birth date YYYYMMDD, 3-digit sequence (odd for men, even for women), check digit.
    Sequences are redrawn until every base is unique and not in `exclude`.
    """
    n = len(area_code)
    birth = np.asarray(birth_day, dtype=np.int64).astype("datetime64[D]")
    years = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    months = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (birth - birth.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    prefix = (np.asarray(area_code, dtype=np.int64) * 100_000_000 + years * 10_000 + months * 100 + days) * 1000
    male = np.asarray(male, dtype=bool)

    def draw_sequence(size: int, is_male: np.ndarray) -> np.ndarray:
        return np.where(is_male, 2 * rng.integers(0, 500, size) + 1, 2 * rng.integers(1, 500, size))

    base = prefix + draw_sequence(n, male)
    taken = np.unique(exclude) if exclude is not None else np.empty(0, dtype=np.int64)
    for _ in range(200):
        _, first = np.unique(base, return_index=True)
        clash = np.ones(n, dtype=bool)
        clash[first] = False
        clash |= np.isin(base, taken)
        if not clash.any():
            break
        idx = np.flatnonzero(clash)
        base[idx] = prefix[idx] + draw_sequence(len(idx), male[idx])
    else:
        raise ValueError("could not make ID numbers unique: too many people per area code and birth date")
    text = _join(_num(base), _text(id_check_chars(base).tolist()))
    return text.to_pandas(), base


# --- mobiles -----------------------------------------------------------------------------------------------------

class PhoneBook:
    """Issues 11-digit mobile numbers that are unique across everything issued by this book."""

    def __init__(self) -> None:
        self._issued = np.empty(0, dtype=np.int64)

    def issue(self, rng: np.random.Generator, n: int) -> np.ndarray:
        out = np.empty(0, dtype=np.int64)
        while len(out) < n:
            need = n - len(out)
            prefix = MOBILE_PREFIXES[rng.choice(len(MOBILE_PREFIXES), size=need + 16, p=_MOBILE_P)]
            draws = prefix * 100_000_000 + rng.integers(0, 100_000_000, need + 16)
            _, first = np.unique(draws, return_index=True)
            draws = draws[np.sort(first)]
            draws = draws[~np.isin(draws, self._issued) & ~np.isin(draws, out)]
            out = np.concatenate([out, draws[:need]])
        self._issued = np.union1d(self._issued, out)
        return out

    @property
    def issued(self) -> np.ndarray:
        return self._issued


def random_mobiles(rng: np.random.Generator, n: int) -> np.ndarray:
    """Mobile numbers without uniqueness bookkeeping (for background blacklist entries)."""
    prefix = MOBILE_PREFIXES[rng.choice(len(MOBILE_PREFIXES), size=n, p=_MOBILE_P)]
    return prefix * 100_000_000 + rng.integers(0, 100_000_000, n)


def mobile_text(mobiles: np.ndarray) -> pd.Series:
    return _num(mobiles).to_pandas()


# --- addresses ---------------------------------------------------------------------------------------------------

LIVING_PREMIUM, LIVING_ORDINARY, LIVING_LOW, LIVING_RURAL = range(4)


def living_levels(rng: np.random.Generator, district: np.ndarray, risk_shift: np.ndarray) -> np.ndarray:
    """Housing class: premium / ordinary / low-end compound, or a village address in county districts."""
    n = len(district)
    score = risk_shift + 0.9 * rng.standard_normal(n)
    level = np.digitize(score, [-1.1, 0.9]).astype(np.int64)  # 0 premium, 1 ordinary, 2 low
    county = GEO.district_level[district] == 3
    rural = county & (rng.random(n) < 0.45 + 0.15 * np.clip(risk_shift, -1, 1))
    return np.where(rural, LIVING_RURAL, level)


def home_addresses(rng: np.random.Generator, district: np.ndarray, living: np.ndarray) -> pd.Series:
    """'浙江省杭州市西湖区文化路88号阳光花园5栋2单元1203室' or a village address for rural living."""
    n = len(district)
    prefix = _pick(GEO.district_prefix, district)
    compounds = np.array(COMPOUNDS_PREMIUM + COMPOUNDS_ORDINARY + COMPOUNDS_LOW, dtype=object)
    starts = np.array([0, len(COMPOUNDS_PREMIUM), len(COMPOUNDS_PREMIUM) + len(COMPOUNDS_ORDINARY)])
    sizes = np.array([len(COMPOUNDS_PREMIUM), len(COMPOUNDS_ORDINARY), len(COMPOUNDS_LOW)])
    urban_level = np.minimum(living, 2)
    compound = starts[urban_level] + (rng.random(n) * sizes[urban_level]).astype(np.int64)
    urban = _join(
        prefix, _pick(STREETS, rng.integers(0, len(STREETS), n)), _num(rng.integers(1, 400, n)), "号",
        _pick(compounds, compound), _num(rng.integers(1, 30, n)), "栋", _num(rng.integers(1, 5, n)), "单元",
        _num(rng.integers(1, 33, n) * 100 + rng.integers(1, 5, n)), "室",
    )
    rural = _join(
        prefix, _pick(TOWNS, rng.integers(0, len(TOWNS), n)), "镇", _pick(VILLAGES, rng.integers(0, len(VILLAGES), n)),
        "村", _num(rng.integers(1, 12, n)), "组", _num(rng.integers(1, 120, n)), "号",
    )
    return pc.if_else(pa.array(living == LIVING_RURAL), rural, urban).to_pandas()


def street_addresses(rng: np.random.Generator, district: np.ndarray) -> pd.Series:
    """Shop-front address: district prefix, street, number and floor."""
    n = len(district)
    return _join(
        _pick(GEO.district_prefix, district), _pick(STREETS, rng.integers(0, len(STREETS), n)),
        _num(rng.integers(1, 600, n)), "号", _num(rng.integers(1, 6, n)), "楼",
    ).to_pandas()


def ipv4(rng: np.random.Generator, n: int) -> pd.Series:
    """Public IPv4 addresses from first octets common on Chinese ISP networks."""
    firsts = np.array([36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119,
                       120, 121, 122, 123, 124, 125, 171, 175, 180, 182, 183, 202, 210, 211, 218, 220, 221, 222, 223])
    octets = [_num(firsts[rng.integers(0, len(firsts), n)])] + [_num(rng.integers(1, 255, n)) for _ in range(3)]
    return _join(*octets, sep=".").to_pandas()
