"""The workspace's secrets file: credentials of connected accounts, readable by its owner only.

``<workspace>/secrets.json`` (mode 0600, written atomically) holds, per platform, what a client needs to log in
(Bluesky: handle, service, app password, the session string). Credentials never go to ``strategy.yaml``, the
database, exports, logs or error messages; the workspace's ``.gitignore`` lists the file. A file that others can
read is refused (as ssh refuses a private key), with the command that fixes it.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from signalboost.errors import ConnectError
from signalboost.i18n import L_

SECRETS_FILE = "secrets.json"
_GITIGNORE_LINE = "/" + SECRETS_FILE


def secrets_path(root: Path) -> Path:
    return root / SECRETS_FILE


def load_secrets(root: Path) -> dict[str, dict[str, Any]]:
    """Every stored credential by platform (``{}`` when none); refuses a file group or others can read."""
    path = secrets_path(root)
    if not path.exists():
        return {}
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConnectError(
            L_("the secrets file can be read by others (mode {mode:o})", mode=mode),
            where=str(path),
            hint=L_("Make it private with `chmod 600 {path}`", path=path),
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConnectError(
            L_("cannot read the secrets file ({kind})", kind=type(exc).__name__),
            where=str(path),
            hint=L_("Remove it and connect the accounts again with `signalboost connect`"),
        ) from None
    if not isinstance(data, dict):
        raise ConnectError(
            L_("the secrets file is not a JSON object"), where=str(path), hint=L_("Remove it and reconnect")
        )
    return {str(k): dict(v) for k, v in data.items() if isinstance(v, dict)}


def save_secrets(root: Path, secrets: dict[str, dict[str, Any]]) -> Path:
    """Write every credential atomically with mode 0600 (created private: never readable by others, even
    briefly), and make sure the workspace's ``.gitignore`` covers the file."""
    path = secrets_path(root)
    fd, tmp = tempfile.mkstemp(prefix=".secrets-", dir=root)  # mkstemp creates the file with mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(secrets, fh, indent=2, sort_keys=True)
            fh.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    ensure_gitignored(root)
    return path


def ensure_gitignored(root: Path) -> None:
    """Add ``/secrets.json`` to ``<workspace>/.gitignore`` unless a line already lists it."""
    gitignore = root / ".gitignore"
    lines = gitignore.read_text(encoding="utf-8").splitlines() if gitignore.exists() else []
    if any(line.strip() in (SECRETS_FILE, _GITIGNORE_LINE) for line in lines):
        return
    text = "\n".join([*lines, "# credentials of connected accounts (signalboost connect)", _GITIGNORE_LINE]) + "\n"
    gitignore.write_text(text, encoding="utf-8")


def put_secret(root: Path, platform: str, values: dict[str, Any]) -> None:
    secrets = load_secrets(root)
    secrets[platform] = values
    save_secrets(root, secrets)


def update_secret(root: Path, platform: str, **values: Any) -> None:
    """Change some fields of one platform's entry (e.g. a refreshed session)."""
    secrets = load_secrets(root)
    if platform in secrets:
        secrets[platform].update(values)
        save_secrets(root, secrets)


def remove_secret(root: Path, platform: str) -> bool:
    """Forget one platform's credential; ``True`` when there was one."""
    secrets = load_secrets(root)
    if platform not in secrets:
        return False
    del secrets[platform]
    save_secrets(root, secrets)
    return True
