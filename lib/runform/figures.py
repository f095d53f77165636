"""Every chart of the Progress and Team pages, each a pure function of data frames (and the
thresholds of data/thresholds.toml, which each takes as an argument and reads by default), and
the words that explain its lines.

Each figure is built in one go: its traces in one list and its layout (threshold lines and bands
as shapes, their labels as annotations) in one dict, validated once by `go.Figure` — plotly's
`add_hline`, `add_trace(row=, col=)` and plotly express revalidate the whole figure at every
call. An empty frame gives a figure without traces (its title and lines kept), never an error.
No Streamlit here: `pages/widgets/charts.py` draws these readable on a projector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go  # type: ignore[import-untyped]

from runform import cadence, change, screens, team, thresholds, wellness
from runform.compensations import normal_bands
from runform.compensations import threshold as rule_threshold
from runform.vocab import (
    KIND_LABELS,
    PAIN_WHEN,
    PAIN_WHEN_LABELS,
    REGION_LABELS,
    REGIONS,
    SEVERITIES,
    SEVERITY_COLOURS,
    SEVERITY_LABELS,
    SIDE_LABELS,
    label,
)

GREEN, ORANGE, RED, GREY, SLATE = "#0B6E4F", "#E67E22", "#C0392B", "#7F8C8D", "#34495E"
#: The pain regions' colours, given in `vocab.REGIONS` order to the regions a chart shows
#: (plotly's qualitative set, as plotly express gives them).
PALETTE: tuple[str, ...] = ("#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A")
PALETTE += ("#19D3F3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52")
WHEN_SYMBOLS: dict[str, str] = dict(
    zip(PAIN_WHEN, ("circle", "diamond", "square", "x"), strict=True)
)
SIDE_COLOURS = {"left": GREEN, "right": ORANGE, "none": SLATE}
SIDE_NAMES = {**SIDE_LABELS, "none": "Single"}  # a screen measured once, not per side
#: The running-form metrics of `store.review.form`, in the order they are charted.
FORM_METRICS = {
    "cadence_spm": "Cadence (spm)",
    "ground_contact_ms": "Ground contact (ms)",
    "vertical_oscillation_cm": "Vertical oscillation (cm)",
    "cadence_cv_pct": "Cadence variation (CV %)",
    "long_run_cadence_fade": "Long-run cadence fade (%)",
    "long_run_contact_fade": "Long-run contact fade (%)",
}
COLUMNS = 3  # small multiples per row (screens, form)
#: The sides' legend of the screens: at the top right, beside the title, where a tall grid of
#: small charts cannot push it out of sight.
SIDE_LEGEND = {
    "title": {"text": "Side"},
    "orientation": "h",
    "x": 1,
    "xanchor": "right",
    "y": 1,
    "yanchor": "top",
    "yref": "container",
}


# --- building blocks ---------------------------------------------------------------------------


def _figure(traces: Sequence[Any], title: str, **layout: Any) -> go.Figure:
    """The figure, validated once: `traces` and the whole layout in one construction."""
    return go.Figure(data=list(traces), layout={"title": {"text": title}, **layout})


def _axis(title: str, **more: Any) -> dict[str, Any]:
    return {"title": {"text": title}, **more}


#: How a date axis labels its ticks and hovers: the day only ("30 Nov 2026"), never a time.
DATE_FORMAT = "%d %b %Y"
#: The shortest span a date axis shows: plotly zooms to a millisecond around one lone day and
#: labels times ("23:59:59.999 Nov 30, 2026"); two weeks keep whole days on the ticks.
MIN_DAYS = 14


def day_label(day: object) -> str:
    """A day as the date axes write it ("30 Nov 2026")."""
    return pd.Timestamp(day).strftime(DATE_FORMAT)  # type: ignore[arg-type]


#: A week's bar: most of the week wide (plotly would size a lone bar on a date axis to a line).
WEEK_BAR_MS = 5 * 24 * 3600 * 1000


def date_axis(title: str, *columns: pd.Series, **more: Any) -> dict[str, Any]:
    """A date axis titled `title` that reads days only. When the days in `columns` span less than
    `MIN_DAYS` (one assessment, one week), the range widens around them to `MIN_DAYS`."""
    axis = _axis(title, type="date", tickformat=DATE_FORMAT, hoverformat=DATE_FORMAT, **more)
    seen = [d for c in columns for d in pd.to_datetime(pd.Series(c)).dropna()]
    if seen:
        first, last = min(seen).normalize(), max(seen).normalize()
        pad = (pd.Timedelta(days=MIN_DAYS) - (last - first)) / 2
        if pad > pd.Timedelta(0):
            axis["range"] = [(first - pad).isoformat(), (last + pad).isoformat()]
    return axis


def hline(y: float, colour: str = GREY, *, xaxis: str = "x", yaxis: str = "y") -> dict[str, Any]:
    """A dotted line across the plot of axes `xaxis`/`yaxis` at `y`, as `add_hline` draws it."""
    return {
        "type": "line",
        "xref": f"{xaxis} domain",
        "x0": 0,
        "x1": 1,
        "yref": yaxis,
        "y0": y,
        "y1": y,
        "line": {"color": colour, "dash": "dot", "width": 2},
    }


def hline_label(y: float, text: str, *, xaxis: str = "x", yaxis: str = "y") -> dict[str, Any]:
    """The label of `hline(y)` at its right end, as `add_hline(annotation_text=…)` puts it."""
    return {
        "xref": f"{xaxis} domain",
        "x": 1,
        "xanchor": "right",
        "yref": yaxis,
        "y": y,
        "yanchor": "bottom",
        "text": text,
        "showarrow": False,
    }


def _ranks(values: Sequence[str]) -> Callable[[object], tuple[int, str]]:
    """A sort key in the order of `values` (a vocabulary), unknown values last by name."""
    rank = {v: i for i, v in enumerate(values)}
    return lambda v: (rank.get(str(v), len(rank)), str(v))


def _span(low: float, high: float) -> list[float]:
    """An axis domain inside [0, 1] whatever the floating-point sums left over."""
    return [max(0.0, round(low, 9)), min(1.0, round(high, 9))]


def _grid(
    count: int,
    titles: Sequence[str],
    cols: int = COLUMNS,
    *,
    xaxis: Mapping[str, Any] | None = None,
    ytitles: Sequence[str] = (),
) -> dict[str, Any]:
    """The layout of `count` small multiples, `cols` to a row, each titled (as make_subplots
    lays them out): axes x, x2 … and y, y2 … with each y axis its own scale, titled
    `ytitles[n]`. Every x axis takes `xaxis`; its title shows under the lowest chart of each
    column only."""
    rows = max(1, -(-count // cols))
    h_gap, v_gap = 0.2 / cols, 0.12 / max(1, rows / 3)
    width, height = (1 - h_gap * (cols - 1)) / cols, (1 - v_gap * (rows - 1)) / rows
    layout: dict[str, Any] = {"annotations": []}
    for n in range(count):
        row, col, k = n // cols, n % cols, "" if n == 0 else str(n + 1)
        x0, y1 = col * (width + h_gap), 1 - row * (height + v_gap)
        x = {**(xaxis or {}), "domain": _span(x0, x0 + width), "anchor": f"y{k}"}
        if n + cols < count:  # another chart below: the title once, under the lowest
            x.pop("title", None)
        layout[f"xaxis{k}"] = x
        layout[f"yaxis{k}"] = {"domain": _span(y1 - height, y1), "anchor": f"x{k}"}
        if n < len(ytitles):
            layout[f"yaxis{k}"]["title"] = {"text": ytitles[n]}
        layout["annotations"].append(
            {
                "text": titles[n],
                "xref": "paper",
                "yref": "paper",
                "x": x0 + width / 2,
                "y": y1,
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 16},
            }
        )
    return layout


# --- one runner --------------------------------------------------------------------------------


def findings(found: pd.DataFrame) -> go.Figure:
    """Findings per assessment, stacked by severity (most severe first), from
    `review.findings_by_assessment` (assessed_on, severity). One bar per assessment day, named
    by its date (a category each: a lone assessment is a bar, not a line on a time axis)."""
    counts = {s: g["assessed_on"].value_counts().sort_index() for s, g in found.groupby("severity")}
    days = sorted(pd.to_datetime(found["assessed_on"]).dropna().unique())
    traces = [
        go.Bar(
            x=[day_label(d) for d in counts[s].index],
            y=counts[s].to_numpy(),
            name=SEVERITY_LABELS[s],
            marker_color=SEVERITY_COLOURS[s],
        )
        for s in SEVERITIES
        if s in counts
    ]
    return _figure(
        traces,
        "Findings per assessment",
        barmode="stack",
        legend={"traceorder": "normal"},  # most severe first, not in stacking order
        xaxis=_axis(
            "Assessment date",
            type="category",
            categoryorder="array",
            categoryarray=[day_label(d) for d in days],
        ),
        yaxis=_axis("Findings", rangemode="tozero"),
    )


def screen_values(
    values: pd.DataFrame,
    names: Mapping[str, str] | None = None,
    bands: Mapping[str, tuple[float | None, float | None]] | None = None,
    units: Mapping[str, str] | None = None,
) -> go.Figure:
    """One small chart per screen (assessed_on, value per side, in the order the screens come),
    each with the rule table's edge of normal dotted (`compensations.normal_bands`), its unit on
    the y axis, and a legend of the sides."""
    catalogue = screens.load_catalogue().screens if names is None or units is None else []
    names = names if names is not None else {s.id: s.name for s in catalogue}
    units = units if units is not None else {s.id: s.unit for s in catalogue}
    bands = bands if bands is not None else normal_bands()
    ids = list(dict.fromkeys(values["screen_id"])) if not values.empty else []
    layout = _grid(
        len(ids),
        [names.get(i, i) for i in ids],
        xaxis=date_axis("Assessment date", values["assessed_on"]),
        ytitles=[units.get(i, "") for i in ids],
    )
    traces, shapes, legend = [], [], set()
    for n, (sid, part) in enumerate(values.groupby("screen_id", sort=False)):
        k = "" if n == 0 else str(n + 1)
        for side, g in part.groupby("side", sort=True):
            traces.append(
                go.Scatter(
                    x=g["assessed_on"],
                    y=g["value"],
                    mode="lines+markers",
                    name=SIDE_NAMES.get(str(side), str(side)),
                    legendgroup=str(side),
                    showlegend=side not in legend,
                    line={"color": SIDE_COLOURS.get(str(side), SLATE)},
                    xaxis=f"x{k}",
                    yaxis=f"y{k}",
                )
            )
            legend.add(side)
        edges = [e for e in bands.get(str(sid), (None, None)) if e is not None]
        shapes += [hline(e, xaxis=f"x{k}", yaxis=f"y{k}") for e in edges]
    rows = max(1, -(-len(ids) // COLUMNS))
    title = "Screens against the normal edge (dotted)"
    return _figure(
        traces,
        title,
        height=280 * rows,
        shapes=shapes,
        legend=SIDE_LEGEND,
        **layout,
    )


def screens_note() -> str:
    return (
        "Dotted line: the rule table's edge of normal (values past it raise a finding). "
        + change.rule_text()
    )


def asymmetry(asym: pd.DataFrame, names: Mapping[str, str] | None = None) -> go.Figure:
    """The left–right difference of each two-sided screen over time (`review.asymmetry`)."""
    names = names if names is not None else {s.id: s.name for s in screens.load_catalogue().screens}
    traces = [
        go.Scatter(
            x=g["assessed_on"],
            y=g["difference"],
            mode="lines+markers",
            name=names.get(str(sid), str(sid)),
        )
        for sid, g in asym.groupby("screen_id", sort=False)
    ]
    return _figure(
        traces,
        "Left–right difference over time",
        xaxis=date_axis("Assessment date", asym["assessed_on"]),
        yaxis=_axis("Left–right difference"),
    )


def weekly_load(weekly: pd.DataFrame, limits: thresholds.Monotony | None = None) -> go.Figure:
    """Weekly load (bars) and monotony (line, right axis) with the monotony flag dotted
    (`load.weekly`: week_start, load, monotony)."""
    flag = (limits or thresholds.load().monotony).flag
    traces = [
        go.Bar(
            x=weekly["week_start"],
            y=weekly["load"],
            name="Weekly load (AU)",
            marker_color=GREEN,
            width=WEEK_BAR_MS,
        ),
        go.Scatter(
            x=weekly["week_start"],
            y=weekly["monotony"],
            name="Monotony",
            mode="lines+markers",
            line_color=ORANGE,
            yaxis="y2",
        ),
    ]
    return _figure(
        traces,
        "Weekly load (sRPE × minutes) and monotony",
        xaxis=date_axis("Week starting", weekly["week_start"]),
        yaxis=_axis("Load (AU)"),
        yaxis2=_axis("Monotony", overlaying="y", side="right", showgrid=False),
        shapes=[hline(flag, ORANGE, yaxis="y2")],  # the monotony axis over the load's x axis
        annotations=[hline_label(flag, f"monotony {flag:g}", yaxis="y2")],
    )


def acwr(ratio: pd.DataFrame, limits: thresholds.Acwr | None = None) -> go.Figure:
    """The rolling and the exponentially weighted acute:chronic ratio by day, the usual range
    shaded and the flag dotted (`load.acute_chronic`: day, ratio, ewma_ratio)."""
    a = limits or thresholds.load().acwr
    band = {
        "type": "rect",
        "xref": "x domain",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": a.usual_low,
        "y1": a.usual_high,
        "fillcolor": GREEN,
        "opacity": 0.08,
        "line": {"width": 0},
        "layer": "below",
    }
    named = {"ratio": "Rolling average ratio", "ewma_ratio": "Exponentially weighted ratio"}
    traces = [
        go.Scatter(x=ratio["day"], y=ratio[c], name=n, mode="lines", line_color=colour)
        for (c, n), colour in zip(named.items(), (GREEN, ORANGE), strict=True)
    ]
    return _figure(
        traces,
        "Acute:chronic ratio",
        xaxis=date_axis("Day", ratio["day"]),
        yaxis=_axis("Acute:chronic ratio"),
        shapes=[band, hline(a.flag, RED)],
        annotations=[hline_label(a.flag, f"{a.flag:g}")],
    )


def acwr_note(limits: thresholds.Thresholds | None = None) -> str:
    return (limits or thresholds.load()).acwr.note_text()


def monotony_note(limits: thresholds.Thresholds | None = None) -> str:
    return f"Monotony: {(limits or thresholds.load()).monotony.source}."


def pain(reports: pd.DataFrame, limits: thresholds.PainModel | None = None) -> go.Figure:
    """Pain reports over time (day, score 0–10), coloured by region and marked by when, with
    the pain-monitoring model's limit dotted."""
    limit = (limits or thresholds.load().pain).during_max
    regions, whens = _ranks(REGIONS), _ranks(PAIN_WHEN)
    groups = sorted(
        reports.groupby(["region", "when"], sort=False),
        key=lambda kg: (regions(kg[0][0]), whens(kg[0][1])),
    )
    shown = list(dict.fromkeys(str(region) for (region, _), _ in groups))
    colour = {r: PALETTE[i % len(PALETTE)] for i, r in enumerate(shown)}
    traces = [
        go.Scatter(
            x=g["day"],
            y=g["score"],
            mode="markers",
            name=f"{label(REGION_LABELS, region)} · {label(PAIN_WHEN_LABELS, when)}",
            legendgroup=str(region),
            marker={
                "size": 12,
                "color": colour[str(region)],
                "symbol": WHEN_SYMBOLS.get(str(when), "circle"),
            },
        )
        for (region, when), g in groups
    ]
    return _figure(
        traces,
        "Pain over time (0–10)",
        xaxis=date_axis("Day", reports["day"]),
        yaxis=_axis("Pain (0–10)", range=[-0.5, 10.5]),
        shapes=[hline(limit, RED)],
        annotations=[hline_label(limit, f"{limit:g}/10: the pain-monitoring model's limit")],
    )


