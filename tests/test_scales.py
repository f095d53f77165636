"""data/scales.toml through its strict model: one label per scale point, sources, no stray keys."""

from __future__ import annotations

import tomllib

import pytest
from pydantic import ValidationError

from runform import scales
from runform.paths import data_dir
from runform.vocab import WELLNESS_ITEMS


def raw() -> dict:
    return tomllib.loads((data_dir() / "scales.toml").read_text())


def test_the_scales_load_with_a_label_for_every_point():
    s = scales.load()
    assert len(s.rpe.labels) == 11  # CR-10: 0 to 10
    assert s.rpe.label(0) == "0 · Rest" and s.rpe.label(10) == "10 · Maximal"
    items = tuple(n for n in scales.WellnessScales.model_fields if n != "source")
    assert items == WELLNESS_ITEMS  # the check-in's items, in the same order
    for item in WELLNESS_ITEMS:
        assert len(s.wellness.labels(item)) == 5
    assert s.wellness.label("sleep_quality", 5) == "5 · Very restful"
    assert "Foster" in s.rpe.source and "McLean" in s.wellness.source
    assert scales.load() is s  # read once


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["rpe"]["labels"].pop(), "at least 11"),
        (lambda d: d["wellness"]["mood"].append("Ecstatic"), "at most 5"),
        (lambda d: d["wellness"].pop("stress"), "stress"),
        (lambda d: d["wellness"].update(stres=d["wellness"]["stress"]), "stres"),
        (lambda d: d["rpe"].update(source=""), "source"),
        (lambda d: d["wellness"]["fatigue"].__setitem__(0, ""), "at least 1 character"),
    ],
)
def test_a_broken_scale_file_is_refused(change, message):
    data = raw()
    change(data)
    with pytest.raises(ValidationError, match=message):
        scales.Scales.model_validate(data)


def test_an_unknown_wellness_item_is_an_error():
    with pytest.raises(KeyError, match="unknown wellness item"):
        scales.load().wellness.labels("source")
