"""Errors meant for users: the CLI prints them without a traceback."""

from __future__ import annotations

from collections.abc import Iterable

from digest.model import Problem


class DigestError(Exception):
    """A problem the user can fix; carries one or more located problems."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = sorted(problems)

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        head = self.args[0]
        return "\n".join([head, *lines]) if lines else head
