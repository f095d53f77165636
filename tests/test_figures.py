"""The review pages' figures as pure functions of frames: their traces, axes, and the threshold
lines and bands at the values of data/thresholds.toml (read here straight from the file)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import pytest

from runform import figures, thresholds
from runform.compensations import normal_bands
from runform.screens import load_catalogue
from runform.vocab import KIND_LABELS, SEVERITIES, SEVERITY_COLOURS, SEVERITY_LABELS
from tests.conftest import ROOT

TOML = tomllib.loads((ROOT / "data" / "thresholds.toml").read_text())
DAY = date(2026, 9, 7)  # a Monday


def days(n: int, step: int = 1) -> list[pd.Timestamp]:
    return [pd.Timestamp(DAY + timedelta(days=i * step)) for i in range(n)]


def lines(fig: go.Figure) -> list[dict]:
    return [s.to_plotly_json() for s in fig.layout.shapes if s.type == "line"]


def notes(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def at_y(fig: go.Figure, y: float, axis: str = "y") -> dict:
    """The one dotted line across the plot at `y` on `axis`."""
    [found] = [s for s in lines(fig) if s["y0"] == s["y1"] == y and s["yref"] == axis]
    assert found["line"]["dash"] == "dot"
    assert found["xref"].endswith("domain") and (found["x0"], found["x1"]) == (0, 1)
    return found


def refs_exist(fig: go.Figure) -> None:
    """Every line, band and label is placed on axes the figure has (plotly would otherwise
    read a missing axis's domain 0–1 as data, and stretch the real axis to 1970)."""
    axes = {"x", "y"} | {
        k.replace("axis", "") for k in fig.layout.to_plotly_json() if k[1:].startswith("axis")
    }
    for item in [*fig.layout.shapes, *fig.layout.annotations]:
        for ref in (item.xref, item.yref):
            assert ref == "paper" or ref.removesuffix(" domain") in axes, (ref, axes)


def axis_title(fig: go.Figure, name: str) -> str:
    return fig.layout[name].title.text


# --- one runner --------------------------------------------------------------------------------


def test_findings_stack_by_severity_most_severe_first_in_the_vocabulary_colours():
    found = pd.DataFrame(
        {
            "assessed_on": [days(1)[0]] * 3 + [days(2, 30)[1]] * 2,
            "severity": ["info", "high", "moderate", "moderate", "moderate"],
        }
    )
    fig = figures.findings(found)
    assert [t.name for t in fig.data] == [SEVERITY_LABELS[s] for s in SEVERITIES]
    assert [t.marker.color for t in fig.data] == [SEVERITY_COLOURS[s] for s in SEVERITIES]
    moderate = fig.data[1]
    assert list(moderate.y) == [1, 2]
    assert fig.layout.barmode == "stack" and fig.layout.legend.traceorder == "normal"
    assert fig.layout.title.text == "Findings per assessment"
    # a bar per assessment named by its day, in the order of the days
    first, second = (d.strftime("%d %b %Y") for d in (DAY, DAY + timedelta(days=30)))
    assert list(moderate.x) == [first, second] and list(fig.data[0].x) == [first]
    assert fig.layout.xaxis.type == "category"
    assert list(fig.layout.xaxis.categoryarray) == [first, second]
    assert axis_title(fig, "xaxis") == "Assessment date"
    assert axis_title(fig, "yaxis") == "Findings"


def test_findings_of_one_severity_draw_only_it():
    fig = figures.findings(pd.DataFrame({"assessed_on": days(2), "severity": ["info", "info"]}))
    assert [t.name for t in fig.data] == ["Info"]
    assert list(fig.data[0].y) == [1, 1]


def screens_frame() -> pd.DataFrame:
    rows = []
    for sid, sides in [("knee_to_wall_cm", ["left", "right"]), ("cadence_spm", ["none"])]:
        rows += [
            {"screen_id": sid, "side": side, "assessed_on": d, "value": 8.0 + i}
            for side in sides
            for i, d in enumerate(days(3, 40))
        ]
    rows += [{"screen_id": "side_plank_s", "side": "left", "assessed_on": DAY, "value": 60.0}]
    rows += [{"screen_id": "trunk_flexor_s", "side": "none", "assessed_on": DAY, "value": 90.0}]
    return pd.DataFrame(rows)


def test_screens_one_small_chart_each_with_the_rule_tables_edge_of_normal():
    fig = figures.screen_values(screens_frame())
    assert fig.layout.title.text == "Screens against the normal edge (dotted)"
    # a title per screen (the catalogue's name), in the order they came, and an axis pair each
    specs = load_catalogue().by_id()
    ids = ["knee_to_wall_cm", "cadence_spm", "side_plank_s", "trunk_flexor_s"]
    assert notes(fig) == [specs[i].name for i in ids]
    assert [fig.layout[f"yaxis{k}"].anchor for k in ("", "2", "3", "4")] == ["x", "x2", "x3", "x4"]
    # four screens, three to a row: two rows, the fourth under the first
    assert fig.layout.xaxis4.domain == fig.layout.xaxis.domain
    assert fig.layout.yaxis4.domain[1] < fig.layout.yaxis.domain[0]
    assert fig.layout.height == 2 * 280
    # each side its trace on its screen's axes; the legend names each side once
    assert [(t.xaxis, t.name) for t in fig.data] == [
        ("x", "Left"),
        ("x", "Right"),
        ("x2", "Single"),
        ("x3", "Left"),
        ("x4", "Single"),
    ]
    assert [t.showlegend for t in fig.data] == [True, True, True, False, False]
    # the edges of normal from the rule table, each on its own screen's axis
    bands = normal_bands()
    assert at_y(fig, bands["knee_to_wall_cm"][0], "y")
    assert at_y(fig, bands["cadence_spm"][0], "y2")
    assert {s["yref"] for s in lines(fig)} == {"y", "y2"}, "no edge for screens without one"
    # the screen's unit on its y axis, the dates titled once under the lowest of each column,
    # and a legend titled by what its entries are
    assert [fig.layout[f"yaxis{k}"].title.text for k in ("", "2", "3", "4")] == [
        specs[i].unit for i in ids
    ]
    assert [fig.layout[f"xaxis{k}"].title.text for k in ("", "2", "3", "4")] == [
        None,
        "Assessment date",
        "Assessment date",
        "Assessment date",
    ]
    assert fig.layout.legend.title.text == "Side" and fig.layout.legend.y == 1
    refs_exist(fig)


def test_screens_take_their_names_and_edges_as_arguments():
    frame = screens_frame()
    fig = figures.screen_values(
        frame, names={"cadence_spm": "Steps"}, bands={"cadence_spm": (1, 2)}
    )
    assert notes(fig)[1] == "Steps"
    assert [(s["yref"], s["y0"]) for s in lines(fig)] == [("y2", 1), ("y2", 2)]


def test_asymmetry_a_line_per_screen_by_name():
    asym = pd.DataFrame(
        {
            "assessed_on": days(2) * 2,
            "screen_id": ["hip_ir_deg"] * 2 + ["knee_to_wall_cm"] * 2,
            "difference": [2.0, 1.0, 0.5, 0.0],
        }
    )
    fig = figures.asymmetry(asym, names={"hip_ir_deg": "Hip IR", "knee_to_wall_cm": "KTW"})
    assert [(t.name, list(t.y)) for t in fig.data] == [("Hip IR", [2, 1]), ("KTW", [0.5, 0])]
    assert axis_title(fig, "yaxis") == "Left–right difference"
    assert figures.asymmetry(asym).data[0].name != "hip_ir_deg", "catalogue names by default"


def test_weekly_load_bars_monotony_on_its_own_axis_with_its_flag():
    weekly = pd.DataFrame(
        {"week_start": days(3, 7), "load": [800.0, 900, 1000], "monotony": [1.5, 2.1, None]}
    )
    fig = figures.weekly_load(weekly)
    bar, line = fig.data
    assert bar.type == "bar" and list(bar.y) == [800, 900, 1000]
    assert line.type == "scatter" and line.yaxis == "y2"
    assert fig.layout.yaxis2.overlaying == "y" and fig.layout.yaxis2.side == "right"
    flag = TOML["monotony"]["flag"]
    line = at_y(fig, flag, "y2")
    assert line["line"]["color"] == figures.ORANGE
    assert line["xref"] == "x domain", "across the one x axis the two y axes share"
    assert notes(fig) == [f"monotony {flag:g}"]
    assert [axis_title(fig, a) for a in ("xaxis", "yaxis", "yaxis2")] == [
        "Week starting",
        "Load (AU)",
        "Monotony",
    ]
    refs_exist(fig)


def test_acwr_the_usual_range_shaded_and_the_flag_dotted():
    ratio = pd.DataFrame({"day": days(3), "ratio": [0.9, 1.2, 1.6], "ewma_ratio": [1.0, 1.1, 1.4]})
    fig = figures.acwr(ratio)
    assert [list(t.y) for t in fig.data] == [[0.9, 1.2, 1.6], [1.0, 1.1, 1.4]]
    assert all("_" not in t.name for t in fig.data)
    a = TOML["acwr"]
    [band] = [s for s in fig.layout.shapes if s.type == "rect"]
    assert (band.y0, band.y1, band.yref, band.xref) == (
        a["usual_low"],
        a["usual_high"],
        "y",
        "x domain",
    )
    assert at_y(fig, a["flag"])["line"]["color"] == figures.RED
    assert notes(fig) == [f"{a['flag']:g}"]
    assert axis_title(fig, "yaxis") == "Acute:chronic ratio"
    refs_exist(fig)


def test_pain_by_region_and_timing_with_the_models_limit():
    reports = pd.DataFrame(
        {
            "day": days(4),
            "region": ["knee", "knee", "lower_back", "knee"],
            "side": ["left", "left", None, "left"],
            "score": [3, 6, 2, 4],
            "when": ["during_run", "next_morning", "rest", "during_run"],
        }
    )
    fig = figures.pain(reports)
    assert [(t.name, list(t.y)) for t in fig.data] == [
        ("Knee · During running", [3, 4]),
        ("Knee · Next morning", [6]),
        ("Lower back · At rest", [2]),
    ]
    knee, morning, back = fig.data
    assert figures.PALETTE[0] == knee.marker.color == morning.marker.color != back.marker.color
    assert knee.marker.symbol != morning.marker.symbol
    assert all(t.marker.size == 12 for t in fig.data)
    limit = TOML["pain"]["during_max"]
    assert at_y(fig, limit)["line"]["color"] == figures.RED
    assert notes(fig) == [f"{limit:g}/10: the pain-monitoring model's limit"]
    assert tuple(fig.layout.yaxis.range) == (-0.5, 10.5)
    assert axis_title(fig, "yaxis") == "Pain (0–10)"
    refs_exist(fig)


def test_adherence_by_week_planned_behind_done():
    weekly = pd.DataFrame({"week_start": days(2, 7), "planned": [5, 4], "done": [4, 4]})
    fig = figures.adherence_weeks(weekly)
    assert [(t.name, list(t.y)) for t in fig.data] == [("Planned", [5, 4]), ("Done", [4, 4])]
    assert fig.layout.barmode == "overlay"
    assert axis_title(fig, "yaxis") == "Sessions"


def test_adherence_by_kind_in_words_with_the_flags_mark():
    by_kind = pd.DataFrame({"kind": ["easy_run", "strength"], "adherence": [0.9, 0.5]})
    fig = figures.adherence_kinds(by_kind)
    assert list(fig.data[0].x) == [KIND_LABELS["easy_run"], KIND_LABELS["strength"]]
    low = TOML["adherence"]["low"]
    assert at_y(fig, low)
    assert notes(fig) == [f"{low * 100:g} %"]
    assert tuple(fig.layout.yaxis.range) == (0, 1)
    refs_exist(fig)


def test_form_a_small_chart_per_metric_each_on_its_own_scale():
    weeks = pd.DataFrame({"week_start": days(3, 7)})
    for i, metric in enumerate(figures.FORM_METRICS):
        weeks[metric] = [float(i), float(i) + 1, None]
    fig = figures.form(weeks)
    assert notes(fig) == list(figures.FORM_METRICS.values())
    assert all("_" not in t for t in notes(fig))
    assert [t.yaxis for t in fig.data] == ["y", "y2", "y3", "y4", "y5", "y6"]
    assert not any(fig.layout[f"yaxis{k}"].matches for k in ("", "2", "3", "4", "5", "6"))
    assert fig.layout.height == 560
    assert [fig.layout[f"yaxis{k}"].title.text for k in ("", "2", "3")] == ["spm", "ms", "cm"]
    refs_exist(fig)


def test_wellness_against_the_own_baseline_and_the_flags_edge():
    well = pd.DataFrame(
        {
            "day": days(3),
            "total": [18.0, 20.0, 12.0],
            "baseline": [None, 18.0, 19.0],
            "sd": [None, None, 2.0],
        }
    )
    fig = figures.wellness_trend(well)
    edge, baseline, total = fig.data
    w = TOML["wellness"]
    assert list(edge.y) == [19.0 - w["sd_below"] * 2.0], "only days with a baseline and an SD"
    assert edge.line.dash == "dot" and edge.line.color == figures.RED
    assert edge.name == f"baseline − {w['sd_below']:g} SD"
    assert baseline.name == f"own {w['baseline_days']}-day baseline"
    assert list(total.y) == [18, 20, 12]


# --- the team ----------------------------------------------------------------------------------


def test_prevalence_stacked_by_severity_most_common_on_top():
    prev = pd.DataFrame(
        {
            "finding_id": ["a", "b", "a"],
            "finding": ["Finding A", "Finding B", "Finding A"],
            "severity": ["moderate", "info", "high"],
            "runners": [3, 5, 1],
        }
    )
    fig = figures.prevalence(prev)
    assert [(t.name, list(t.y), list(t.x)) for t in fig.data] == [
        ("High", ["Finding A"], [1]),
        ("Moderate", ["Finding A"], [3]),
        ("Info", ["Finding B"], [5]),
    ]
    assert {t.orientation for t in fig.data} == {"h"}
    assert fig.layout.yaxis.categoryorder == "total ascending"
    assert fig.layout.barmode == "stack" and fig.layout.legend.traceorder == "normal"


def test_team_adherence_lowest_at_the_bottom_with_the_flags_mark():
    runners = pd.DataFrame({"name": ["Ana", "Ben", "Cleo"], "adherence": [0.9, 0.5, 1.0]})
    fig = figures.team_adherence(runners, 6)
    assert list(fig.data[0].y) == ["Ben", "Ana", "Cleo"]
    assert fig.layout.title.text == "Adherence over the last 6 weeks"
    low = TOML["adherence"]["low"]
    [line] = lines(fig)
    assert (line["x0"], line["x1"], line["xref"], line["yref"]) == (low, low, "x", "y domain")
    assert notes(fig) == [f"{low * 100:g} %"]
    # The mark's label sits above the plot area, not over the top runner's bar.
    [note] = fig.layout.annotations
    assert (note.yref, note.y, note.yanchor) == ("y domain", 1, "bottom")
    assert tuple(fig.layout.xaxis.range) == (0, 1)
    refs_exist(fig)


# --- every figure ------------------------------------------------------------------------------


def empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


EMPTY = {
    "findings": lambda: figures.findings(empty("assessed_on", "severity")),
    "screens": lambda: figures.screen_values(empty("screen_id", "side", "assessed_on", "value")),
    "asymmetry": lambda: figures.asymmetry(empty("assessed_on", "screen_id", "difference")),
    "load": lambda: figures.weekly_load(empty("week_start", "load", "monotony")),
    "acwr": lambda: figures.acwr(empty("day", "ratio", "ewma_ratio")),
    "pain": lambda: figures.pain(empty("day", "region", "side", "score", "when")),
    "adherence": lambda: figures.adherence_weeks(empty("week_start", "planned", "done")),
    "kinds": lambda: figures.adherence_kinds(empty("kind", "adherence")),
    "form": lambda: figures.form(empty("week_start", *figures.FORM_METRICS)),
    "wellness": lambda: figures.wellness_trend(empty("day", "total", "baseline", "sd")),
    "prevalence": lambda: figures.prevalence(empty("finding_id", "finding", "severity", "runners")),
    "team": lambda: figures.team_adherence(empty("name", "adherence"), 6),
}


@pytest.mark.parametrize("name", list(EMPTY))
def test_an_empty_frame_gives_a_titled_figure_without_points(name):
    fig = EMPTY[name]()
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text
    assert all(t.x is None or len(t.x) == 0 for t in fig.data)
    fig.to_json()  # what st.plotly_chart sends


def test_thresholds_are_arguments():
    t = thresholds.load()
    moved = t.acwr.model_copy(update={"flag": 2.5, "usual_low": 0.5, "usual_high": 1.0})
    fig = figures.acwr(empty("day", "ratio", "ewma_ratio"), moved)
    assert at_y(fig, 2.5) and notes(fig) == ["2.5"]
    assert [(s.y0, s.y1) for s in fig.layout.shapes if s.type == "rect"] == [(0.5, 1.0)]
    fig = figures.pain(
        empty("day", "region", "side", "score", "when"), t.pain.model_copy(update={"during_max": 3})
    )
    assert at_y(fig, 3)
    fig = figures.team_adherence(
        empty("name", "adherence"), 4, t.adherence.model_copy(update={"low": 0.5})
    )
    assert lines(fig)[0]["x0"] == 0.5 and notes(fig) == ["50 %"]


def test_the_notes_say_the_numbers_the_lines_are_drawn_at():
    assert f"{TOML['pain']['during_max']:g}/10" in figures.pain_note()
    assert TOML["wellness"]["source"] in figures.wellness_note()
    assert TOML["adherence"]["source"] in figures.adherence_note()
    assert TOML["monotony"]["source"] in figures.monotony_note()
    assert f"{TOML['acwr']['usual_low']:g}" in figures.acwr_note()
    assert "edge of normal" in figures.screens_note()
    assert f"{normal_bands()['cadence_spm'][0]:g} spm" in figures.form_note()


def test_figures_do_not_import_streamlit():
    code = "import sys, runform.figures; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --- dates read as days ------------------------------------------------------------------------

ONE = pd.Timestamp(DAY)
#: Every figure with a date axis, built from frames holding the one day ONE: (figure, axes).
ONE_DAY = {
    "screens": lambda: (figures.screen_values(screens_frame().assign(assessed_on=ONE)), ["xaxis"]),
    "asymmetry": lambda: (
        figures.asymmetry(
            pd.DataFrame({"screen_id": ["side_plank_s"], "assessed_on": [ONE], "difference": [4]})
        ),
        ["xaxis"],
    ),
    "load": lambda: (
        figures.weekly_load(
            pd.DataFrame({"week_start": [ONE], "load": [900.0], "monotony": [1.2]})
        ),
        ["xaxis"],
    ),
    "acwr": lambda: (
        figures.acwr(pd.DataFrame({"day": [ONE], "ratio": [1.0], "ewma_ratio": [1.1]})),
        ["xaxis"],
    ),
    "pain": lambda: (
        figures.pain(
            pd.DataFrame({"day": [ONE], "score": [3], "region": ["knee"], "when": ["during_run"]})
        ),
        ["xaxis"],
    ),
    "adherence": lambda: (
        figures.adherence_weeks(pd.DataFrame({"week_start": [ONE], "planned": [4], "done": [3]})),
        ["xaxis"],
    ),
    "form": lambda: (
        figures.form(
            pd.DataFrame({"week_start": [ONE], **{m: [1.0] for m in figures.FORM_METRICS}})
        ),
        ["xaxis", "xaxis2", "xaxis6"],
    ),
    "wellness": lambda: (
        figures.wellness_trend(
            pd.DataFrame({"day": [ONE], "total": [18], "baseline": [17.0], "sd": [1.0]})
        ),
        ["xaxis"],
    ),
}


@pytest.mark.parametrize("name", list(ONE_DAY))
def test_a_lone_day_shows_two_weeks_of_dates_without_times(name):
    """One assessment (one week, one day) used to zoom plotly to a millisecond around it, whose
    ticks read "23:59:59.999 Nov 30, 2026": now days only, two weeks centred on the day."""
    fig, axes = ONE_DAY[name]()
    for axis in axes:
        x = fig.layout[axis]
        assert x.type == "date" and x.tickformat == x.hoverformat == figures.DATE_FORMAT
        assert "%H" not in x.tickformat and "%M" not in x.tickformat
        low, high = (pd.Timestamp(v) for v in x.range)
        assert high - low == pd.Timedelta(days=figures.MIN_DAYS)
        assert low < ONE < high and (ONE - low) == (high - ONE)
    fig.to_json()


@pytest.mark.parametrize("name", list(ONE_DAY))
def test_every_runner_chart_titles_its_axes(name):
    """Each chart says what its axes are: both axes of a single chart; in small multiples, every
    y axis (the unit) and the dates under the lowest chart."""
    fig, _ = ONE_DAY[name]()
    layout = fig.layout.to_plotly_json()
    ys = [k for k in layout if k.startswith("yaxis")]
    assert ys and all(layout[k].get("title", {}).get("text") for k in ys), name
    xs = [k for k in layout if k.startswith("xaxis")]
    assert any(layout[k].get("title", {}).get("text") for k in xs), name


def test_a_lone_assessment_is_one_bar_named_by_its_day():
    fig = figures.findings(pd.DataFrame({"assessed_on": [ONE] * 13, "severity": ["high"] * 13}))
    [bar] = fig.data
    assert list(bar.x) == ["07 Sep 2026"] and list(bar.y) == [13]
    assert fig.layout.xaxis.type == "category" and axis_title(fig, "xaxis") == "Assessment date"


def test_a_lone_week_is_a_bar_most_of_a_week_wide():
    for fig in (
        ONE_DAY["load"]()[0],
        ONE_DAY["adherence"]()[0],
    ):
        bars = [t for t in fig.data if t.type == "bar"]
        assert bars and all(t.width == 5 * 24 * 3600 * 1000 for t in bars)


def test_dates_spanning_weeks_keep_plotlys_own_range():
    weekly = pd.DataFrame({"week_start": days(6, 7), "planned": [4] * 6, "done": [3] * 6})
    x = figures.adherence_weeks(weekly).layout.xaxis
    assert x.range is None and x.tickformat == figures.DATE_FORMAT
    close = pd.DataFrame({"week_start": days(2, 3), "planned": [4] * 2, "done": [3] * 2})
    low, high = (pd.Timestamp(v) for v in figures.adherence_weeks(close).layout.xaxis.range)
    # three days apart: 5.5 days either side make the two weeks
    assert (low, high) == (ONE - pd.Timedelta(days=5.5), ONE + pd.Timedelta(days=8.5))


def test_fitness_draws_done_solid_and_planned_dashed_from_the_last_day_done():
    curve = pd.DataFrame(
        {
            "day": days(5),
            "ctl": [1.0, 2, 3, 4, 5],
            "atl": [2.0, 3, 4, 5, 6],
            "tsb": [0.0, -1, -1, -1, -1],
            "projected": [False, False, False, True, True],
        }
    )
    fig = figures.fitness(curve)
    names = [t.name for t in fig.data]
    assert names == [
        "Fitness (CTL)",
        "Fitness (CTL), planned",
        "Fatigue (ATL)",
        "Fatigue (ATL), planned",
        "Form (TSB)",
        "Form (TSB), planned",
    ]
    done, ahead = fig.data[0], fig.data[1]
    assert done.line.dash == "solid" and ahead.line.dash == "dash"
    assert list(done.y) == [1, 2, 3] and list(ahead.y) == [3, 4, 5]  # joined at the last day
    assert [s["y0"] for s in lines(fig)] == [0]


def test_fitness_without_a_plan_has_no_dashed_lines():
    curve = pd.DataFrame(
        {"day": days(3), "ctl": [1.0] * 3, "atl": [1.0] * 3, "tsb": [0.0] * 3, "projected": False}
    )
    assert [t.line.dash for t in figures.fitness(curve).data] == ["solid"] * 3
