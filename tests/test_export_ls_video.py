"""Video segments in Label Studio (issue 14): TimelineLabels regions, `value.ranges` in frames
at the task's frame rate, `<Video frameRate="$fps">` + `<TimelineLabels>` in the config —
checked against Label Studio's own SDK (label_studio_sdk.label_interface validates each
result against the config) — and read back by the Label Studio imports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.export_factory import batch_with_answers
from tui.cli import main
from tui.core.batch import Batch
from tui.core.export.formats import ExportOptions, write_export
from tui.core.export.label_studio import (
    frames_to_seconds,
    labeling_config,
    seconds_to_frames,
)
from tui.core.export.records import iter_records, open_source
from tui.core.importing.build import ImportRequest, run_import


def _export(folder: Path, fmt: str = "label-studio", fps: float | None = None) -> Any:
    out = io.BytesIO()
    write_export(open_source(folder), ExportOptions(format=fmt, fps=fps), out)
    return orjson.loads(out.getvalue())


def _first_segments(folder: Path) -> dict[str, Any]:
    first: dict[str, Any] = {}
    for record in iter_records(open_source(folder)):
        decided = record.answer in ("accept", "reject")
        first.setdefault(record.task_id, record.value["segments"] if decided else None)
    return first


def test_frames_are_one_based_and_hold_every_frame_the_segment_covers() -> None:
    assert seconds_to_frames(0.0, 2.0, 24) == (1, 48)
    assert seconds_to_frames(0.5, 2.0, 24) == (13, 48)
    assert seconds_to_frames(0.51, 0.52, 24) == (13, 13)  # within one frame: that frame
    assert seconds_to_frames(1.5, 3.5, 25) == (38, 88)
    assert frames_to_seconds(13, 48, 24) == (0.5, 2.0)
    # 1.5-3.5 s is mid-frame at 25 fps: back it comes as the whole frames it touched.
    assert frames_to_seconds(38, 88, 25) == (1.48, 3.52)
    assert frames_to_seconds(1, 1, 30) == (0.0, 0.033)


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return batch_with_answers(tmp_path_factory.mktemp("video"), "video")


def test_segments_are_timeline_labels_in_frames(video: Path) -> None:
    tasks = _export(video)
    first = _first_segments(video)
    checked = 0
    for task in tasks:
        assert task["data"]["fps"] == 24.0  # Label Studio's default, for frameRate="$fps"
        for annotation in task["annotations"]:
            for item in annotation["result"]:
                assert item["type"] != "labels"  # seconds on a video: what LS does not read
                if item["type"] == "timelinelabels":
                    assert item["from_name"] == "segment" and item["to_name"] == "video"
                    [frames] = item["value"]["ranges"]
                    assert all(type(frames[k]) is int for k in ("start", "end"))
                    checked += 1
        segments = first[task["meta"]["labeldesk_id"]]
        if segments:
            ranges = [
                i["value"]["ranges"][0]
                for i in task["annotations"][0]["result"]
                if i["type"] == "timelinelabels"
            ]
            assert ranges == [
                dict(
                    zip(
                        ("start", "end"),
                        seconds_to_frames(s["start_s"], s["end_s"], 24),
                        strict=True,
                    )
                )
                for s in segments
            ]
    assert checked
    config = labeling_config("video", dict(Batch.open(video).config.task))
    assert '<Video name="video" value="$video" frameRate="$fps"/>' in config
    assert '<TimelineLabels name="segment" toName="video">' in config


def test_label_studio_sdk_accepts_every_result_against_the_config(video: Path) -> None:
    interface_module = pytest.importorskip("label_studio_sdk.label_interface")
    config = labeling_config("video", dict(Batch.open(video).config.task))
    interface = interface_module.LabelInterface(config)
    tasks = _export(video)
    results = [a["result"] for t in tasks for a in t["annotations"] if a["result"]]
    assert results
    for result in results:
        assert interface.validate_prediction({"result": result}, return_errors=True) == []
    # The validator is not vacuous: the old export (Labels in seconds) and an unknown
    # label are refused against this config.
    seconds = [
        {
            "from_name": "segment",
            "to_name": "video",
            "type": "labels",
            "value": {"start": 0.5, "end": 2.0, "labels": ["colour bars"]},
        }
    ]
    assert interface.validate_prediction({"result": seconds}, return_errors=True) != []
    unknown = [
        {
            "from_name": "segment",
            "to_name": "video",
            "type": "timelinelabels",
            "value": {"ranges": [{"start": 1, "end": 2}], "timelinelabels": ["no such label"]},
        }
    ]
    assert interface.validate_prediction({"result": unknown}, return_errors=True) != []


def test_fps_option_and_a_tasks_own_frame_rate(video: Path, tmp_path: Path) -> None:
    at_25 = _export(video, fps=25)
    assert {t["data"]["fps"] for t in at_25} == {25.0}
    # A task's own `fps` wins over --fps.
    folder = batch_with_answers(tmp_path, "video")
    lines = (folder / "tasks.jsonl").read_bytes().splitlines()
    first = {**orjson.loads(lines[0]), "fps": 30}
    (folder / "tasks.jsonl").write_bytes(b"\n".join([orjson.dumps(first), *lines[1:]]) + b"\n")
    tasks = _export(folder, fps=25)
    assert tasks[0]["data"]["fps"] == 30 and tasks[1]["data"]["fps"] == 25.0
    segment = _first_segments(folder)[first["id"]][0]
    [item] = [i for i in tasks[0]["annotations"][0]["result"] if i["type"] == "timelinelabels"]
    start, end = seconds_to_frames(segment["start_s"], segment["end_s"], 30)
    assert item["value"]["ranges"] == [{"start": start, "end": end}]


def test_cli_export_with_fps_then_import_gives_the_segments_back(
    video: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported, config = tmp_path / "ls.json", tmp_path / "ls.xml"
    code = main(
        [
            "export",
            str(video),
            "-f",
            "label-studio",
            "--fps",
            "20",
            "-o",
            str(exported),
            "--config-out",
            str(config),
        ]
    )
    assert code == 0
    assert "<TimelineLabels" in config.read_text(encoding="utf-8")
    (tmp_path / "media").symlink_to(video / "media")
    # Without --fps the import reads each task's `fps` (20): the same seconds come back
    # (the segments' edges fall on frames at 20 fps; between frames a range holds the
    # whole frames it touches, see the first test).
    out = tmp_path / "back"
    code = main(
        [
            "import",
            str(exported),
            "-f",
            "label-studio",
            "-t",
            "video",
            "--answers",
            "gold",
            "-o",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    first = _first_segments(video)
    back = [orjson.loads(x) for x in (out / "tasks.jsonl").read_bytes().splitlines()]
    assert back and all(
        t.get("gold", {}).get("segments") == first[t["id"]] for t in back if first[t["id"]]
    )
    assert all(t["fps"] == 20.0 for t in back)  # not Label Studio's default: kept
    assert Batch.open(out).validate_all()[0] == []


def test_bad_fps_is_refused_by_the_cli(video: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["export", str(video), "-f", "label-studio", "--fps", "zero"])
    assert stop.value.code == 2
    assert "expected a number of frames a second, got 'zero'" in capsys.readouterr().err
    assert main(["export", str(video), "-f", "csv", "--fps", "25"]) == 2
    assert "--fps goes with the label-studio formats" in capsys.readouterr().err


def test_timeline_ranges_from_label_studio_are_read_at_the_given_rate(tmp_path: Path) -> None:
    """A Label Studio project's own export (no `fps` in the data): --fps gives the rate;
    a range that is not two frame numbers is reported with its task."""
    media = tmp_path / "media"
    media.mkdir()
    (media / "clip.mp4").write_bytes(b"\x00" * 16)
    result = lambda ranges: [  # noqa: E731
        {
            "from_name": "timeline",
            "to_name": "video",
            "type": "timelinelabels",
            "value": {"ranges": ranges, "timelinelabels": ["Movement"]},
        }
    ]
    export = [
        {
            "id": 7,
            "data": {"video": "media/clip.mp4"},
            "annotations": [{"id": 1, "result": result([{"start": 31, "end": 60}])}],
        },
        {
            "id": 8,
            "data": {"video": "media/clip.mp4"},
            "annotations": [{"id": 2, "result": result([{"start": "a", "end": 3}])}],
        },
    ]
    source = tmp_path / "project.json"
    source.write_bytes(orjson.dumps(export))
    imported = run_import(
        ImportRequest(source, "label-studio", "video", tmp_path / "b", answers="gold", fps=30)
    )
    said = "\n".join(str(p) for p in imported.problems)
    assert (
        "task 2: not imported: a timelinelabels range must have numeric `start` and `end`" in said
    )
    [task] = [json.loads(x) for x in (tmp_path / "b" / "tasks.jsonl").read_text().splitlines()]
    assert task["id"] == "7" and "fps" not in task
    assert task["gold"]["segments"] == [{"start_s": 1.0, "end_s": 2.0, "label": "Movement"}]


def test_label_studio_converters_json_min_of_a_video_export_is_imported(
    video: Path, tmp_path: Path
) -> None:
    """labeldesk's export → Label Studio's converter (JSON-MIN, from the config) → labeldesk's
    label-studio-min import: the segments of the annotation Label Studio puts first."""
    converter_module = pytest.importorskip("label_studio_sdk.converter")
    exported, config = tmp_path / "ls.json", tmp_path / "ls.xml"
    args = ["export", str(video), "-f", "label-studio", "-o", str(exported)]
    assert main([*args, "--config-out", str(config)]) == 0
    converter = converter_module.Converter(
        config=config.read_text(encoding="utf-8"),
        project_dir=str(tmp_path),
        download_resources=False,
    )
    converter.convert_to_json_min(str(exported), str(tmp_path / "min"), is_dir=False)
    source = tmp_path / "min" / "result.json"
    rows = json.loads(source.read_text(encoding="utf-8"))
    assert any(isinstance(r.get("segment"), list) for r in rows)
    (tmp_path / "min" / "media").symlink_to(video / "media")
    result = run_import(
        ImportRequest(source, "label-studio-min", "video", tmp_path / "back", answers="gold")
    )
    errors = [p for p in result.problems if p.severity == "error"]
    assert all("another answer to a task already imported" in p.message for p in errors)
    back = {
        t["id"]: t
        for t in (
            json.loads(x) for x in (tmp_path / "back" / "tasks.jsonl").read_text().splitlines()
        )
    }
    checked = 0
    seen: set[Any] = set()
    for row in rows:
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        expected = [
            {"start_s": s, "end_s": e, "label": label}
            for value in row.get("segment", [])
            for r in value["ranges"]
            for (s, e) in [frames_to_seconds(r["start"], r["end"], row["fps"])]
            for label in value["timelinelabels"]
        ]
        gold = back[str(row["id"])].get("gold") or {}
        assert gold.get("segments", []) == expected
        assert gold.get("labels", []) == (
            [row["label"]] if isinstance(row.get("label"), str) else []
        )
        checked += bool(expected)
    assert checked
