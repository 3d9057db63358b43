"""A plain-text progress line on standard error: phase, bar, percentage, MB and MB/s."""

from __future__ import annotations

from typing import TextIO

WIDTH = 24


class _Unended:
    """A management command's OutputWrapper, writing without its line ending."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


class ProgressLine:
    def __init__(self, stream: TextIO | _Unended, label: str = "") -> None:
        self.stream = stream
        self.label = label
        self._phase = ""

    @classmethod
    def for_command(cls, command, label: str = "") -> ProgressLine:
        return cls(_Unended(command.stderr), label)

    def __call__(self, phase: str, done: int, total: int, seconds: float) -> None:
        if not phase:
            return
        if phase != self._phase:
            if self._phase:
                self.stream.write("\n")
            self._phase = phase
        rate = done / 1e6 / seconds if seconds > 0 else 0.0
        if total:
            filled = min(WIDTH, int(WIDTH * done / total))
            bar = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {100 * done / total:5.1f}%"
        else:
            bar = f"[{'?' * WIDTH}]   ?  "
        self.stream.write(f"\r{self.label}{phase:<8} {bar} {done / 1e6:10.1f} MB "
                          f"{rate:8.1f} MB/s")
        self.stream.flush()

    def end(self) -> None:
        if self._phase:
            self.stream.write("\n")
            self.stream.flush()
            self._phase = ""
