"""Sign-in protection and sessions that survive a reload (no Streamlit here).

Throttle: after `free_failures` wrong attempts for a user name (known or not) or for a browser
session, each further attempt must wait a delay that doubles (1 s, 2 s, 4 s … up to `max_delay`);
after `lockout_after` failures the name or session is locked for `lockout_seconds`. The state is
kept in the server process, keyed by user name and by session, so a reload does not reset it
(one server process; a restart does). A success clears the name and the session.

Session token: `<payload>.<signature>`, the payload a base64url JSON {user, expiry, id,
credential fingerprint}, the signature HMAC-SHA256 with the install's secret. It is refused when
the signature is wrong, it has expired, it was signed out (revoked id) or the analyst's password
hash has changed since. The secret comes from $GOVINDEX_SESSION_SECRET, else from a file made
once per install with 0600 permissions (.streamlit/session.key, ignored by git).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from analytics.paths import REPO_ROOT

SECRET_ENV_VAR = "GOVINDEX_SESSION_SECRET"
SECRET_FILE_ENV_VAR = "GOVINDEX_SESSION_KEY_FILE"
DEFAULT_SECRET_FILE = REPO_ROOT / ".streamlit" / "session.key"
SESSION_SECONDS = 8 * 3600


@dataclass(frozen=True)
class Policy:
    free_failures: int = 3
    base_delay: float = 1.0
    max_delay: float = 60.0
    lockout_after: int = 10
    lockout_seconds: float = 900.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Policy":
        """The default policy; GOVINDEX_SIGNIN_LOCKOUT_AFTER / _SECONDS may change the lockout."""
        after = environ.get("GOVINDEX_SIGNIN_LOCKOUT_AFTER", "")
        seconds = environ.get("GOVINDEX_SIGNIN_LOCKOUT_SECONDS", "")
        return cls(lockout_after=int(after) if after.isdigit() and int(after) > 0 else cls.lockout_after,
                   lockout_seconds=float(seconds) if seconds.isdigit() else cls.lockout_seconds)

    def wait_after(self, failures: int) -> tuple[float, bool]:
        """(seconds to wait, locked) after `failures` failures in a row."""
        if failures >= self.lockout_after:
            return self.lockout_seconds, True
        if failures < self.free_failures:
            return 0.0, False
        return min(self.base_delay * 2 ** (failures - self.free_failures), self.max_delay), False


@dataclass(frozen=True)
class Wait:
    seconds: float = 0.0
    locked: bool = False

    @property
    def allowed(self) -> bool:
        return self.seconds <= 0


class Throttle:
    """Failures per key (("user", name) or ("session", id)), thread-safe, in this process."""

    MAX_KEYS = 10_000

    def __init__(self, policy: Policy | None = None, clock: Callable[[], float] = time.monotonic):
        self.policy = policy or Policy()
        self.clock = clock
        self._state: dict[tuple, tuple[int, float]] = {}  # key -> (failures, not before)
        self._lock = threading.Lock()

    def wait(self, keys: Iterable[tuple]) -> Wait:
        """How long the next attempt for these keys must wait (the longest of them)."""
        now, longest = self.clock(), Wait()
        with self._lock:
            for key in keys:
                failures, not_before = self._state.get(key, (0, 0.0))
                if not_before > now and not_before - now > longest.seconds:
                    longest = Wait(not_before - now, failures >= self.policy.lockout_after)
        return longest

    def failed(self, keys: Iterable[tuple]) -> Wait:
        now, result = self.clock(), Wait()
        with self._lock:
            if len(self._state) > self.MAX_KEYS:
                self._forget_old(now)
            for key in keys:
                failures, not_before = self._state.get(key, (0, 0.0))
                if failures >= self.policy.lockout_after and not_before <= now:
                    failures = self.policy.lockout_after - 1  # lockout over: one more failure locks again
                seconds, locked = self.policy.wait_after(failures + 1)
                self._state[key] = (failures + 1, now + seconds)
                if seconds > result.seconds:
                    result = Wait(seconds, locked)
        return result

    def succeeded(self, keys: Iterable[tuple]) -> None:
        with self._lock:
            for key in keys:
                self._state.pop(key, None)

    def _forget_old(self, now: float) -> None:
        horizon = now - self.policy.lockout_seconds
        for key in [k for k, (_, not_before) in self._state.items() if not_before < horizon]:
            del self._state[key]


def throttle_keys(name: str, session_id: str | None) -> list[tuple]:
    keys = [("user", name.strip().casefold())]
    return keys + [("session", session_id)] if session_id else keys


# -- session tokens ----------------------------------------------------------------------------
def load_secret(environ: Mapping[str, str] = os.environ, path: Path | None = None) -> bytes:
    """The signing secret: $GOVINDEX_SESSION_SECRET, else the install's key file (made once, 0600)."""
    if environ.get(SECRET_ENV_VAR, "").strip():
        return environ[SECRET_ENV_VAR].strip().encode("utf-8")
    path = Path(path or environ.get(SECRET_FILE_ENV_VAR) or DEFAULT_SECRET_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        os.chmod(path, 0o600)
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _fingerprint(credential_line: str) -> str:
    return hashlib.sha256(credential_line.encode("utf-8")).hexdigest()[:16]


def _sign(payload: str, secret: bytes) -> str:
    return hmac.new(secret, payload.encode("ascii"), hashlib.sha256).hexdigest()


def make_token(name: str, credential_line: str, secret: bytes, *, now: float | None = None,
               seconds: int = SESSION_SECONDS) -> str:
    now = time.time() if now is None else now
    body = {"u": name, "exp": int(now + seconds), "id": secrets.token_hex(8), "fp": _fingerprint(credential_line)}
    payload = _b64(json.dumps(body, separators=(",", ":")).encode("utf-8"))
    return f"{payload}.{_sign(payload, secret)}"


def token_claims(token: str, secret: bytes) -> dict | None:
    """The token's content when its signature is right (expiry not checked), else None."""
    if not isinstance(token, str):
        return None
    payload, _, signature = token.partition(".")
    if not payload or not hmac.compare_digest(_sign(payload, secret), signature):
        return None
    try:
        claims = json.loads(_unb64(payload))
    except (ValueError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None


def read_token(token: str, analysts: Mapping[str, str], secret: bytes, *, now: float | None = None,
               revoked: Iterable[str] = ()) -> str | None:
    """The analyst a token signs in, or None (bad signature, expired, revoked, password changed)."""
    claims = token_claims(token, secret)
    if claims is None:
        return None
    now = time.time() if now is None else now
    name, line = claims.get("u"), analysts.get(str(claims.get("u")))
    if (line is None or not isinstance(claims.get("exp"), int) or claims["exp"] <= now
            or claims.get("id") in set(revoked) or claims.get("fp") != _fingerprint(line)):
        return None
    return name


class Revoked:
    """Token ids signed out in this process, kept until they would have expired anyway."""

    def __init__(self):
        self._ids: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, token_id: str, expires: float) -> None:
        with self._lock:
            now = time.time()
            self._ids = {k: v for k, v in self._ids.items() if v > now}
            self._ids[token_id] = expires

    def ids(self) -> set[str]:
        with self._lock:
            return set(self._ids)
