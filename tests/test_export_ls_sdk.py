"""Label Studio's own converter (label_studio_sdk.converter, from PyPI) reads our Label
Studio export and its labeling config (issue 14): spans become CoNLL 2003 with the same
entities, token for token; a classification becomes LS's JSON-MIN with the same choices."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.test_audit_support import result, write_results
from tui.cli import main

REPO = Path(__file__).resolve().parent.parent


def _export(folder: Path, out: Path) -> tuple[Path, str]:
    export, config = out / "export.json", out / "config.xml"
    code = main(
        [
            "export",
            str(folder),
            "--format",
            "label-studio",
            "-o",
            str(export),
            "--config-out",
            str(config),
        ]
    )
    assert code == 0
    return export, config.read_text(encoding="utf-8")


def _batch_id(folder: Path) -> str:
    import tomllib

    return str(tomllib.loads((folder / "batch.toml").read_text(encoding="utf-8"))["id"])


def _sample(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(
        REPO / "samples" / name, folder, ignore=shutil.ignore_patterns("results", "audits")
    )
    return folder


def test_label_studio_reads_our_span_export_as_conll(tmp_path: Path) -> None:
    from label_studio_sdk.converter import Converter

    folder = _sample(tmp_path, "spans-en")
    spans = [
        {"start": 0, "end": 13, "label": "PER", "token_start": 0, "token_end": 1},
        {"start": 32, "end": 39, "label": "LOC", "token_start": 5, "token_end": 5},
        {"start": 45, "end": 54, "label": "ORG", "token_start": 7, "token_end": 7},
    ]
    record = result("anna", "ner-en-0001", {"spans": spans}, task_type="spans")
    write_results(folder, [record.model_copy(update={"batch_id": _batch_id(folder)})])
    export, config = _export(folder, tmp_path)
    converter = Converter(config=config, project_dir=str(tmp_path), download_resources=False)
    converter.convert_to_conll2003(str(export), str(tmp_path / "conll"), is_dir=False)
    lines = (tmp_path / "conll" / "result.conll").read_text(encoding="utf-8").splitlines()
    tagged = [(line.split()[0], line.split()[-1]) for line in lines[1:] if line.strip()]
    entities = [(token, tag) for token, tag in tagged if tag != "O"]
    assert entities == [
        ("Satya", "B-PER"),
        ("Nadella", "I-PER"),
        ("Seattle", "B-LOC"),
        ("Microsoft", "B-ORG"),
    ]


def test_label_studio_reads_our_classification_export_as_json_min(tmp_path: Path) -> None:
    from label_studio_sdk.converter import Converter

    folder = _sample(tmp_path, "classify-en")
    batch_id = _batch_id(folder)
    first = json.loads((folder / "tasks.jsonl").read_text().splitlines()[0])["id"]
    record = result("anna", first, {"labels": ["coding", "math"]})
    write_results(folder, [record.model_copy(update={"batch_id": batch_id})])
    export, config = _export(folder, tmp_path)
    converter = Converter(config=config, project_dir=str(tmp_path), download_resources=False)
    converter.convert_to_json_min(str(export), str(tmp_path / "min"), is_dir=False)
    [row] = json.loads((tmp_path / "min" / "result.json").read_text(encoding="utf-8"))
    chosen = [v for k, v in row.items() if isinstance(v, dict) and "choices" in v]
    assert chosen and sorted(chosen[0]["choices"]) == ["coding", "math"]