def pain_note(limits: thresholds.PainModel | None = None) -> str:
    m = limits or thresholds.load().pain
    return (
        f"Pain during work up to {m.during_max:g}/10 is acceptable if it settles by the next "
        "morning and does not rise week to week; next-morning pain more than "
        f"{m.morning_tolerance:g} above the runner's usual regresses ({m.source}). {m.convention}"
    )


def ostrc_trend(trend: pd.DataFrame) -> go.Figure:
    """The weekly OSTRC-O2 severity (0–100) by region (`availability.trend`), a substantial
    problem's week marked larger."""
    regions = _ranks(REGIONS)
    shown = sorted(trend["region"].unique(), key=regions)
    traces = [
        go.Scatter(
            x=g["week_start"],
            y=g["severity"],
            mode="lines+markers",
            name=label(REGION_LABELS, region),
            line={"color": PALETTE[i % len(PALETTE)]},
            marker={"size": [16 if s else 9 for s in g["substantial"]]},
            customdata=[["substantial problem" if s else ""] for s in g["substantial"]],
            hovertemplate="%{x|%d %b %Y}: %{y}/100 %{customdata[0]}<extra></extra>",
        )
        for i, (region, g) in enumerate(
            (r, trend[trend["region"] == r].sort_values("week_start")) for r in shown
        )
    ]
    return _figure(
        traces,
        "Weekly health check (OSTRC-O2 severity, 0–100)",
        xaxis=date_axis("Week of", trend["week_start"]),
        yaxis=_axis("Severity (0–100)", range=[-2, 102]),
    )


