"""`run`: the one way a page runs a service. Errors are drawn next to their fields, and every
cached read is forgotten once after a write, so no chart shows stale data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pages.core.cache import data_changed
from runform.errors import Conflict, Forbidden, InvalidInput, NotFound, StorageUnavailable

R = TypeVar("R")
FORM = ""  # the slot of what belongs to no single field: the form's own
NOTHING_SAVED = "Nothing was saved: fix the fields marked in red."


def words(path: str) -> str:
    """A field path as words: "athlete.goal.date" → "goal date"."""
    parts = [p for p in path.split(".") if p and not p.isdigit() and p not in ("athlete",)]
    return " ".join(parts).replace("_", " ")


class Slots(dict[str, DeltaGenerator]):
    """Placeholders drawn under each field, filled with its error after a submit."""

    def add(self, path: str) -> None:
        self[path] = st.empty()

    def show(self, errors: Mapping[str, str], summary: str = "") -> None:
        """Each error under its field (or the nearest enclosing one); the rest with the form."""
        loose: list[str] = []
        for path, message in errors.items():
            key = path
            while key and key not in self:
                key = key.rpartition(".")[0]
            if key:
                inner = path[len(key) + 1 :]
                self[key].error(f"{words(inner)}: {message}" if inner else message)
            else:
                loose.append(f"{words(path)}: {message}" if words(path) else message)
        if loose or summary:
            where = self.get(FORM) or st
            where.error("\n\n".join([*loose, *([summary] if summary else [])]))


def run(
    action: Callable[[], R], slots: Slots | None = None, *, summary: str = NOTHING_SAVED
) -> R | None:
    """`action()` (a service call); None when it failed, after saying why where it belongs."""
    slots = slots if slots is not None else Slots()
    try:
        result = action()
    except InvalidInput as e:
        slots.show(e.fields, summary)
        return None
    except (NotFound, Conflict) as e:  # changed elsewhere meanwhile: show what is there now
        data_changed()
        slots.show({FORM: str(e)})
        return None
    except Forbidden as e:
        slots.show({FORM: str(e)})
        return None
    except StorageUnavailable as e:
        st.error(str(e), icon=":material/database:")
        return None
    data_changed()
    return result
