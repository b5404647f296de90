"""One exception tree for the whole library.

Every error a user can cause is a :class:`SignalboostError` carrying three parts, so that the CLI and the web
boundary can print ``Error: <where>: <what went wrong>. <what to do>`` without knowing which subsystem raised it.

``what`` and ``hint`` are written with :func:`signalboost.i18n.L_` (a template with named fields, translated when
the error is shown, in the reader's language); ``where`` (a file, ``file:line:column``, a field, an option) is an
identifier and is never translated::

    from signalboost.i18n import L_

    raise IngestError(
        L_("{n} rows have no date", n=missing), where=f"{path}:{line}", hint=L_("Fill in the dates and import again")
    )

``tests/i18n/test_error_messages.py`` fails on an error made from a plain (f-)string literal.
"""

from __future__ import annotations


class SignalboostError(Exception):
    """Root of every error Signalboost raises on purpose.

    ``what``: what went wrong; ``where``: file, line:column, field or table; ``hint``: what the user can do.
    """

    exit_code = 1

    def __init__(self, what: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.what = what
        self.where = where
        self.hint = hint
        super().__init__(self.message(english=True))

    def message(self, *, english: bool = False) -> str:
        """The one-line message shown to a person, in the active language (``english``: in English, for logs)."""
        from signalboost.i18n import tr

        what, hint = (str(self.what), self.hint) if english else (tr(self.what), tr(self.hint) if self.hint else None)
        text = what
        if self.where:
            text = f"{self.where}: {text}"
        if hint:
            text = f"{text} {hint}" if text.endswith(_ENDS) else f"{text}. {hint}"
        return text

    def __str__(self) -> str:
        return self.message()

    def lazy(self) -> str:
        """The whole message as a :class:`~signalboost.i18n.LazyText`, to be shown later in the reader's language
        (a message kept in a list or a job)."""
        from signalboost.i18n import LazyText

        fields = {"where": self.where, "what": self.what, "hint": self.hint}
        template = "{what}"
        if self.where:
            template = "{where}: " + template
        if self.hint:
            template += " {hint}" if str(self.what).endswith(_ENDS) else ". {hint}"
        return LazyText(template, {k: v for k, v in fields.items() if v})


_ENDS = (".", "?", "!")
"""A ``what`` ending in one of these is followed by its hint without another period."""


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in the reader's language for the common causes (no permission, not found, disk
    full, read-only), else the system's own words in lower case (``is a directory``)."""
    import errno

    from signalboost.i18n import L_

    words = {
        errno.EACCES: L_("permission denied"),
        errno.EPERM: L_("permission denied"),
        errno.ENOENT: L_("no such file or folder"),
        errno.ENOSPC: L_("no space left on the disk"),
        errno.EROFS: L_("the file system is read-only"),
        errno.EISDIR: L_("it is a folder"),
        errno.ENOTDIR: L_("a part of the path is a file, not a folder"),
    }
    return words.get(exc.errno or -1) or str(exc.strerror or exc).lower()


class UsageError(SignalboostError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


class WorkspaceError(SignalboostError):
    """The workspace folder is missing, unreadable or not a workspace."""


class StrategyError(SignalboostError):
    """The strategy document cannot be read or does not validate."""


class StoreError(SignalboostError):
    """The workspace database failed: locked, corrupt, or a migration is missing."""


class WorkspaceLockedError(StoreError):
    """Another process holds the workspace database for writing."""


class IngestError(SignalboostError):
    """An import file is malformed, of an unknown format, or unsafe (zip bomb, path traversal)."""


class PlanError(SignalboostError):
    """The strategy cannot be turned into a calendar."""


class AnalyticsError(SignalboostError):
    """An analysis cannot be computed from the data at hand."""


class CompetitorsError(SignalboostError):
    """A competitor cannot be registered or removed (an account already another's, a name not registered)."""


class InfluenceError(SignalboostError):
    """Influence scoring cannot run on the data at hand."""


class AudienceError(SignalboostError):
    """Audience segments or personas cannot be computed from the data at hand."""


class OutreachError(SignalboostError):
    """An outreach or partner operation is not allowed (e.g. an illegal pipeline move)."""


class ReportError(SignalboostError):
    """A report or document cannot be rendered."""


class OutputError(SignalboostError):
    """An output file (report, document, export) cannot be written: no permission, a folder in the way."""


class WebError(SignalboostError):
    """The dashboard cannot serve a request."""


class ConnectError(SignalboostError):
    """A live account cannot be connected, synced or published to (credentials, network, rate limit, refusal).

    Its message never carries a credential."""
