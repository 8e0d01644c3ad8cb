"""Analyst credentials and configuration: salted PBKDF2-SHA256 hashes, checked strictly.

A credential line is `pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`; make one with
`python -m analytics hash-password` (it asks for the password; it never takes it as an argument).
Analysts are configured as `name = "<line>"` under `[analysts]` in `.streamlit/secrets.toml`, or as
`GOVINDEX_ANALYSTS="name=<line>;name2=<line>"` in the environment.

Fail closed: a configuration that exists but cannot be read or validated (a TOML syntax error,
a misspelt `[analyst]` section, `analysts = "…"` as a text, `lan:…` instead of `lan=…`, a line
that is not a hash, fewer than MIN_ITERATIONS iterations, an empty list) makes the mode
"broken": nobody may write until it is fixed, and every page says so. No configuration at all is
"local": a single-user install, valid only while the server listens on this machine.
"""

from __future__ import annotations

import difflib
import hashlib
import hmac
import os
import secrets
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 310_000      # what hash-password writes (OWASP 2021 for PBKDF2-HMAC-SHA256)
MIN_ITERATIONS = 310_000  # a configured hash with fewer iterations is refused, by name
MIN_PASSWORD_LENGTH = 8
ENV_VAR = "GOVINDEX_ANALYSTS"
SECTION = "analysts"

LOCAL, ANALYSTS, BROKEN = "local", "analysts", "broken"


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def credential_problem(line) -> str | None:
    """Why `line` is not a usable credential line (Vietnamese), or None when it is."""
    if not isinstance(line, str):
        return "phải là một chuỗi dạng pbkdf2_sha256$…"
    parts = line.strip().split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM:
        return "không phải mã băm pbkdf2_sha256$số vòng$muối$mã (tạo bằng python -m analytics hash-password)"
    _, iterations, salt, digest = parts
    try:
        count = int(iterations)
        bytes.fromhex(salt), bytes.fromhex(digest)
    except ValueError:
        return "mã băm hỏng (số vòng hoặc chuỗi hex không hợp lệ)"
    if count < MIN_ITERATIONS:
        return (f"mã băm chỉ có {count} vòng PBKDF2, cần ít nhất {MIN_ITERATIONS}: "
                "tạo lại bằng python -m analytics hash-password")
    if not salt or len(digest) != 64:
        return "mã băm hỏng (thiếu muối hoặc độ dài mã sai)"
    return None


def verify_password(password: str, encoded: str) -> bool:
    """True when `password` matches the credential line; a line that is not valid never matches."""
    if credential_problem(encoded) is not None:
        return False
    _, iterations, salt, expected = encoded.strip().split("$")
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), int(iterations))
    return hmac.compare_digest(digest.hex(), expected)


@lru_cache(maxsize=8)
def _dummy_line(iterations: int) -> str:
    return hash_password(secrets.token_hex(16), iterations=iterations)


def check_login(analysts: Mapping[str, str], name: str, password: str) -> bool:
    """True when `name` is a configured analyst and `password` is theirs.

    An unknown name is verified against a dummy hash with the same iteration count as the
    configured ones, so both answers take the same time and the timing does not tell which
    names exist.
    """
    line = analysts.get(name.strip())
    counts = Counter(int(v.split("$")[1]) for v in analysts.values() if credential_problem(v) is None)
    dummy = _dummy_line(counts.most_common(1)[0][0] if counts else ITERATIONS)
    matches = verify_password(password, line if line is not None else dummy)
    return line is not None and matches


@dataclass(frozen=True)
class AnalystConfig:
    """Who may write: `mode` is LOCAL (nothing configured), ANALYSTS or BROKEN (`problems` says why)."""

    analysts: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    present: bool = False

    @property
    def mode(self) -> str:
        if self.problems:
            return BROKEN
        return ANALYSTS if self.present else LOCAL

    def __bool__(self) -> bool:  # "is an analyst configuration there?" (valid or not)
        return self.present


def read_secrets_files(paths: Iterable[str | os.PathLike]) -> tuple[dict, list[str]]:
    """The merged content of the secrets files that exist, and a problem per unreadable one."""
    merged, problems = {}, []
    for path in map(Path, paths):
        if not path.is_file():
            continue
        try:
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            problems.append(f"không đọc được {path.name} ({path.parent.name}/{path.name}): {error}")
    return merged, problems


def _looks_like_section(key: str) -> bool:
    lowered = str(key).strip().lower()
    return lowered != SECTION and (lowered.startswith("analyst")
                                   or difflib.SequenceMatcher(None, lowered, SECTION).ratio() >= 0.75)


def _from_secrets(secrets_data: Mapping) -> tuple[dict[str, str], list[str], bool]:
    analysts, problems = {}, []
    present = SECTION in secrets_data
    for key in secrets_data:
        if _looks_like_section(key):
            present = True
            problems.append(f"secrets.toml có mục [{key}]: tên đúng là [{SECTION}]")
    if SECTION in secrets_data:
        section = secrets_data[SECTION]
        if not isinstance(section, Mapping):
            problems.append(f'secrets.toml: "{SECTION}" phải là một mục [{SECTION}] với các dòng ten = "mã băm", '
                            "không phải một giá trị đơn")
        elif not section:
            problems.append(f"secrets.toml: mục [{SECTION}] không có ai")
        else:
            analysts = {str(name).strip(): value for name, value in section.items()}
    return analysts, problems, present


def _from_environment(environ: Mapping[str, str]) -> tuple[dict[str, str], list[str], bool]:
    text = environ.get(ENV_VAR)
    if text is None or not text.strip():
        return {}, [], False
    analysts, problems = {}, []
    for item in (part.strip() for part in text.split(";")):
        if not item:
            continue
        name, sep, line = item.partition("=")
        if not sep or not name.strip():
            shown = name.split(":")[0].split("$")[0][:20]
            problems.append(f"{ENV_VAR}: mục «{shown}…» phải có dạng ten=mã băm (dấu =), các mục cách nhau bằng ;")
            continue
        analysts[name.strip()] = line.strip()
    return analysts, problems, True


def load_config(secrets_data: Mapping | None = None, secrets_problems: Iterable[str] = (),
                environ: Mapping[str, str] = os.environ) -> AnalystConfig:
    """The analyst configuration from secrets (already read) and the environment, validated."""
    problems = list(secrets_problems)
    from_secrets, secret_problems, in_secrets = _from_secrets(secrets_data or {})
    from_env, env_problems, in_env = _from_environment(environ)
    analysts = {**from_env, **from_secrets}
    problems += secret_problems + env_problems
    for name, line in analysts.items():
        reason = credential_problem(line)
        if reason:
            problems.append(f"tài khoản «{name}»: {reason}")
    present = in_secrets or in_env or bool(problems)
    return AnalystConfig(analysts={} if problems else analysts, problems=tuple(problems), present=present)


def analysts_from_env(environ=os.environ) -> dict[str, str]:
    """The analysts of the environment variable alone (empty when it is not valid)."""
    return load_config({}, (), environ).analysts
