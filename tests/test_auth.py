"""Analyst credentials: salted hashes checked strictly, broken configurations fail closed,
sign-in throttled, the same time for known and unknown names, signed session tokens."""

from __future__ import annotations

import statistics
import time

import pytest

from analytics import auth, signin
from analytics.auth import (BROKEN, LOCAL, MIN_ITERATIONS, analysts_from_env, check_login, credential_problem,
                            hash_password, load_config, read_secrets_files, verify_password)

PASSWORD = "mật khẩu dài"


@pytest.fixture(scope="module")
def line():
    return hash_password(PASSWORD)


def test_hash_is_salted_and_verifies(line):
    second = hash_password(PASSWORD)
    assert line != second  # different salts
    assert verify_password(PASSWORD, line) and verify_password(PASSWORD, second)
    assert not verify_password("sai mật khẩu", line)
    assert "mật khẩu" not in line


def test_malformed_or_plain_credentials_never_verify():
    assert not verify_password("secret123", "secret123")
    assert not verify_password("x", "pbkdf2_sha256$abc$zz$yy")
    assert not verify_password("x", "")


def test_hashes_below_the_minimum_iteration_count_are_refused_and_say_which():
    weak = hash_password("abcdefgh", iterations=1)
    assert not verify_password("abcdefgh", weak)
    assert f"1 vòng" in credential_problem(weak) and str(MIN_ITERATIONS) in credential_problem(weak)
    config = load_config({"analysts": {"lan": weak}}, (), {})
    assert config.mode == BROKEN and "lan" in config.problems[0] and not config.analysts


def test_analysts_from_environment(line):
    analysts = analysts_from_env({"GOVINDEX_ANALYSTS": f"lan={line}; minh={line}"})
    assert set(analysts) == {"lan", "minh"}
    assert check_login(analysts, " lan ", PASSWORD)
    assert not check_login(analysts, "lan", "wrong")
    assert not check_login(analysts, "nobody", PASSWORD)


def test_nothing_configured_is_local_mode():
    config = load_config({}, (), {})
    assert config.mode == LOCAL and not config
    assert load_config({"other": 1}, (), {"GOVINDEX_ANALYSTS": "  "}).mode == LOCAL


@pytest.mark.parametrize("case", ["syntax", "misspelt_section", "string", "colon_env", "empty_section",
                                  "plain_text", "one_bad_among_good"])
def test_every_broken_configuration_fails_closed(case, line, tmp_path):
    secrets_file = tmp_path / "secrets.toml"
    environ = {}
    if case == "syntax":
        secrets_file.write_text(f'[analysts]\nlan = "{line}\n', encoding="utf-8")
    elif case == "misspelt_section":
        secrets_file.write_text(f'[analyst]\nlan = "{line}"\n', encoding="utf-8")
    elif case == "string":
        secrets_file.write_text(f'analysts = "lan={line}"\n', encoding="utf-8")
    elif case == "colon_env":
        environ = {"GOVINDEX_ANALYSTS": f"lan:{line}"}
    elif case == "empty_section":
        secrets_file.write_text("[analysts]\n", encoding="utf-8")
    elif case == "plain_text":
        secrets_file.write_text('[analysts]\nlan = "mat-khau-that"\n', encoding="utf-8")
    else:
        secrets_file.write_text(f'[analysts]\nlan = "{line}"\nminh = "pbkdf2_sha256$1000$00$11"\n',
                                encoding="utf-8")
    data, problems = read_secrets_files([secrets_file, tmp_path / "absent.toml"])
    config = load_config(data, problems, environ)
    assert config.mode == BROKEN, case
    assert config  # "an analyst configuration is there": the import page never says single-user
    assert not config.analysts  # nobody can sign in, so nothing can be written
    assert all(isinstance(p, str) and p for p in config.problems)
    assert not any(line in p for p in config.problems)  # a hash is never echoed


def test_a_good_configuration(line, tmp_path):
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(f'[analysts]\nlan = "{line}"\n', encoding="utf-8")
    data, problems = read_secrets_files([secrets_file])
    config = load_config(data, problems, {"GOVINDEX_ANALYSTS": f"minh={line}"})
    assert config.mode == auth.ANALYSTS and set(config.analysts) == {"lan", "minh"}


