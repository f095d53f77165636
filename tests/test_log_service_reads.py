"""The training log service's pieces the Log page leans on: a session found or gone, what a
deletion returns, a comment's length rule, and exercise names."""

from __future__ import annotations

import pytest

from runform.errors import InvalidInput, NotFound
from runform.services import training_log
from runform.store.connection import scoped
from tests.test_logs_store import athlete, counts, strength_log


def test_find_is_the_session_or_none_once_it_is_deleted(con):
    aid = athlete(con)
    log_id = training_log.log_session(con, strength_log(aid)).log_id
    found = training_log.find(con, log_id)
    assert found is not None and found.athlete_id == aid
    gone = training_log.delete_log(con, log_id)
    assert gone.model_dump() == found.model_dump(), "a deletion returns what it deleted"
    assert training_log.find(con, log_id) is None
    with pytest.raises(NotFound, match="deleted on another device"):
        training_log.delete_log(con, log_id)


def test_find_sees_nothing_of_another_runner_through_a_runner_link(con):
    ana, ben = athlete(con), athlete(con, "Ben")
    theirs = training_log.log_session(con, strength_log(ben)).log_id
    assert training_log.find(scoped(con, ana), theirs) is None
    assert training_log.find(scoped(con, ben), theirs) is not None


@pytest.mark.parametrize("body", ["", "x" * 2001])
def test_a_comment_of_the_wrong_length_says_the_rule_and_writes_nothing(con, body):
    log_id = training_log.log_session(con, strength_log(athlete(con))).log_id
    before = counts(con)
    with pytest.raises(InvalidInput) as e:
        training_log.add_comment(con, log_id, body)
    assert e.value.fields == {"body": training_log.COMMENT_RULE}
    assert counts(con) == before


def test_exercise_names_come_from_the_library():
    assert training_log.exercise_name("glute_bridge") == "Glute bridge"
    assert training_log.exercise_name("retired_drill") == "retired drill"
