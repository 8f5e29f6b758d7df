"""A one-line progress bar for the demo-data commands, on stderr."""

import logging
from contextlib import contextmanager

from django.core.management.base import OutputWrapper


class Progress:
    """`label [#########.........]  120/300`, redrawn in place on a terminal. Silent when
    stderr is not a terminal (CI logs, tests, output piped to a file): there a bar
    would only add lines."""

    WIDTH = 30

    def __init__(self, stream, label: str, total: int):
        self.stream, self.label, self.total = stream, label, max(total, 1)
        self.done = 0
        isatty = getattr(stream, "isatty", None)
        self.active = bool(isatty and isatty())
        self._draw()

    def step(self, count: int = 1) -> None:
        self.done = min(self.done + count, self.total)
        self._draw()

    def finish(self) -> None:
        self.done = self.total
        self._draw()
        if self.active:
            self._write("\n")

    def _draw(self) -> None:
        if not self.active:
            return
        filled = self.done * self.WIDTH // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self._write(f"\r{self.label} [{bar}] {self.done:>4}/{self.total}")

    def _write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):  # a command's self.stderr: no colour,
            self.stream.write(text, style_func=str, ending="")  # no line end of its own
        else:
            self.stream.write(text)
        self.stream.flush()


@contextmanager
def quiet_logging():
    """No INFO lines (one per filing, transition and alert: thousands for the demo
    data) while the block runs; warnings and errors still show."""
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
