"""The byte-offset index: lines, line numbers, growth, and readers beside a scanning worker."""

from __future__ import annotations

import threading
from pathlib import Path

from tui.core.jsonl_index import JsonlIndex


def test_lines_blank_lines_bom_crlf_and_an_open_tail(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a":1}\r\n\n  \n{"b":2}\n{"c":3}')
    index = JsonlIndex(path)
    assert index.scan() is True
    assert [index.line(i) for i in range(len(index))] == [b'{"a":1}', b'{"b":2}', b'{"c":3}']
    assert [index.line_number(i) for i in range(len(index))] == [1, 4, 5]
    assert index.has_bom and index.crlf
    assert index.complete  # an unterminated last line is indexed, so nothing is pending
    with path.open("ab") as fh:
        fh.write(b'4}\n{"d":5}\n')
    assert not index.complete
    index.scan()
    assert [index.line(i) for i in range(len(index))] == [
        b'{"a":1}',
        b'{"b":2}',
        b'{"c":3}4}',
        b'{"d":5}',
    ]
    assert index.complete


def test_partial_scans_resume_where_they_stopped(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text("".join(f'{{"n":{i}}}\n' for i in range(1000)))
    index = JsonlIndex(path)
    assert index.scan(max_lines=256) is False and len(index) == 256 and not index.complete
    index.scan()
    assert len(index) == 1000 and index.complete
    assert index.line(999) == b'{"n":999}' and index.line_number(999) == 1000


def test_readers_beside_a_scanning_worker_never_see_a_half_update(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text("".join(f'{{"n":{i}}}\n' for i in range(20000)) + '{"open": 1}')
    index = JsonlIndex(path)
    index.scan(max_lines=10)
    errors: list[BaseException] = []
    stop = threading.Event()

    def scanner() -> None:
        for _ in range(200):
            index.scan(max_lines=500)
        stop.set()

    def reader() -> None:
        while not stop.is_set():
            try:
                n = len(index)
                _offset, length, line_no = index.entry(n - 1)
                assert length > 0 and line_no >= n
            except BaseException as exc:  # any inconsistency is a failure
                errors.append(exc)
                return

    threads = [threading.Thread(target=scanner), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(index) == 20001
