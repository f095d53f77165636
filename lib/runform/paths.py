"""Where reference data and the default database live.

The package is installed from `lib/` in editable mode, so the project's `data/` folder sits two
levels above the package; `RUNFORM_DATA` points elsewhere for a relocated install.
"""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("RUNFORM_DATA", REPO_ROOT / "data"))


def default_db_path() -> Path:
    return Path(os.environ.get("RUNFORM_DB", data_dir() / "runform.duckdb"))
