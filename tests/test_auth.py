"""Analyst credentials are salted hashes; plain text never works as a credential line."""

from analytics.auth import analysts_from_env, check_login, hash_password, verify_password


def test_hash_is_salted_and_verifies():
    first, second = hash_password("mật khẩu dài"), hash_password("mật khẩu dài")
    assert first != second  # different salts
    assert verify_password("mật khẩu dài", first) and verify_password("mật khẩu dài", second)
    assert not verify_password("sai mật khẩu", first)
    assert "mật khẩu" not in first


def test_malformed_or_plain_credentials_never_verify():
    assert not verify_password("secret123", "secret123")
    assert not verify_password("x", "pbkdf2_sha256$abc$zz$yy")
    assert not verify_password("x", "")


def test_analysts_from_environment():
    line = hash_password("abcdefgh", iterations=1000)
    analysts = analysts_from_env({"GOVINDEX_ANALYSTS": f"lan={line}; minh={line}"})
    assert set(analysts) == {"lan", "minh"}
    assert check_login(analysts, " lan ", "abcdefgh")
    assert not check_login(analysts, "lan", "wrong")
    assert not check_login(analysts, "nobody", "abcdefgh")
