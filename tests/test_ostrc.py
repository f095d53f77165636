"""The weekly health check's scoring (OSTRC-O2; Clarsen et al. 2013 scoring, kept by the 2020
update): each answer scores 0–25, the four add up to a severity of 0–100, and a substantial
problem is an answer of at least "to a moderate extent" to question 2 or 3.

The worked examples are added up by hand from the published per-answer scores (question 1 and 4:
0, 8, 17, 25; questions 2 and 3: 0, 6, 13, 19, 25)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from runform import ostrc
from runform.paths import data_dir

PUBLISHED_SCORES = {
    "q1": [0, 8, 17, 25],
    "q2": [0, 6, 13, 19, 25],
    "q3": [0, 6, 13, 19, 25],
    "q4": [0, 8, 17, 25],
}


def test_each_answer_scores_as_published():
    q = ostrc.load()
    assert {x.id: [o.score for o in x.options] for x in q.questions} == PUBLISHED_SCORES


@pytest.mark.parametrize(
    ("answers", "severity", "problem", "substantial"),
    [
        # full participation, no modification, no effect, no pain: no problem at all
        ({"q1": 0, "q2": 0, "q3": 0, "q4": 0}, 0, False, False),
        # full participation with problems 8 + minor modification 6 + no effect 0 + mild pain 8
        ({"q1": 1, "q2": 1, "q3": 0, "q4": 1}, 22, True, False),
        # only a minor modification: 6, the smallest severity a problem can have
        ({"q1": 0, "q2": 1, "q3": 0, "q4": 0}, 6, True, False),
        # reduced participation 17 alone is not substantial: the definition reads questions 2, 3
        ({"q1": 2, "q2": 1, "q3": 1, "q4": 2}, 17 + 6 + 6 + 17, True, False),
        # moderate modification 13: substantial
        ({"q1": 2, "q2": 2, "q3": 1, "q4": 2}, 17 + 13 + 6 + 17, True, True),
        # moderate effect on performance 13: substantial
        ({"q1": 1, "q2": 1, "q3": 2, "q4": 1}, 8 + 6 + 13 + 8, True, True),
        # major modification 19, major effect 19, moderate pain 17
        ({"q1": 2, "q2": 3, "q3": 3, "q4": 2}, 17 + 19 + 19 + 17, True, True),
        # could not participate: questions 2 and 3 are "could not participate at all" (25 each)
        ({"q1": 3, "q4": 3}, 100, True, True),
        ({"q1": 3, "q2": 0, "q3": 0, "q4": 0}, 75, True, True),
    ],
)
def test_worked_examples(answers, severity, problem, substantial):
    scored = ostrc.score(answers)
    assert (scored.severity, scored.problem, scored.substantial) == (
        severity,
        problem,
        substantial,
    )
    assert set(scored.answers) == set(ostrc.QUESTION_IDS)


@pytest.mark.parametrize("question", ["q2", "q3"])
def test_substantial_starts_at_a_moderate_reduction(question):
    below = {"q1": 1, "q2": 0, "q3": 0, "q4": 1} | {question: 1}  # to a minor extent
    at = below | {question: 2}  # to a moderate extent
    assert not ostrc.score(below).substantial
    assert ostrc.score(at).substantial


@pytest.mark.parametrize(
    ("answers", "problems"),
    [
        ({"q1": 0, "q2": 0, "q3": 0, "q4": 4}, {"q4": "must be one of the 4 answers (0–3), got 4"}),
        (
            {"q1": -1, "q2": 0, "q3": 0, "q4": 0},
            {"q1": "must be one of the 4 answers (0–3), got -1"},
        ),
        ({"q1": 0, "q2": 5, "q3": 0, "q4": 0}, {"q2": "must be one of the 5 answers (0–4), got 5"}),
        ({"q1": 0, "q3": 0, "q4": 0}, {"q2": "choose an answer"}),
        ({"q1": True, "q2": 0, "q3": 0, "q4": 0}, {"q1": "must be an answer number 0–3, got True"}),
        ({"q1": "2", "q2": 0, "q3": 0, "q4": 0}, {"q1": "must be an answer number 0–3, got '2'"}),
        ({"q1": 0, "q2": 0, "q3": 0, "q4": 0, "q5": 1}, {"q5": "is not a question of OSTRC-O2"}),
        ({"q1": 3, "q4": 0}, {}),  # the logic answers questions 2 and 3
    ],
)
def test_answers_outside_the_scale_are_named(answers, problems):
    assert ostrc.answer_problems(answers) == problems


def test_the_table_names_its_source_and_says_the_wording_is_unchecked():
    q = ostrc.load().questionnaire
    assert "Clarsen" in q.source and "2020" in q.source and "bjsports-2019-101337" in q.source
    assert "not checked against the published questionnaire" in q.wording_status
    question = ostrc.load().by_id()["q1"]
    assert ostrc.worded(question.text, "lower_back").count("lower back problems") == 1


def _toml(value) -> str:
    """A value as inline TOML (JSON strings and numbers are valid TOML)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)


def _edited(tmp_path: Path, change) -> Path:
    """data/ostrc.toml with `change` made to it, written to a temporary file."""
    with open(data_dir() / "ostrc.toml", "rb") as f:
        table = tomllib.load(f)
    change(table)
    lines = []
    for section in ("questionnaire", "substantial", "logic"):
        lines += [f"[{section}]", *(f"{k} = {_toml(v)}" for k, v in table[section].items())]
    for q in table["questions"]:
        lines += ["[[questions]]", *(f"{k} = {_toml(v)}" for k, v in q.items())]
    path = tmp_path / "ostrc.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda t: t["questions"][1]["options"][2].update(score=5), "scores must rise"),
        (lambda t: t["questions"][3]["options"].pop(), "scores must rise"),
        (lambda t: t["substantial"]["any_of"][0].update(at_least=12), "no answer scoring 12"),
        (lambda t: t["logic"]["sets"].update(q2=9), "q2 has no option 9"),
        (lambda t: t["questions"].pop(), "questions must be q1, q2, q3, q4"),
    ],
)
def test_a_table_that_breaks_the_scoring_is_refused_at_load(tmp_path, change, says):
    path = _edited(tmp_path, change)
    with pytest.raises(ValidationError, match=says):
        ostrc.load.__wrapped__(path)


def test_the_unchanged_table_round_trips_through_the_test_writer(tmp_path):
    assert ostrc.load.__wrapped__(_edited(tmp_path, lambda t: None)) == ostrc.load()