def adherence_weeks(weekly: pd.DataFrame) -> go.Figure:
    """Sessions planned (behind) and done (in front) by week (`adherence.weekly`)."""
    traces = [
        go.Bar(
            x=weekly["week_start"],
            y=weekly[column],
            name=name,
            marker_color=colour,
            width=WEEK_BAR_MS,
        )
        for column, name, colour in (("planned", "Planned", GREY), ("done", "Done", GREEN))
    ]
    return _figure(
        traces,
        "Sessions done against planned, by week",
        barmode="overlay",
        xaxis=date_axis("Week starting", weekly["week_start"]),
        yaxis=_axis("Sessions"),
    )


def adherence_kinds(by_kind: pd.DataFrame, limits: thresholds.Adherence | None = None) -> go.Figure:
    """Adherence (0–1) by kind of session, with the flag's mark dotted (`adherence.by_kind`)."""
    low = (limits or thresholds.load().adherence).low
    traces = [
        go.Bar(
            x=[label(KIND_LABELS, k) for k in by_kind["kind"]],
            y=by_kind["adherence"],
            name="Adherence",
            marker_color=GREEN,
            hovertemplate="%{x}: %{y:.0%}<extra></extra>",
        )
    ]
    return _figure(
        traces,
        "Adherence by kind of session",
        xaxis=_axis("Kind of session"),
        yaxis=_axis("Adherence", range=[0, 1], tickformat=".0%"),
        shapes=[hline(low, GREY)],
        annotations=[hline_label(low, team.percent(low))],
    )


