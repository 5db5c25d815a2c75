"""Media items (image, video, audio): safe paths, probing, thumbnails, waveforms, terminal
previews, external viewers and audio playback.

Modules are imported one by one by their callers; nothing here imports Pillow or
ffmpeg-python at import time, because start-up time matters. See docs/media.md.
"""

from tui.core.media.errors import MediaError, MediaKind

__all__ = ["MediaError", "MediaKind"]
