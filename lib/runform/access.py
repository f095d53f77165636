"""Who may see what: the coach's password (argon2 hashes) and runners' personal link tokens.

Only hashes are ever stored: the password hash lives in .streamlit/secrets.toml or the
RUNFORM_COACH_PASSWORD_HASH environment variable, a link's token only as its SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("the password must not be empty")
    return _hasher.hash(password)


def check_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """256 random bits, URL-safe: a link cannot be guessed."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are long random strings, so a plain SHA-256 is enough to keep them secret at rest."""
    return hashlib.sha256(token.encode()).hexdigest()


def coach_allowed(email: str | None, allowed: list[str] | tuple[str, ...]) -> bool:
    """Whether an identity provider's account is one of the coach accounts configured here.

    Signing in at a provider only proves who someone is, not that they coach this team.
    """
    if not email:
        return False
    wanted = {a.strip().casefold() for a in allowed if a and a.strip()}
    return email.strip().casefold() in wanted


# Sign-in brake (a security convention, not a clinical number): a few free tries, then each
# further failure doubles the wait, up to five minutes.
FREE_TRIES = 3
FIRST_WAIT_S = 2.0
LONGEST_WAIT_S = 300.0


class Throttle:
    """Failed sign-ins per key (a session, a client address) and how long each must wait."""

    def __init__(self) -> None:
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: str, now: float) -> float:
        """Seconds `key` must still wait before its next try (0 when it may try now)."""
        with self._lock:
            count, last = self._failures.get(key, (0, 0.0))
        if count < FREE_TRIES:
            return 0.0
        delay = min(FIRST_WAIT_S * 2 ** (count - FREE_TRIES), LONGEST_WAIT_S)
        return max(0.0, last + delay - now)

    def failed(self, key: str, now: float) -> None:
        with self._lock:
            count, _ = self._failures.get(key, (0, 0.0))
            self._failures[key] = (count + 1, now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
