"""Who may write (import, map columns, roll back, departments, targets).

Three modes (analytics/auth.py): "analysts" (sign-in needed), "local" (nothing configured: a
single-user install, whoever runs it may write, but only while the server listens on this
machine only) and "broken" (a configuration exists but is wrong: nobody may write, and every
page says what to fix). Sign-in is throttled per user name and per session (analytics/signin.py)
and leaves a signed, expiring token in a cookie, read back through `st.context.cookies` after a
reload. Streamlit has no server-side way to set a cookie, so the cookie is written by a tiny
script (`st.html(..., unsafe_allow_javascript=True)`, our own text only); it is SameSite=Strict,
Secure over https, and cannot be HttpOnly for that reason.
"""

from __future__ import annotations

import functools
import json

import streamlit as st
from streamlit import config

from analytics import auth, signin
from ui.feedback import confirm_saved
from ui.state import t

COOKIE = "govindex_session"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_THROTTLE = signin.Throttle(signin.Policy.from_env())  # one per server process: survives reloads
_REVOKED = signin.Revoked()


def analyst_config() -> auth.AnalystConfig:
    """The configuration, read now (secrets files and $GOVINDEX_ANALYSTS), validated."""
    data, problems = auth.read_secrets_files(config.get_option("secrets.files") or [])
    return auth.load_config(data, problems)


def configured_analysts() -> auth.AnalystConfig:
    """Truthy when an analyst configuration exists (valid or broken); `.analysts` the valid ones."""
    return analyst_config()


def serving_locally() -> bool:
    return (config.get_option("server.address") or "") in LOOPBACK


@functools.lru_cache(maxsize=1)
def _secret() -> bytes:
    """The signing key, read once per server process (never kept in the session state)."""
    return signin.load_secret()


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def _write_cookie(value: str, seconds: int) -> None:
    script = ("<script>document.cookie = " + json.dumps(f"{COOKIE}={value}; Path=/; Max-Age={seconds}; SameSite=Strict")
              + " + (location.protocol === 'https:' ? '; Secure' : '');</script>")
    st.html(script, unsafe_allow_javascript=True)


def _forget_token() -> None:
    """Sign-out (also when a page just dropped session_state["analyst"]): revoke and clear."""
    token = st.session_state.pop("_auth_token", None)
    claims = signin.token_claims(token, _secret()) if token else None
    if claims:
        _REVOKED.add(str(claims.get("id")), float(claims.get("exp", 0)))
    st.session_state["_signed_out"] = True
    _write_cookie("", 0)


def _restore(config: auth.AnalystConfig) -> str | None:
    token = st.context.cookies.get(COOKIE) if not st.session_state.get("_signed_out") else None
    name = signin.read_token(token, config.analysts, _secret(), revoked=_REVOKED.ids()) if token else None
    if name:
        st.session_state["analyst"], st.session_state["_auth_token"] = name, token
    return name


def current_analyst() -> str | None:
    """The analyst's name, "local" in single-user mode, None for whoever may only browse."""
    config = analyst_config()
    if config.mode == auth.BROKEN:
        return None
    if config.mode == auth.LOCAL:
        return "local" if serving_locally() else None
    if "analyst" not in st.session_state and "_auth_token" in st.session_state:
        _forget_token()
    name = st.session_state.get("analyst") or _restore(config)
    return name if name in config.analysts else None


def sign_out() -> None:
    st.session_state.pop("analyst", None)
    _forget_token()


def _wait_text(wait: signin.Wait) -> str:
    if wait.locked:
        return t("signin_locked", minutes=max(1, round(wait.seconds / 60)))
    return t("signin_wait", seconds=max(1, round(wait.seconds + 0.49)))


def _attempt(config: auth.AnalystConfig, name: str, password: str) -> str | None:
    keys = signin.throttle_keys(name, _session_id())
    wait = _THROTTLE.wait(keys)
    if not wait.allowed:
        st.error(_wait_text(wait), icon=":material/timer:")
        return None
    if auth.check_login(config.analysts, name, password):
        _THROTTLE.succeeded(keys)
        name = name.strip()
        token = signin.make_token(name, config.analysts[name], _secret())
        # The cookie's script is written on the next run: this one is cut short by the rerun that
        # makes the page show the signed-in state at once (form and read-only notice gone).
        st.session_state.update({"analyst": name, "_auth_token": token, "_signed_out": False,
                                 "_cookie_pending": token})
        confirm_saved(t("signed_in_toast"))
        return name
    wait = _THROTTLE.failed(keys)
    st.error(t("login_failed") + ("" if wait.allowed else " " + _wait_text(wait)))
    return None


def login_form() -> str | None:
    """The sign-in form; returns the analyst's name in the run where sign-in succeeds."""
    config = analyst_config()
    if config.mode == auth.BROKEN:
        auth_problems(st)
        return None
    if config.mode == auth.LOCAL:
        st.warning(t("open_network_no_analysts"), icon=":material/lock:")
        return None
    with st.form("login"):
        st.markdown(t("login_prompt"))
        name = st.text_input(t("login_name"))
        password = st.text_input(t("login_password"), type="password")
        if st.form_submit_button(t("login_button")):
            return _attempt(config, name, password)
    return None


def auth_problems(container) -> None:
    """What is wrong with the analyst configuration (as text, never markdown), in `container`."""
    problems = analyst_config().problems
    container.error(t("auth_broken"), icon=":material/lock:")
    container.code("\n".join(problems), language=None, wrap_lines=True)


def auth_notice() -> None:
    """On every page (app.py): say so in the sidebar when writing is refused by the set-up; and
    write the session cookie of a sign-in that happened on the previous run."""
    pending = st.session_state.pop("_cookie_pending", None)
    if pending:
        _write_cookie(pending, signin.SESSION_SECONDS)
    config = analyst_config()
    if config.mode == auth.BROKEN:
        auth_problems(st.sidebar)
    elif config.mode == auth.LOCAL and not serving_locally():
        st.sidebar.warning(t("open_network_no_analysts"), icon=":material/lock:")