def adherence_note(limits: thresholds.Adherence | None = None) -> str:
    return f"Dotted line: {(limits or thresholds.load().adherence).source}."


def form(weeks: pd.DataFrame) -> go.Figure:
    """Each running-form metric by week (`review.form`), one small chart each, its own scale."""
    metrics = [m for m in FORM_METRICS if m in weeks] if not weeks.empty else []
    layout = _grid(
        len(metrics),
        [FORM_METRICS[m] for m in metrics],
        xaxis=date_axis("Week starting", *([weeks["week_start"]] if metrics else [])),
        ytitles=[FORM_METRICS[m].rsplit("(", 1)[-1].rstrip(")") for m in metrics],
    )
    traces = [
        go.Scatter(
            x=weeks["week_start"],
            y=weeks[m],
            mode="lines+markers",
            name=FORM_METRICS[m],
            showlegend=False,
            line_color=GREEN,
            xaxis=f"x{'' if n == 0 else n + 1}",
            yaxis=f"y{'' if n == 0 else n + 1}",
        )
        for n, m in enumerate(metrics)
    ]
    return _figure(traces, "Running form by week", height=560, **layout)


def form_note(target: cadence.Target | None = None) -> str:
    """The weekly form chart's targets in words; the cadence one is the runner's own when known."""
    bounce = rule_threshold("high_vertical_oscillation", "vertical_oscillation_cm", "above")
    if target is not None and target.basis != "convention":
        aim = f"cadence {target.range_text()} ({target.words()})"
    else:
        aim = f"cadence {cadence.fallback_spm():g} spm or more at easy pace (a convention)"
    return (
        f"Targets: {aim}, vertical oscillation {bounce:g} cm or less (rule table); typical "
        "easy-pace ground contact 160–300 ms (protocols §4). Fade: last quarter of a long run "
        "against the first, in %. Weekly cadence mixes paces: the chart of cadence against speed "
        "compares like with like."
    )