def test_known_and_unknown_names_take_the_same_time(line):
    analysts = {"lan": line}
    check_login(analysts, "nobody", "x")  # warm the dummy hash

    samples = {"lan": [], "nobody": []}
    for _ in range(7):  # interleaved, so that a load spike hits both
        for name in samples:
            started = time.perf_counter()
            check_login(analysts, name, "wrong password")
            samples[name].append(time.perf_counter() - started)
    known, unknown = statistics.median(samples["lan"]), statistics.median(samples["nobody"])
    print(f"known {known * 1000:.1f} ms, unknown {unknown * 1000:.1f} ms")
    assert known > 0.01  # a real PBKDF2 run
    assert abs(known - unknown) < 0.35 * max(known, unknown)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_throttle_grows_the_delay_then_locks_out_and_success_clears():
    clock = Clock()
    throttle = signin.Throttle(signin.Policy(free_failures=3, base_delay=1, max_delay=60, lockout_after=6,
                                             lockout_seconds=900), clock)
    keys = signin.throttle_keys("Lan", "session-1")
    waits = [throttle.failed(keys).seconds for _ in range(3)]
    assert waits == [0, 0, 1]
    assert not throttle.wait(keys).allowed and throttle.wait(signin.throttle_keys(" lan ", None)).seconds == 1
    clock.now += 1
    assert throttle.failed(keys).seconds == 2
    clock.now += 2
    assert throttle.failed(keys).seconds == 4
    clock.now += 4
    locked = throttle.failed(keys)
    assert locked.locked and locked.seconds == 900
    clock.now += 899
    assert throttle.wait(keys).locked
    assert throttle.wait(signin.throttle_keys("minh", "session-1")).locked  # the session is locked too
    assert throttle.wait(signin.throttle_keys("minh", "session-2")).allowed
    clock.now += 2
    assert throttle.wait(keys).allowed
    assert throttle.failed(keys).locked  # after a lockout, one more failure locks again
    throttle.succeeded(keys)
    assert throttle.wait(keys).allowed


def test_lockout_from_the_environment():
    policy = signin.Policy.from_env({"GOVINDEX_SIGNIN_LOCKOUT_AFTER": "4", "GOVINDEX_SIGNIN_LOCKOUT_SECONDS": "60"})
    assert (policy.lockout_after, policy.lockout_seconds) == (4, 60)
    assert signin.Policy.from_env({"GOVINDEX_SIGNIN_LOCKOUT_AFTER": "x"}).lockout_after == 10


def test_session_tokens(line):
    secret, analysts = b"k" * 32, {"lan": line}
    token = signin.make_token("lan", line, secret, now=1000, seconds=60)
    assert signin.read_token(token, analysts, secret, now=1030) == "lan"
    assert signin.read_token(token, analysts, secret, now=1061) is None  # expired
    assert signin.read_token(token, analysts, b"other" * 8, now=1030) is None  # wrong secret
    payload, signature = token.split(".")
    forged = signin._b64(b'{"u":"lan","exp":99999999999,"id":"x","fp":"y"}') + "." + signature
    assert signin.read_token(forged, analysts, secret, now=1030) is None
    claims = signin.token_claims(token, secret)
    assert signin.read_token(token, analysts, secret, now=1030, revoked={claims["id"]}) is None
    assert signin.read_token(token, {"lan": hash_password("another one")}, secret, now=1030) is None
    assert signin.read_token("garbage", analysts, secret) is None and signin.read_token(None, analysts, secret) is None


def test_secret_file_is_made_once_with_0600(tmp_path):
    path = tmp_path / "keys" / "session.key"
    first = signin.load_secret({}, path)
    assert len(first) == 64 and (path.stat().st_mode & 0o777) == 0o600
    assert signin.load_secret({}, path) == first
    assert signin.load_secret({"GOVINDEX_SESSION_SECRET": "from-env"}, path) == b"from-env"
