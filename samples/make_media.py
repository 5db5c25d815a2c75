"""Regenerate the media samples (image-*, video-*, audio-*): small real media made with ffmpeg
and espeak-ng, and their tasks.jsonl and batch.toml. guidelines.md are written by hand.

    python samples/make_media.py            # all six batches
    python samples/make_media.py audio-nl   # one batch

Everything stays small (under 2 MB for all six): 160×120 pictures, 5 s 10 fps clips,
Opus speech at 24 kbit/s. Media files are shared by several items where that is natural.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = "160x120"


def run(*argv: str) -> None:
    subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, capture_output=True)


def ffmpeg(*args: str) -> None:
    run("ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args)


def write_batch(folder: Path, toml: str, tasks: Sequence[Mapping[str, object]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "batch.toml").write_text(toml.strip() + "\n", encoding="utf-8")
    lines = (json.dumps(t, ensure_ascii=False) + "\n" for t in tasks)
    (folder / "tasks.jsonl").write_text("".join(lines), encoding="utf-8")


def fresh_media(folder: Path) -> Path:
    media = folder / "media"
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    return media


# -- images ----------------------------------------------------------------------------
PICTURES = {  # file stem -> lavfi source
    "testbeeld": f"testsrc=size={SIZE}",
    "kleurbalken": f"smptebars=size={SIZE}",
    "rgb": f"rgbtestsrc=size={SIZE}",
    "fractal": f"mandelbrot=size={SIZE}",
    "rood": f"color=c=red:size={SIZE}",
    "blauw": f"color=c=navy:size={SIZE}",
    "verloop": f"gradients=size={SIZE}:seed=3",
    "ruis": f"cellauto=size={SIZE}:rule=30",
}
PICTURE_CLASS = {
    "testbeeld": ("testbeeld", "test card"),
    "kleurbalken": ("kleurbalken", "colour bars"),
    "rgb": ("kleurbalken", "colour bars"),
    "fractal": ("fractal", "fractal"),
    "rood": ("effen kleur", "solid colour"),
    "blauw": ("effen kleur", "solid colour"),
    "verloop": ("verloop", "gradient"),
    "ruis": ("patroon", "pattern"),
}


def make_pictures(media: Path) -> list[str]:
    names = []
    for stem, source in PICTURES.items():
        name = f"{stem}.png" if stem in ("testbeeld", "rgb", "ruis") else f"{stem}.jpg"
        ffmpeg("-f", "lavfi", "-i", source, "-frames:v", "1", "-q:v", "5", str(media / name))
        names.append(name)
    return names


def image_nl() -> None:
    folder = HERE / "image-nl"
    names = make_pictures(fresh_media(folder))
    vragen = ["Wat voor beeld is dit?", "Welk soort testbeeld zie je?", None]
    tasks = [
        {
            "id": f"img-nl-{i + 1:03d}",
            "image": f"media/{names[i % len(names)]}",
            **({"text": vragen[i % 3]} if vragen[i % 3] else {}),
            "meta": {
                "bron": "ffmpeg lavfi",
                "verwacht": PICTURE_CLASS[names[i % len(names)][:-4]][0],
            },
        }
        for i in range(24)
    ]
    write_batch(
        folder,
        """
id = "image-nl-demo"
title = "Testbeelden classificeren"
task_type = "image"
language = "nl"
guidelines = "guidelines.md"
target_per_hour = 600
[task]
labels = ["testbeeld", "kleurbalken", "effen kleur", "fractal", "verloop", "patroon"]
multi = false
""",
        tasks,
    )


def image_en() -> None:
    folder = HERE / "image-en"
    names = make_pictures(fresh_media(folder))
    tasks = [
        {
            "id": f"img-en-{i + 1:03d}",
            "image": f"media/{names[i % len(names)]}",
            "text": "Describe the picture in one sentence and tag what it shows.",
            "meta": {
                "source": "ffmpeg lavfi",
                "expected": PICTURE_CLASS[names[i % len(names)][:-4]][1],
            },
        }
        for i in range(22)
    ]
    write_batch(
        folder,
        """
