"""One exception tree for the whole library.

Every error a user can cause is a :class:`SignalboostError` carrying three parts, so that the CLI and the web
boundary can print ``Error: <what went wrong>, <where>. <what to do>`` without knowing which subsystem raised it.
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
        super().__init__(self.message())

    def message(self) -> str:
        """The one-line message shown to a person."""
        text = self.what
        if self.where:
            text = f"{self.where}: {text}"
        if self.hint:
            text = f"{text}. {self.hint}" if not text.endswith(".") else f"{text} {self.hint}"
        return text


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