def cadence_speed(runs: pd.DataFrame, base: cadence.Baseline) -> go.Figure:
    """Each run's cadence against its average speed (`cadence.per_run`), the runner's own
    easy-pace step rate by speed (`base`, the median of each speed bin) and the target band
    5–10 % above it; without a baseline, the rule table's mark dotted across."""
    cfg = cadence.settings()
    colour: dict[bool | None, str] = {True: GREEN, False: ORANGE, None: GREY}
    traces = [
        go.Scatter(
            x=group["speed_kmh"],
            y=group["cadence_spm"],
            mode="markers",
            name=name,
            marker={"color": colour[held], "size": 9},
            customdata=[day_label(d) for d in group["day"]],
            hovertemplate="%{customdata}: %{y:.0f} spm at %{x:.1f} km/h<extra></extra>",
        )
        for held, name in (
            (True, "run at its target"),
            (False, "run below its target"),
            (None, "run"),
        )
        if not (group := _held(runs, held)).empty
    ]
    layout: dict[str, Any] = {}
    if base.known:
        x = [b.centre for b in base.bins]
        own = [b.step_rate for b in base.bins]
        traces += [
            go.Scatter(
                x=x,
                y=[r * cfg.high for r in own],
                mode="lines",
                line={"color": GREEN, "dash": "dash", "width": 1},
                name=f"target +{cfg.high - 1:.0%}",
            ),
            go.Scatter(
                x=x,
                y=[r * cfg.low for r in own],
                mode="lines",
                line={"color": GREEN, "dash": "dash", "width": 1},
                fill="tonexty",
                fillcolor="rgba(11, 110, 79, 0.12)",
                name=f"target +{cfg.low - 1:.0%}",
            ),
            go.Scatter(
                x=x,
                y=own,
                mode="lines+markers",
                line={"color": SLATE},
                name="own easy-pace step rate",
                hovertemplate="own rate %{y:.0f} spm at %{x:.2f} km/h<extra></extra>",
            ),
        ]
    else:
        mark = cadence.fallback_spm()
        layout = {"shapes": [hline(mark)], "annotations": [hline_label(mark, f"{mark:g} spm")]}
    return _figure(
        traces,
        "Cadence against speed",
        xaxis=_axis("Average speed (km/h)"),
        yaxis=_axis("Cadence (steps/min)"),
        **layout,
    )