id = "image-en-demo"
title = "Describe and tag test pictures"
task_type = "image"
language = "en"
guidelines = "guidelines.md"
target_per_hour = 180
[task]
labels = ["test card", "colour bars", "solid colour", "fractal", "gradient", "pattern", "text visible"]
multi = true
describe = true
min_chars = 10
""",
        tasks,
    )


# -- video -----------------------------------------------------------------------------
CLIPS = {  # name -> [(source, seconds)]: colour bars and a moving pattern, in turns
    "bars-pattern": [("smptebars", 2.0), ("testsrc", 3.0)],
    "pattern-bars-pattern": [("testsrc", 1.5), ("smptebars", 2.0), ("testsrc", 1.5)],
    "bars-only": [("smptehdbars", 4.0)],
    "pattern-bars": [("testsrc2", 3.0), ("smptebars", 2.0)],
}


def make_clips(media: Path) -> dict[str, list[tuple[float, float, str]]]:
    truth: dict[str, list[tuple[float, float, str]]] = {}
    for name, parts in CLIPS.items():
        args: list[str] = []
        for source, seconds in parts:
            args += ["-f", "lavfi", "-i", f"{source}=size={SIZE}:rate=10:duration={seconds}"]
        n = len(parts)
        graph = "".join(f"[{i}:v]" for i in range(n)) + f"concat=n={n}:v=1:a=0[v]"
        out = str(media / f"{name}.mp4")
        ffmpeg(*args, "-filter_complex", graph, "-map", "[v]", "-c:v", "libx264",
               "-preset", "veryslow", "-crf", "32", "-pix_fmt", "yuv420p", out)  # fmt: skip
        t = 0.0
        truth[name] = []
        for source, seconds in parts:
            kind = "bars" if "bars" in source else "pattern"
            truth[name].append((t, t + seconds, kind))
            t += seconds
    return truth


def video(lang: str) -> None:
    folder = HERE / f"video-{lang}"
    truth = make_clips(fresh_media(folder))
    names = list(CLIPS)
    if lang == "nl":
        words = {"bars": "kleurbalken", "pattern": "bewegend patroon"}
        question = "Markeer elk stuk kleurbalken en elk stuk bewegend patroon."
        header = """
id = "video-nl-demo"
title = "Videofragmenten: kleurbalken of bewegend patroon"
task_type = "video"
language = "nl"
guidelines = "guidelines.md"
target_per_hour = 90
[task]
labels = ["kleurbalken", "bewegend patroon"]
item_labels = ["bruikbaar", "beschadigd", "twijfel"]
"""
    else:
        words = {"bars": "colour bars", "pattern": "moving pattern"}
        question = "Mark every stretch of colour bars and of moving pattern."
        header = """
