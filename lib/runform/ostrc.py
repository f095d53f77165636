"""The weekly health check: the OSTRC-O2 overuse injury questionnaire (data/ostrc.toml, validated
at load) and its scoring, one function each, so the runner's form, the Progress trend and the
Team board read the same severity.

Each answer scores 0–25 and the four add up to a severity of 0–100 (Clarsen et al. 2013, kept
by the 2020 update); a problem is any answer above the lowest; a substantial problem is one the
table's `substantial` rule names (a moderate or larger reduction in training volume or
performance, or not participating at all).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from runform.datafile import Section, Source, Strict, read
from runform.vocab import REGION_LABELS, label

QUESTION_IDS: tuple[str, ...] = ("q1", "q2", "q3", "q4")
MAX_SCORE = 25  # each question's worst answer
MAX_SEVERITY = 100

Text = Annotated[str, Field(min_length=3, max_length=400)]


class Option(Strict):
    label: Text
    score: Annotated[int, Field(ge=0, le=MAX_SCORE)]


class Question(Strict):
    id: str
    topic: Text
    text: Text
    options: Annotated[list[Option], Field(min_length=2, max_length=6)]

    @model_validator(mode="after")
    def _scale(self) -> Question:
        scores = [o.score for o in self.options]
        if scores[0] != 0 or scores[-1] != MAX_SCORE or scores != sorted(set(scores)):
            raise ValueError(f"{self.id}: scores must rise from 0 to {MAX_SCORE}, got {scores}")
        return self

    def highest(self) -> int:
        return len(self.options) - 1


class Threshold(Strict):
    question: str
    at_least: Annotated[int, Field(ge=1, le=MAX_SCORE)]


class Substantial(Section):
    any_of: Annotated[list[Threshold], Field(min_length=1)]


class Logic(Section):
    """An answer that settles others: `question` answered with `option` sets the `sets`."""

    question: str
    option: Annotated[int, Field(ge=0)]
    sets: dict[str, Annotated[int, Field(ge=0)]]


class About(Strict):
    name: Text
    title: Text
    source: Source
    scoring_source: Source
    wording_status: Source
    period: Text
    intro: Text


class Questionnaire(Strict):
    questionnaire: About
    questions: list[Question]
    substantial: Substantial
    logic: Logic

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        ids = tuple(q.id for q in self.questions)
        if ids != QUESTION_IDS:
            raise ValueError(f"questions must be {', '.join(QUESTION_IDS)} in order, got {ids}")
        by_id = self.by_id()
        if sum(q.options[-1].score for q in self.questions) != MAX_SEVERITY:
            raise ValueError(f"the worst answers must add up to {MAX_SEVERITY}")
        for t in self.substantial.any_of:
            if t.question not in by_id or t.at_least not in [
                o.score for o in by_id[t.question].options
            ]:
                raise ValueError(f"substantial: {t.question} has no answer scoring {t.at_least}")
        rule = self.logic
        if rule.question not in by_id or rule.option > by_id[rule.question].highest():
            raise ValueError(f"logic: {rule.question} has no option {rule.option}")
        for qid, option in rule.sets.items():
            if qid not in by_id or option > by_id[qid].highest():
                raise ValueError(f"logic: {qid} has no option {option}")
        return self

    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}


@cache
def load(path: Path | None = None) -> Questionnaire:
    return read(Questionnaire, "ostrc.toml", path)


def area(region: str) -> str:
    """A region as the questions name it: "knee", "lower back"."""
    return label(REGION_LABELS, region).lower()


def worded(text: str, region: str) -> str:
    return text.replace("{area}", area(region))


def answer_problems(
    answers: Mapping[str, object], q: Questionnaire | None = None
) -> dict[str, str]:
    """What is wrong with `answers` (question id → the chosen option's index), by question: a
    missing answer, or one outside the question's options. Questions the logic settles may be
    left out."""
    q = q or load()
    settled = set(q.logic.sets) if answers.get(q.logic.question) == q.logic.option else set()
    problems: dict[str, str] = {}
    for question in q.questions:
        value = answers.get(question.id)
        if value is None:
            if question.id not in settled:
                problems[question.id] = "choose an answer"
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems[question.id] = (
                f"must be an answer number 0–{question.highest()}, got {value!r}"
            )
        elif not 0 <= value <= question.highest():
            problems[question.id] = (
                f"must be one of the {len(question.options)} answers (0–{question.highest()}), "
                f"got {value}"
            )
    for key in answers:
        if key not in QUESTION_IDS:
            problems[key] = f"is not a question of {q.questionnaire.name}"
    return problems


class Score(BaseModel):
    """One week's answers for one region, scored."""

    model_config = ConfigDict(frozen=True)
    answers: dict[str, int]  # after the questionnaire's logic
    scores: dict[str, int]
    severity: int  # 0–100
    problem: bool  # any answer above the lowest
    substantial: bool


def score(answers: Mapping[str, int], q: Questionnaire | None = None) -> Score:
    """The severity (the four answers' scores added, 0–100), whether there is a problem and
    whether it is substantial. `answers` must pass `answer_problems`."""
    q = q or load()
    full = dict(answers)
    if full.get(q.logic.question) == q.logic.option:
        full |= q.logic.sets
    by_id = q.by_id()
    scores = {qid: by_id[qid].options[full[qid]].score for qid in QUESTION_IDS}
    return Score(
        answers={qid: full[qid] for qid in QUESTION_IDS},
        scores=scores,
        severity=sum(scores.values()),
        problem=any(scores.values()),
        substantial=any(scores[t.question] >= t.at_least for t in q.substantial.any_of),
    )
