"""Training paces from a race (Daniels and Gilbert 1979), and whether a race time is possible.

VO2 = −4.60 + 0.182258·v + 0.000104·v² (v in m/min) is the oxygen cost of running at v;
%VO2max = 0.8 + 0.1894393·e^(−0.012778·t) + 0.2989558·e^(−0.1932605·t) is the share of VO2max a
runner sustains for t minutes. A race of d metres in t minutes therefore gives VDOT = VO2(d/t) ÷
%VO2max(t), and a training pace at a share f of VDOT is the speed whose cost is f·VDOT.
"""

from __future__ import annotations

import math
from typing import Any

from runform.planconfig import load_config

PaceBand = tuple[int, int]  # s/km: fast, slow
ZONES = ("easy", "marathon", "threshold", "interval", "repetition")

_A, _B, _C = 0.000104, 0.182258, -4.60


def _cfg() -> dict[str, Any]:
    return load_config()


def vo2(v_m_per_min: float) -> float:
    return _C + _B * v_m_per_min + _A * v_m_per_min**2


def sustainable(t_min: float) -> float:
    return 0.8 + 0.1894393 * math.exp(-0.012778 * t_min) + 0.2989558 * math.exp(-0.1932605 * t_min)


def vdot(distance_km: float, seconds: float) -> float:
    t = seconds / 60
    return vo2(distance_km * 1000 / t) / sustainable(t)


def speed_for(vo2_ml: float) -> float:
    """m/min whose oxygen cost is vo2_ml (the positive root of the cost equation)."""
    return (-_B + math.sqrt(_B**2 - 4 * _A * (_C - vo2_ml))) / (2 * _A)


def pace_s_per_km(vo2_ml: float) -> float:
    return 60_000 / speed_for(vo2_ml)


def band(vdot_value: float, zone: str) -> PaceBand:
    lo, hi = _cfg()["paces"][zone]
    return round(pace_s_per_km(hi * vdot_value)), round(pace_s_per_km(lo * vdot_value))


def zones(vdot_value: float) -> dict[str, PaceBand]:
    return {z: band(vdot_value, z) for z in ZONES}


def vdot_from_easy_pace(min_per_km: float) -> float:
    """The VDOT whose easy band centres on a given easy pace (for timing runs, never shown)."""
    lo, hi = _cfg()["paces"]["easy"]
    return vo2(1000 / min_per_km) / ((lo + hi) / 2)


def race_seconds(vdot_value: float, distance_km: float) -> float:
    """Predicted time over a distance for a VDOT: the t where VO2(d/t) ÷ %VO2max(t) = VDOT."""
    lo, hi = 60.0, 24 * 3600.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if vdot(distance_km, mid) > vdot_value:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def impossible(distance_km: float, seconds: float) -> str | None:
    """Why a race time cannot be right (faster than the world record, slower than a walk)."""
    limits = _cfg()["race_limits"]
    if seconds <= 0:
        return "must be longer than zero"
    records = sorted((float(d), t) for d, t in limits["records"].items())
    shorter = [r for r in records if r[0] <= distance_km] or records[:1]
    record_km, record_s = shorter[-1]
    if distance_km / seconds > record_km / record_s:
        return (
            f"{clock(seconds)} for {distance_km:g} km is faster than the world record pace "
            f"({clock(record_s)} for {record_km:g} km)"
        )
    walk = limits["walking_min_per_km"]
    if seconds / 60 / distance_km > walk:
        return f"{clock(seconds)} for {distance_km:g} km is slower than walking ({walk:g} min/km)"
    return None


def clock(seconds: float) -> str:
    s = round(seconds)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def pace_text(s_per_km: float) -> str:
    m, s = divmod(round(s_per_km), 60)
    return f"{m}:{s:02d}"
