"""One small family of errors; each builds its own message in the user's words."""

from __future__ import annotations

_MAX_SHOWN = 60  # characters of a refused value echoed back


class LdnTitrateError(Exception):
    """Base of every error this tool raises on purpose."""


class InputError(LdnTitrateError, ValueError):
    """A value given by the user is refused: names the field, the value and what is allowed."""

    def __init__(self, field: str, value: object, allowed: str) -> None:
        """Record where the bad value came from and what would have been accepted."""
        self.field = field
        self.value = value
        self.allowed = allowed
        shown = repr(value)
        if len(shown) > _MAX_SHOWN:
            shown = shown[: _MAX_SHOWN - 4] + "...'"
        got = "" if value is None else f", got {shown}"
        super().__init__(f"{field}: {allowed}{got}")


class InputErrors(LdnTitrateError, ValueError):  # noqa: N818 - a group of InputError
    """Several refused values at once, one line each."""

    def __init__(self, errors: list[InputError]) -> None:
        """Keep every problem, so the user can fix them all in one go."""
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in errors))


class RequestError(LdnTitrateError, ValueError):
    """A request that breaks the limits: one (field, message) pair per problem."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        """Keep every problem, so the user can fix them all in one go."""
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))


class PlanFormatError(LdnTitrateError, ValueError):
    """A plan file cannot be read at all."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        """Record the file, the line (when known) and why it cannot be read."""
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


class FormulationError(LdnTitrateError, ValueError):
    """Some doses of a plan cannot be measured or made in the chosen form; says what would work."""

    def __init__(self, field: str, problems: list[str], suggestion: str) -> None:
        """Keep one line per failing step and one line of advice."""
        self.field = field
        self.problems = tuple(problems)
        self.suggestion = suggestion
        super().__init__(
            "\n".join([*(f"{field}: {p}" for p in problems), f"{field}: {suggestion}"])
        )

    @property
    def lines(self) -> tuple[str, ...]:
        """The message, one line per failing step, then the advice."""
        return tuple(str(self).splitlines())