def _held(runs: pd.DataFrame, held: bool | None) -> pd.DataFrame:
    if runs.empty or "held" not in runs:
        return runs if held is None else runs.iloc[0:0]
    if held is None:
        return runs[runs["held"].isna()]
    return runs[runs["held"].fillna(not held) == held]


def cadence_speed_note(base: cadence.Baseline) -> str:
    cfg = cadence.settings()
    if not base.known:
        return (
            f"No easy runs at a known speed with a cadence yet ({cfg.min_runs} per speed bin "
            f"needed): the dotted line is the rule table's {cadence.fallback_spm():g} spm, a "
            "convention."
        )
    return (
        f"The runner's own step rate: the median of the easy runs in each {cfg.bin_kmh:g} km/h "
        f"speed bin ({cfg.min_runs} runs or more), from {base.first_day:%d %b %Y} to "
        f"{base.last_day:%d %b %Y}, before any retraining. The band is "
        f"{cfg.low - 1:.0%}–{cfg.high - 1:.0%} above it ({cfg.source}). {cfg.convention}"
    )


def wellness_trend(well: pd.DataFrame, limits: thresholds.WellnessBand | None = None) -> go.Figure:
    """Wellness totals against the runner's own baseline and the flag's edge below it
    (`wellness.baseline`: day, total, baseline, sd; the edge is `wellness.band`)."""
    w = limits or thresholds.load().wellness
    band = well.dropna(subset=["baseline", "sd"])
    edge = wellness.band(band) if not band.empty else band["baseline"]
    traces = [
        go.Scatter(
            x=band["day"],
            y=edge,
            name=f"baseline − {w.sd_below:g} SD",
            mode="lines",
            line={"dash": "dot", "color": RED},
        ),
        go.Scatter(
            x=band["day"],
            y=band["baseline"],
            name=f"own {w.baseline_days}-day baseline",
            mode="lines",
            line={"color": GREY},
        ),
        go.Scatter(
            x=well["day"],
            y=well["total"],
            name="wellness (5–25)",
            mode="lines+markers",
            line={"color": GREEN},
        ),
    ]
    return _figure(
        traces,
        "Wellness against the runner's own baseline",
        xaxis=date_axis("Day", well["day"]),
        yaxis=_axis("Wellness (5–25)"),
    )


