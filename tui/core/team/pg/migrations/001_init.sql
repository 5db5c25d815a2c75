-- labeldesk schema 1: a team's batches, claims and answers (issue 13; docs/DESIGN.md §11).
-- Applied once by `labeldesk team db-init` (tui/core/team/pg/schema.py), inside a transaction,
-- and recorded in labeldesk_schema. Never edit an applied file: add the next number.

-- A batch pushed from a folder: batch.toml and guidelines verbatim, so `team pull` writes the
-- folder back as it was; settings is batch.toml parsed (for queries and the plan).
CREATE TABLE labeldesk_batches (
    batch_id        text PRIMARY KEY,
    batch_toml      text NOT NULL,
    settings        jsonb NOT NULL,
    tasks_name      text NOT NULL,
    guidelines_name text,
    guidelines      bytea,
    task_count      integer NOT NULL,
    pushed_at       timestamptz NOT NULL DEFAULT now()
);

-- Every task line verbatim (bytes: the file may hold anything), in file order, with what the
-- plan decided for it: how many annotators it needs (more for the overlap sample; NULL =
-- every annotator), where it comes in the claim order, and who may claim it (routing; NULL =
-- anyone). started: claimed or answered once (order = "started-first" takes those first).
-- covered: the task has its target of counted answers (a hint that lets a claim skip it; kept
-- by the answer sender under the row lock, and every claim still counts before it takes).
-- The row is the task's lock: a claim or take-over locks it (FOR UPDATE SKIP LOCKED), and
-- every change that could raise the task's count of live claims is made under that lock.
CREATE TABLE labeldesk_tasks (
    batch_id   text NOT NULL REFERENCES labeldesk_batches ON DELETE CASCADE,
    task_id    text NOT NULL,
    position   integer NOT NULL,
    line       bytea NOT NULL,
    target     integer CHECK (target >= 1),
    claim_rank integer NOT NULL,
    route      text[],
    started    boolean NOT NULL DEFAULT false,
    covered    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (batch_id, task_id)
);
CREATE UNIQUE INDEX labeldesk_tasks_position ON labeldesk_tasks (batch_id, position);
-- A claim walks the open tasks in the plan's order (started ones first when asked) and
-- stops at the first few it can lock: these indexes are that walk.
CREATE INDEX labeldesk_tasks_open ON labeldesk_tasks (batch_id, claim_rank) WHERE NOT covered;
CREATE INDEX labeldesk_tasks_started ON labeldesk_tasks (batch_id, started DESC, claim_rank)
    WHERE NOT covered;

-- A lease: live while until (epoch seconds, the claiming machine's clock) is in the future.
-- renewed_at: when it was taken or last renewed (a colleague's lease not renewed for half a
-- lease can be taken over at the end). A release or an answer deletes the row; an ended
-- lease stays, and counts as "expired" for its annotator unless they answered the task.
CREATE TABLE labeldesk_claims (
    batch_id   text NOT NULL,
    task_id    text NOT NULL,
    annotator  text NOT NULL,
    renewed_at double precision NOT NULL,
    until      double precision NOT NULL,
    PRIMARY KEY (batch_id, task_id, annotator),
    FOREIGN KEY (batch_id, task_id) REFERENCES labeldesk_tasks ON DELETE CASCADE
);
CREATE INDEX labeldesk_claims_annotator ON labeldesk_claims (batch_id, annotator);

-- Everyone who claimed or answered in a batch, with the leases of theirs that ended and
-- were replaced (taken over by a colleague, or claimed again): the claims table no longer
-- shows those.
CREATE TABLE labeldesk_annotators (
    batch_id  text NOT NULL REFERENCES labeldesk_batches ON DELETE CASCADE,
    annotator text NOT NULL,
    expired   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (batch_id, annotator)
);

-- Answers: each results line as the annotator's machine fsynced it (line is the exact JSON
-- text of results/<annotator>.jsonl), inserted once: a replay after a reconnect, or from two
-- processes, hits the primary key and changes nothing. seq keeps the order of arrival, which
-- `team pull` follows to write each annotator's file in the order it was written.
CREATE TABLE labeldesk_answers (
    batch_id    text NOT NULL REFERENCES labeldesk_batches ON DELETE CASCADE,
    task_id     text NOT NULL,
    annotator   text NOT NULL,
    revision    integer NOT NULL,
    answer      text NOT NULL,
    submitted_at text NOT NULL,
    line        text NOT NULL,
    seq         bigserial NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, task_id, annotator, revision)
);
CREATE INDEX labeldesk_answers_annotator ON labeldesk_answers (batch_id, annotator, seq);
