"""Models shared by several task types (no Textual here)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tui.core.i18n import _


class SpanHint(BaseModel):
    """A Prodigy-style span: character offsets [start, end) and a label."""

    model_config = ConfigDict(extra="allow")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: str | None = None


def unique_labels(labels: list[str]) -> list[str]:
    seen: set[str] = set()
    for label in labels:
        if not label.strip():
            raise ValueError(_("labels may not be empty strings"))
        if label in seen:
            raise ValueError(_("label {label!r} is listed twice").format(label=label))
        seen.add(label)
    return labels


class LabelList(BaseModel):
    """A non-empty list of distinct labels."""

    labels: list[str] = Field(min_length=1)

    @field_validator("labels")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return unique_labels(value)