def wellness_note(limits: thresholds.WellnessBand | None = None) -> str:
    return (limits or thresholds.load().wellness).source + "."


# --- the team ----------------------------------------------------------------------------------


def prevalence(prev: pd.DataFrame) -> go.Figure:
    """How many runners have each finding (`finding`: its title) at their latest assessment,
    stacked by severity, the most common at the top."""
    traces = [
        go.Bar(
            x=g["runners"],
            y=g["finding"],
            orientation="h",
            name=SEVERITY_LABELS[s],
            marker_color=SEVERITY_COLOURS[s],
        )
        for s in SEVERITIES
        if not (g := prev[prev["severity"] == s]).empty
    ]
    return _figure(
        traces,
        "Findings at the latest assessment",
        barmode="stack",
        legend={"traceorder": "normal"},  # most severe first, not in stacking order
        height=520,
        xaxis=_axis("Runners"),
        yaxis=_axis("", categoryorder="total ascending"),
    )


def team_adherence(
    runners: pd.DataFrame, weeks: int, limits: thresholds.Adherence | None = None
) -> go.Figure:
    """Each runner's adherence (name, adherence 0–1) over the last `weeks` weeks, lowest at the
    bottom, with the flag's mark dotted."""
    low = (limits or thresholds.load().adherence).low
    ordered = runners.sort_values("adherence", kind="stable")
    line = {
        "type": "line",
        "xref": "x",
        "x0": low,
        "x1": low,
        "yref": "y domain",
        "y0": 0,
        "y1": 1,
        "line": {"color": GREY, "dash": "dot", "width": 2},
    }
    note = {
        "xref": "x",
        "x": low,
        "xanchor": "left",
        "yref": "y domain",
        "y": 1,
        "yanchor": "bottom",  # above the plot, clear of the top bar
        "text": team.percent(low),
        "showarrow": False,
    }
    traces = [
        go.Bar(
            x=ordered["adherence"],
            y=ordered["name"],
            orientation="h",
            name="Adherence",
            marker_color=GREEN,
            hovertemplate="%{y}: %{x:.0%}<extra></extra>",
        )
    ]
    return _figure(
        traces,
        f"Adherence over the last {weeks} weeks",
        height=520,
        xaxis=_axis("Adherence", range=[0, 1], tickformat=".0%"),
        yaxis=_axis(""),
        shapes=[line],
        annotations=[note],
    )


#: Fitness, fatigue and form: each line's column, name and colour.
FITNESS_LINES = (
    ("ctl", "Fitness (CTL)", "#2874A6"),
    ("atl", "Fatigue (ATL)", "#C0392B"),
    ("tsb", "Form (TSB)", ORANGE),
)


def fitness(curve: pd.DataFrame) -> go.Figure:
    """Fitness, fatigue and form by day (`fitness.with_projection`: day, ctl, atl, tsb,
    projected): solid up to today, dashed where projected from the planned sessions (each dashed
    line starts at the last day done, so it carries on from it), form's zero dotted."""
    done = curve[~curve["projected"].astype(bool)]
    ahead = curve[curve["projected"].astype(bool)]
    if not ahead.empty and not done.empty:
        ahead = pd.concat([done.tail(1), ahead])
    traces = []
    for column, name, colour in FITNESS_LINES:
        for part, dash, suffix in ((done, "solid", ""), (ahead, "dash", ", planned")):
            if part.empty:
                continue
            traces.append(
                go.Scatter(
                    x=part["day"],
                    y=part[column],
                    name=name + suffix,
                    legendgroup=column,
                    mode="lines",
                    line={"color": colour, "dash": dash, "width": 2},
                )
            )
    return _figure(
        traces,
        "Fitness, fatigue and form (session load, AU per day)",
        xaxis=date_axis("Day", curve["day"]),
        yaxis=_axis("Load (AU per day)"),
        shapes=[hline(0)],
        hovermode="x unified",
    )
