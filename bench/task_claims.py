"""What claiming the next task costs the database queue, with 0 to 100,000 tasks waiting.

Run: .venv/bin/python bench/task_claims.py --database-url URL [--backlogs 0,10000,100000]
     [--claims N] [--finished N] [--vacuum-every N]

URL is a PostgreSQL database of the benchmark's own (its name contains "bench") or a SQLite
file under /tmp; it is migrated here. For each backlog B in turn:

1. the waiting tasks are deleted and B `follow_up_submission` tasks queued in bulk, then the
   table vacuumed and analysed (as autovacuum would after such an insert);
2. `db_worker`'s own Worker, in this process, claims and runs N tasks (`--claims`), each
   finished task queuing one more, so that B tasks wait throughout. The task names a request
   that does not exist: it is over after one query, so the figures are the queue's own.

Prints, per backlog: the claim query's time (the SELECT ... FOR UPDATE SKIP LOCKED that picks
the next task) p50, p99 and mean over the N claims and the mean over the last tenth, and the
whole loop's time per task (claim, run, record the result, queue the next). `--finished N`
first stores N finished task rows, as months of work would leave them without a purge.
`--vacuum-every N` vacuums the table (core.tasks.vacuum_task_queue, which the clean-up job
runs each minute) after every N tasks, as a server keeping up with its queue would.
Claims walk over the dead entries that earlier claims left in the ready-task index until a
vacuum removes them, so the last tenth shows what N claims without a vacuum cost.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).absolute().parent))

import loadgen
import seed_requests

BULK_BATCH = 5_000
EXPLAIN_EVERY = 250
#: The request id the benchmark's tasks name: none has it, so each task is one query.
NO_SUCH_REQUEST = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--backlogs", default="0,10000,100000")
    parser.add_argument("--claims", type=int, default=5_000)
    parser.add_argument("--finished", type=int, default=0)
    parser.add_argument("--vacuum-every", type=int, default=0)
    options = parser.parse_args()
    if "bench" not in options.database_url.rsplit("/", 1)[-1]:
        raise SystemExit("Use a database of the benchmark's own: its name must contain 'bench'.")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per task
    seed_requests.setup_django(options.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    _empty_queue(finished_too=True)
    if options.finished:
        _queue(options.finished, status="SUCCESSFUL")
    loadgen.header(
        f"Claiming tasks from the database queue on {connection.vendor}",
        finished_rows=f"{options.finished:,}",
        claims_per_backlog=f"{options.claims:,}",
        vacuum=f"after every {options.vacuum_every:,} tasks" if options.vacuum_every else "none",
    )
    for backlog in (int(value) for value in options.backlogs.split(",")):
        _empty_queue(finished_too=False)
        _queue(backlog, status="READY")
        _vacuum()
        print(_claims(backlog, options.claims, vacuum_every=options.vacuum_every).line())


class Claims:
    """The claim queries' times over one run of the worker, and the run's length.

    On PostgreSQL every EXPLAIN_EVERY-th claim query is also run under EXPLAIN (ANALYZE,
    BUFFERS), in the claim's transaction, for the pages it touched and its time in the
    server: unlike the time the worker waits, neither moves with other work on the machine.
    """

    def __init__(self, backlog: int) -> None:
        self.backlog = backlog
        self.times: list[float] = []
        self.seconds = 0.0
        #: (pages touched, milliseconds of execution) of the explained claims.
        self.explained: list[tuple[int, float]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if "FOR UPDATE" not in sql:
            return execute(sql, params, many, context)
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times.append(time.perf_counter() - began)
            if (
                context["connection"].vendor == "postgresql"
                and len(self.times) % EXPLAIN_EVERY == 1
            ):
                self._explain(context["cursor"], sql, params)

    def _explain(self, cursor: Any, sql: str, params: Any) -> None:
        # The driver's own cursor: through Django's, this would count as another claim.
        cursor.cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()[0]
        pages = plan["Plan"]["Shared Hit Blocks"] + plan["Plan"]["Shared Read Blocks"]
        self.explained.append((pages, plan["Execution Time"]))

    def line(self) -> str:
        ordered = sorted(self.times)
        last = self.times[-max(1, len(self.times) // 10) :]
        return (
            f"backlog {self.backlog:>7,}: claim query p50 {_ms(statistics.median(ordered))}, "
            f"p99 {_ms(loadgen.percentile(ordered, 99))}, mean {_ms(statistics.fmean(ordered))}"
            f" (last tenth {_ms(statistics.fmean(last))}); "
            f"{self.seconds / len(ordered) * 1000:.2f} ms per task in all "
            f"({len(ordered):,} claim queries)" + self._explained()
        )

    def _explained(self) -> str:
        if not self.explained:
            return ""
        (first_pages, first_ms), (last_pages, last_ms) = self.explained[0], self.explained[-1]
        later = (len(self.explained) - 1) * EXPLAIN_EVERY
        return (
            f"\n    in PostgreSQL: {first_pages} pages, {first_ms:.2f} ms at the first claim; "
            f"{last_pages} pages, {last_ms:.2f} ms {later:,} claims later"
        )


def _claims(backlog: int, count: int, *, vacuum_every: int) -> Claims:
    """Run `count` tasks with db_worker's Worker, one queued for each one finished, and a
    vacuum after every `vacuum_every` (never if 0)."""
    from django.db import connection
    from django_tasks.signals import task_finished
    from django_tasks_db.management.commands.db_worker import Worker

    from cityhall.core.tasks import vacuum_task_queue
    from cityhall.servicerequests.tasks import follow_up_submission

    finished = [0]

    def queue_another(**_kwargs: Any) -> None:
        follow_up_submission.enqueue(NO_SUCH_REQUEST)
        finished[0] += 1
        if vacuum_every and finished[0] % vacuum_every == 0:
            vacuum_task_queue()

    follow_up_submission.enqueue(NO_SUCH_REQUEST)  # the one being claimed
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=count,
        worker_id="task-claims-bench",
        excluded_queue_names=[],
    )
    claims = Claims(backlog)
    task_finished.connect(queue_another)
    try:
        with connection.execute_wrapper(claims):
            began = time.perf_counter()
            worker.run()
            claims.seconds = time.perf_counter() - began
    finally:
        task_finished.disconnect(queue_another)
    return claims


def _queue(count: int, *, status: str) -> None:
    """Store `count` follow-up task rows with `status`, in bulk."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    from cityhall.servicerequests.tasks import follow_up_submission

    now = timezone.now()
    finished = status != "READY"
    for start in range(0, count, BULK_BATCH):
        DBTaskResult.objects.bulk_create(
            DBTaskResult(
                status=status,
                args_kwargs={"args": [NO_SUCH_REQUEST], "kwargs": {}},
                task_path=follow_up_submission.module_path,
                backend_name="default",
                run_after=get_date_max(),
                started_at=now if finished else None,
                finished_at=now if finished else None,
                return_value={"duplicate_candidates": 0, "confirmed": False} if finished else None,
            )
            for _ in range(start, min(start + BULK_BATCH, count))
        )


def _empty_queue(*, finished_too: bool) -> None:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.all()
    if not finished_too:
        rows = rows.filter(status__in=["READY", "RUNNING"])
    rows.delete()


def _vacuum() -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute(f"ANALYZE {table}")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


if __name__ == "__main__":
    main()