id = "video-en-demo"
title = "Video clips: colour bars or moving pattern"
task_type = "video"
language = "en"
guidelines = "guidelines.md"
target_per_hour = 90
[task]
labels = ["colour bars", "moving pattern"]
item_labels = ["usable", "damaged", "unsure"]
"""
    tasks = []
    for i in range(20):
        name = names[i % len(names)]
        tasks.append(
            {
                "id": f"vid-{lang}-{i + 1:03d}",
                "video": f"media/{name}.mp4",
                "text": question,
                "meta": {
                    "truth": [
                        {"start_s": a, "end_s": b, "label": words[k]} for a, b, k in truth[name]
                    ]
                },
            }
        )
    write_batch(folder, header, tasks)


# -- audio -----------------------------------------------------------------------------
SENTENCES = {
    "nl": [
        "Goedemorgen, hoe gaat het met u?",
        "De trein naar Utrecht vertrekt om tien over half negen.",
        "Wilt u de deur achter u dichtdoen?",
        "Morgen wordt het zonnig met een kleine kans op regen.",
        "Ik heb mijn fiets bij het station laten staan.",
        "Het museum is op maandag gesloten.",
        "Twee koffie en een thee, alstublieft.",
        "De vergadering begint om drie uur.",
        "Kunt u dat nog een keer herhalen?",
        "Er staat een file op de snelweg bij Amsterdam.",
    ],
    "en": [
        "Good morning, how are you today?",
        "The next train to London leaves at half past eight.",
        "Please close the door behind you.",
        "Tomorrow will be sunny with a small chance of rain.",
        "I left my bicycle at the station.",
        "The museum is closed on Mondays.",
        "Two coffees and a tea, please.",
        "The meeting starts at three o'clock.",
        "Could you say that again, please?",
        "There is a traffic jam on the motorway.",
    ],
}


def speak(text: str, voice: str, out: Path, noise: bool = False, other: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        run("espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text)
        args = ["-i", str(wav)]
        graph = "[0:a]aresample=16000,apad=pad_dur=0.4[a]"
        if noise:
            args += ["-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.08:sample_rate=16000"]
            graph = "[0:a]aresample=16000[s];[s][1:a]amix=inputs=2:duration=first[a]"
        elif other is not None:
            args += ["-i", str(other)]
            graph = (
                "[0:a]aresample=16000[s];[1:a]aresample=16000,adelay=900,volume=0.8[o];"
                "[s][o]amix=inputs=2:duration=longest[a]"
            )
        ffmpeg(*args, "-filter_complex", graph, "-map", "[a]", "-ac", "1",
               "-c:a", "libopus", "-b:a", "20k", str(out))  # fmt: skip


def audio(lang: str) -> None:
    folder = HERE / f"audio-{lang}"
    media = fresh_media(folder)
    voice = "nl" if lang == "nl" else "en-gb"
    other_voice = "en-gb" if lang == "nl" else "nl"
    sentences = SENTENCES[lang]
    tasks: list[dict[str, object]] = []
    made: list[tuple[str, str, list[str]]] = []  # file, reference, expected quality
    for i, sentence in enumerate(sentences):
        name = f"zin-{i + 1:02d}.opus" if lang == "nl" else f"line-{i + 1:02d}.opus"
        speak(sentence, voice, media / name)
        made.append((name, sentence, []))
    speak(sentences[1], voice, media / "ruis.opus", noise=True)
    made.append(("ruis.opus", sentences[1], ["noise"]))
    foreign = SENTENCES["en" if lang == "nl" else "nl"][2]
    speak(foreign, other_voice, media / "anders.opus")
    made.append(("anders.opus", foreign, ["other_language"]))
    with tempfile.TemporaryDirectory() as tmp:
        second = Path(tmp) / "second.wav"
        run("espeak-ng", "-v", voice + ("+f3" if lang == "nl" else "+m3"), "-w", str(second),
            sentences[6])  # fmt: skip
        speak(sentences[5], voice, media / "door-elkaar.opus", other=second)
    made.append(("door-elkaar.opus", sentences[5], ["overlapping_speech"]))
    for i in range(24):
        name, reference, quality = made[i % len(made)]
        tasks.append(
            {
                "id": f"aud-{lang}-{i + 1:03d}",
                "audio": f"media/{name}",
                "meta": {"reference": reference, "expected_quality": quality, "tts": "espeak-ng"},
            }
        )
    if lang == "nl":
        header = """
id = "audio-nl-demo"
title = "Spraak uitschrijven (Nederlands)"
task_type = "audio"
language = "nl"
guidelines = "guidelines.md"
target_per_hour = 120
[task]
labels = ["spraak", "stilte", "ruis"]
transcribe = true
"""
    else:
        header = """
id = "audio-en-demo"
title = "Transcribe speech (English)"
task_type = "audio"
language = "en"
guidelines = "guidelines.md"
target_per_hour = 120
[task]
labels = ["speech", "silence", "noise"]
transcribe = true
"""
    write_batch(folder, header, tasks)


BATCHES: dict[str, Callable[[], None]] = {
    "image-nl": image_nl,
    "image-en": image_en,
    "video-nl": lambda: video("nl"),
    "video-en": lambda: video("en"),
    "audio-nl": lambda: audio("nl"),
    "audio-en": lambda: audio("en"),
}


def main(argv: list[str]) -> int:
    for tool in ("ffmpeg", "espeak-ng"):
        if shutil.which(tool) is None:
            print(f"{tool} is needed to make the media samples", file=sys.stderr)
            return 1
    wanted = argv or list(BATCHES)
    for name in wanted:
        if name not in BATCHES:
            print(f"unknown batch {name!r}; known: {', '.join(BATCHES)}", file=sys.stderr)
            return 2
        BATCHES[name]()
        size = sum(p.stat().st_size for p in (HERE / name / "media").iterdir())
        print(f"{name}: {size / 1000:.0f} KB of media")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
