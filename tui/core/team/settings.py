"""`[team]` in batch.toml: how a team shares one batch (issue 12). Absent: every annotator
labels every task, as before.

```toml
[team]
annotations_per_task = 1          # distinct annotators per task, or "all"
claim_size = 5                    # claims taken ahead per annotator
lease_seconds = 600               # a claim ends on its own after this, unless renewed
order = "file"                    # "file" | "shuffle" | "started-first"
skip = "release"                  # "release" (others get it) | "count" (a skip is an answer)
quota = 500                       # optional: at most this many tasks per annotator
[team.overlap]                    # optional: a sample of tasks that get more annotators
fraction = 0.10                   # or count = 200 (exactly that many)
annotations = 2
seed = 7
stratify_by = "source"            # optional meta field: the same share of every value
[team.routes]                     # optional, with route_by: who may label which tasks
nl = ["anna", "bram"]
```

Every model forbids unknown fields, so a typo is a problem that names its line, never a
silently ignored setting.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    field_validator,
    model_validator,
)

from tui.core.task_type import empty_dict

# Group modes of team folders and files, whatever the umask. Folders: rwx for owner and
# group, setgid so every new file inherits the folder's group, sticky so that only a file's
# owner can delete or rename it (a colleague cannot remove my results). Files everyone writes (the
# ledger): rw for owner and group. Results files: the file mode without group write (each
# results file has one writer; colleagues only read it).
DEFAULT_FILE_MODE = 0o660
DEFAULT_DIR_MODE = 0o3770
MAX_LEASE_SECONDS = 7 * 24 * 3600


def _mode(value: object, what: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected an octal {what} mode such as 0o660")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip().lower().removeprefix("0o")
        if text and all(ch in "01234567" for ch in text):
            return int(text, 8)
    raise ValueError(f'expected an octal {what} mode such as 0o660 or "0660"')


def _annotators(value: object) -> object:
    # One message for the union (pydantic would give one per member, with internal names).
    if value == "all" or (type(value) is int and value >= 1):
        return value
    raise ValueError('expected a number of annotators (1 or more) or "all"')


Annotators = Annotated[PositiveInt | Literal["all"], BeforeValidator(_annotators)]


class OverlapSettings(BaseModel):
    """A sample of tasks that gets more annotators (for agreement), chosen from the seed and
    the task id, so every process picks the same tasks without talking."""

    model_config = ConfigDict(extra="forbid")
    fraction: float | None = Field(default=None, gt=0, le=1)
    count: int | None = Field(default=None, ge=0)
    annotations: Annotators = 2
    seed: int = 0
    stratify_by: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_size(self) -> OverlapSettings:
        if (self.fraction is None) == (self.count is None):
            raise ValueError(
                "give the sample's size as exactly one of fraction (0 < f <= 1, e.g. 0.10) "
                "or count (a number of tasks)"
            )
        return self


class TeamSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    annotations_per_task: Annotators = 1
    overlap: OverlapSettings | None = None
    claim_size: int = Field(default=5, ge=1, le=1000)
    lease_seconds: float = Field(default=600, ge=5, le=MAX_LEASE_SECONDS)
    order: Literal["file", "shuffle", "started-first"] = "file"
    seed: int = 0  # of the shuffled order
    skip: Literal["release", "count"] = "release"
    quota: PositiveInt | None = None
    quotas: dict[str, PositiveInt] = Field(default_factory=empty_dict)  # per annotator, overrides
    route_by: str | None = Field(default=None, min_length=1)
    routes: dict[str, list[str]] = Field(default_factory=empty_dict)
    file_mode: int = DEFAULT_FILE_MODE
    dir_mode: int = DEFAULT_DIR_MODE
    group: str | None = Field(default=None, min_length=1)  # the Unix group expected, if named
    database: str | None = Field(default=None, min_length=1)

    @field_validator("file_mode", mode="before")
    @classmethod
    def _file_mode(cls, value: object) -> int:
        mode = _mode(value, "file")
        if mode & ~0o777:
            raise ValueError(f"a file mode has only permission bits (0o777 at most), got {mode:#o}")
        if mode & 0o660 != 0o660:
            raise ValueError(
                f"the team's files must be readable and writable by owner and group "
                f"(0o660 at least), got {mode:#o}"
            )
        return mode

    @field_validator("dir_mode", mode="before")
    @classmethod
    def _dir_mode(cls, value: object) -> int:
        mode = _mode(value, "folder")
        if mode & ~0o3777:
            raise ValueError(
                "a folder mode has permission bits, setgid and sticky only (0o3777 at most), "
                f"got {mode:#o}"
            )
        if mode & 0o2770 != 0o2770:
            raise ValueError(
                "team folders must be rwx for owner and group and setgid (0o2770 at least), "
                f"got {mode:#o}"
            )
        return mode

    @field_validator("routes")
    @classmethod
    def _routes(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, names in value.items():
            if not names:
                raise ValueError(f"route {key!r} names no annotator: give at least one name")
            if any(not name.strip() for name in names):
                raise ValueError(f"route {key!r} has an empty annotator name")
        return value

    @model_validator(mode="after")
    def _routing_pairs(self) -> TeamSettings:
        if self.route_by is not None and not self.routes:
            raise ValueError(
                f"route_by = {self.route_by!r} needs a [team.routes] table: meta value = "
                "[annotator names]"
            )
        if self.routes and self.route_by is None:
            raise ValueError('[team.routes] needs route_by = "<meta field>" to route by')
        return self

    @property
    def results_file_mode(self) -> int:
        return self.file_mode & ~0o022

    def quota_of(self, annotator: str) -> int | None:
        return self.quotas.get(annotator, self.quota)


class TeamTable(BaseModel):
    """batch.toml's [team] table, validated apart from the rest of batch.toml (so solo
    batches never build the team models): errors name their field as team.<field>."""

    model_config = ConfigDict(extra="forbid")

    team: TeamSettings | None = None
