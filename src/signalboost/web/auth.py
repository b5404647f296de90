"""Logins, sessions and CSRF protection of the dashboard.

- Passwords are hashed with argon2id (``argon2-cffi`` defaults, RFC 9106) and kept in the ``web_users`` table.
- The session is a cookie signed with the server's secret (``itsdangerous``): a random session id, and the
  user name once logged in. It is ``HttpOnly``, ``SameSite=Lax``, and ``Secure`` behind HTTPS. A logged-in
  session also lives in the workspace database (:mod:`signalboost.web.sessions`), so it can be revoked and expires.
- CSRF: a *session-bound* token, ``HMAC-SHA256(secret, "csrf:" + session id)``, is put in every form and checked
  on every state-changing request (OWASP CSRF cheat sheet, "synchronizer token" pattern without server storage).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from signalboost.errors import UsageError
from signalboost.i18n import L_
from signalboost.store import sessions_sql, users_sql
from signalboost.store.workspace import Workspace

SESSION_COOKIE = "sb_session"
SESSION_MAX_AGE = 12 * 3600
_hasher = PasswordHasher()
_USERNAME_OK = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")


@dataclass
class Session:
    """What the session cookie carries."""

    sid: str
    user: str | None = None


class SessionCodec:
    """Sign and read session cookies; derive CSRF tokens from the session id."""

    def __init__(self, secret: bytes, max_age: float = SESSION_MAX_AGE) -> None:
        self.secret = secret
        self.max_age = max_age
        self._ser = URLSafeTimedSerializer(secret, salt="signalboost-session")

    def new(self) -> Session:
        return Session(sid=secrets.token_urlsafe(24))

    def dumps(self, session: Session) -> str:
        return self._ser.dumps({"sid": session.sid, "user": session.user})

    def loads(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            data = self._ser.loads(cookie, max_age=int(self.max_age))
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("sid"), str):
            return None
        user = data.get("user")
        return Session(sid=data["sid"], user=user if isinstance(user, str) else None)

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self.secret, b"csrf:" + session.sid.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: Session | None, token: str | None) -> bool:
        if session is None or not token:
            return False
        return hmac.compare_digest(self.csrf_token(session).encode(), token.encode("utf-8", "replace"))


def check_username(name: str) -> str:
    """A login name: 1-64 characters of a-z 0-9 . _ - @ (case-folded)."""
    folded = name.strip().lower()
    if not folded or len(folded) > 64 or not set(folded) <= _USERNAME_OK:
        raise UsageError(
            L_("invalid user name {name!r}", name=name),
            where="user name",
            hint=L_("Use 1-64 characters: letters, digits, dot, underscore, hyphen or @"),
        )
    return folded


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (at least 8 characters)."""
    if len(password) < 8:
        raise UsageError(
            L_("the password is too short ({n} characters)", n=len(password)),
            where="password",
            hint=L_("Use at least 8 characters"),
        )
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Constant-time check of ``password`` against an argon2 hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def add_user(ws: Workspace, name: str, password: str) -> str:
    """Create or update the login ``name`` in the workspace; return the stored (folded) name."""
    username = check_username(name)
    digest = hash_password(password)
    with ws.transaction(purpose="add a dashboard login") as con:
        users_sql.upsert_user(con, username, digest)
        sessions_sql.delete_for_user(con, username)  # a changed password ends the sessions opened with the old one
    return username


def remove_user(ws: Workspace, name: str) -> bool:
    """Delete the login ``name`` and end its sessions; ``False`` when there was no such login."""
    username = check_username(name)
    with ws.transaction(purpose="remove a dashboard login") as con:
        existed = users_sql.delete_user(con, username)
        sessions_sql.delete_for_user(con, username)
    return existed


def authenticate(ws: Workspace, name: str, password: str) -> str | None:
    """The user name if ``password`` is right, else ``None`` (same work either way, to not leak which)."""
    try:
        username = check_username(name)
    except UsageError:
        username = ""
    with ws.connect(purpose="log in") as con:
        stored = users_sql.user_hash(con, username) if username else None
        if stored is None:
            _hasher.hash(password or "x")  # spend the same time as a real check
            return None
        if not verify_password(stored, password):
            return None
        users_sql.touch_login(con, username)
    return username


def user_count(ws: Workspace) -> int:
    with ws.connect(purpose="read logins") as con:
        return users_sql.count_users(con)


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
