"""pydantic's validation messages in the interface's language.

pydantic writes its messages in English only. Each error carries a `type` (missing,
string_type, literal_error, ...) and a `ctx` with the values its message names (ge, expected,
min_length, ...): MESSAGES keys a translatable template by type, filled from ctx. English, and
a type without a template (or without a translation), keep pydantic's own text unchanged.
Field names and the values read from the file are never translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.core.i18n import N_, SOURCE_LANGUAGE, _, current_language, ngettext

# The templates name pydantic's ctx keys: {ge}, {expected}, {error}, ... (pydantic-core's
# message_template_python, for the types a batch.toml or a task line can run into).
MESSAGES: dict[str, str] = {
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_(
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "none_required": N_("Input should be None"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "multiple_of": N_("Input should be a multiple of {multiple_of}"),
    "finite_number": N_("Input should be a finite number"),
    "iterable_type": N_("Input should be iterable"),
    "string_type": N_("Input should be a valid string"),
    "string_sub_type": N_("Input should be a string, not an instance of a subclass of str"),
    "string_unicode": N_(
        "Input should be a valid string, unable to parse raw data as a unicode string"
    ),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "string_not_ascii": N_("String should contain only ASCII characters"),
    "enum": N_("Input should be {expected}"),
    "literal_error": N_("Input should be {expected}"),
    "dict_type": N_("Input should be a valid dictionary"),
    "list_type": N_("Input should be a valid list"),
    "tuple_type": N_("Input should be a valid tuple"),
    "set_type": N_("Input should be a valid set"),
    "set_item_not_hashable": N_("Set items should be hashable"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_parsing_size": N_("Unable to parse input string as an integer, exceeded maximum size"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "value_error": N_("Value error, {error}"),
    "assertion_error": N_("Assertion failed, {error}"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "datetime_type": N_("Input should be a valid datetime"),
    "datetime_parsing": N_("Input should be a valid datetime, {error}"),
    "union_tag_invalid": N_(
        "Input tag '{tag}' found using {discriminator} does not match any of the expected "
        "tags: {expected_tags}"
    ),
    "union_tag_not_found": N_("Unable to extract tag using discriminator {discriminator}"),
}

# too_short and friends name what is too short: "List should have at least 1 item".
FIELD_TYPES: dict[str, str] = {
    "List": N_("List"),
    "Tuple": N_("Tuple"),
    "Set": N_("Set"),
    "Frozenset": N_("Frozenset"),
    "Dictionary": N_("Dictionary"),
    "Value": N_("Value"),
    "Data": N_("Data"),
}


def _counted(kind: str, ctx: Mapping[str, Any]) -> str | None:
    """The templates with a count in them (ngettext: Dutch has its own plural forms)."""
    if kind == "too_short":
        return ngettext(
            "{field_type} should have at least {min_length} item after validation, not "
            "{actual_length}",
            "{field_type} should have at least {min_length} items after validation, not "
            "{actual_length}",
            int(ctx["min_length"]),
        )
    if kind == "too_long":
        return ngettext(
            "{field_type} should have at most {max_length} item after validation, not "
            "{actual_length}",
            "{field_type} should have at most {max_length} items after validation, not "
            "{actual_length}",
            int(ctx["max_length"]),
        )
    if kind == "string_too_short":
        return ngettext(
            "String should have at least {min_length} character",
            "String should have at least {min_length} characters",
            int(ctx["min_length"]),
        )
    if kind == "string_too_long":
        return ngettext(
            "String should have at most {max_length} character",
            "String should have at most {max_length} characters",
            int(ctx["max_length"]),
        )
    return None


def _shown(value: Any) -> str:
    # pydantic writes a whole float bound without its ".0" (ge=0.0 -> "0"); so do we.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" with the language's word for "or" (the names stay)."""
    first, found, last = expected.rpartition(" or ")
    if not found:
        return expected
    return _("{first} or {last}").format(first=first, last=last)


def error_message(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ValidationError.errors()) in the interface's
    language: its template by type, filled from ctx; else pydantic's English message."""
    english = str(error.get("msg", ""))
    if current_language() == SOURCE_LANGUAGE:
        return english
    kind = str(error.get("type", ""))
    ctx = {key: _shown(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        counted = _counted(kind, error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return english
    if counted is not None:
        template = counted
        if "field_type" in ctx:
            known = FIELD_TYPES.get(ctx["field_type"])
            ctx["field_type"] = _(known) if known else ctx["field_type"]
    else:
        source = MESSAGES.get(kind)
        if source is None:
            return english
        template = _(source)
        if template == source:  # not translated: pydantic says it better than our copy
            return english
    if kind in ("literal_error", "enum") and "expected" in ctx:
        ctx["expected"] = _choices(ctx["expected"])
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return english


def refusal_text(exc: Exception) -> str:
    """Why a value was refused, for a status line: in English pydantic's own text (as
    before); in another language each error as "[field] message", translated."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError) or current_language() == SOURCE_LANGUAGE:
        return str(exc)
    parts = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"])
        said = error_message(error)
        parts.append(f"[{field}] {said}" if field else said)
    return "; ".join(parts)
