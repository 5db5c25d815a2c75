"""SQL the coordinator and the answer sender share: what occupies a task, what covers it.

The rules are the ledger's (tui/core/team/ledger.py), in SQL: per annotator and task the
highest revision is the answer that counts; accept, reject and flag count (a skip too when
the batch says skip = "count"); an `undone` line withdraws. A task's occupancy is the
number of distinct annotators with a live lease or a counted answer on it.
"""

from __future__ import annotations

COUNTING = ("accept", "reject", "flag")


def counting(skip_counts: bool) -> list[str]:
    return [*COUNTING, "skip"] if skip_counts else list(COUNTING)


# Annotators with a counted answer on task t (t is labeldesk_tasks in the outer query).
_COUNTED = """
    SELECT l.annotator FROM (
        SELECT DISTINCT ON (a.annotator) a.annotator, a.answer
        FROM labeldesk_answers a
        WHERE a.batch_id = t.batch_id AND a.task_id = t.task_id
        ORDER BY a.annotator, a.revision DESC
    ) l WHERE l.answer = ANY(%(counting)s)
"""

OCCUPIED = f"""(
    SELECT count(*) FROM (
        SELECT c.annotator FROM labeldesk_claims c
        WHERE c.batch_id = t.batch_id AND c.task_id = t.task_id AND c.until > %(now)s
        UNION {_COUNTED}
    ) holders
)"""

COUNTED = f"(SELECT count(*) FROM ({_COUNTED}) counted)"

MINE_ANSWERED = """EXISTS (
    SELECT 1 FROM labeldesk_answers a
    WHERE a.batch_id = t.batch_id AND a.task_id = t.task_id AND a.annotator = %(me)s
)"""

MINE_LIVE = """EXISTS (
    SELECT 1 FROM labeldesk_claims c
    WHERE c.batch_id = t.batch_id AND c.task_id = t.task_id AND c.annotator = %(me)s
      AND c.until > %(now)s
)"""

MINE_ANY_LEASE = """EXISTS (
    SELECT 1 FROM labeldesk_claims c
    WHERE c.batch_id = t.batch_id AND c.task_id = t.task_id AND c.annotator = %(me)s
)"""

ROUTED_TO_ME = "(t.route IS NULL OR %(me)s = ANY(t.route))"
