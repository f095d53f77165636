"""Who may see what: the coach's password (argon2 hashes) and runners' personal link tokens.

Only hashes are ever stored: the password hash lives in .streamlit/secrets.toml or the
RUNFORM_COACH_PASSWORD_HASH environment variable, a link's token only as its SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets

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
