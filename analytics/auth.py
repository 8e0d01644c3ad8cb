"""Analyst credentials: salted PBKDF2-SHA256 hashes, never plain text.

A credential line is `pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`; make one with
`python -m analytics hash-password`. Analysts are configured as `name = "<line>"` under
`[analysts]` in `.streamlit/secrets.toml`, or as `GOVINDEX_ANALYSTS="name=<line>;name2=<line>"`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 310_000
ENV_VAR = "GOVINDEX_ANALYSTS"


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        algorithm, iterations, salt, expected = encoded.split("$")
        if algorithm != ALGORITHM:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), expected)


def analysts_from_env(environ=os.environ) -> dict[str, str]:
    text = environ.get(ENV_VAR, "")
    pairs = [item.split("=", 1) for item in text.split(";") if "=" in item]
    return {name.strip(): line.strip() for name, line in pairs if name.strip() and line.strip()}


def check_login(analysts: dict[str, str], name: str, password: str) -> bool:
    line = analysts.get(name.strip())
    return bool(line) and verify_password(password, line)
