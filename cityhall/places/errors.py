"""The places domain's errors.

* InvalidInput (core)
  + ImportFailed      a source file has problems; nothing from it was written
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cityhall.core.errors import InvalidInput


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with a source file: where (a CSV line, a feature index) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class RowError(ValueError):
    """One row or feature of a source cannot be used; the message says why (internal)."""


class ImportFailed(InvalidInput):
    """The source file was rejected as a whole; `problems` lists every problem found."""

    code = "import_failed"
    default_message = _("The file was not imported because it has problems.")

    def __init__(self, problems: Sequence[ImportProblem]):
        self.problems = list(problems)
        message = _("The file was not imported: %(count)d problem(s) found.") % {
            "count": len(self.problems)
        }
        super().__init__(message, fields={"source": [str(problem) for problem in self.problems]})
