"""What the import_* commands share: checking the path, reporting problems and counts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from cityhall.places.errors import ImportFailed
from cityhall.places.importers.report import ImportReport


def run_import(
    command: BaseCommand, *, path: str, what: str, run: Callable[[Path], ImportReport]
) -> None:
    """Run `run` on the file at `path` and print its counts, or every problem to stderr.

    Raises CommandError (a non-zero exit) when the file is missing or has problems; in that
    case nothing was written.
    """
    source = Path(path)
    if not source.is_file():
        raise CommandError(_("%(path)s is not a file.") % {"path": path})
    try:
        report = run(source)
    except ImportFailed as error:
        for problem in error.problems:
            command.stderr.write(f"{path}: {problem}")
        raise CommandError(
            _("Nothing was imported: %(count)d problem(s) in %(path)s.")
            % {"count": len(error.problems), "path": path}
        ) from error
    message = _(
        "Imported %(what)s from %(path)s: %(created)d created, %(updated)d updated, "
        "%(unchanged)d unchanged."
    ) % {
        "what": what,
        "path": path,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
    command.stdout.write(command.style.SUCCESS(message))
    if report.repaired:
        command.stdout.write(
            _("%(count)d boundary(ies) had self-intersecting rings and were repaired.")
            % {"count": report.repaired}
        )
