"""Structured logs: with DIARIUM_LOG_FORMAT=json every log record is one JSON object per
line (time in UTC, level, logger, message, process, and the exception when there is one),
for log collectors that index fields rather than grep text. Extra fields given to a log
call (`log.info("…", extra={"job": id})`) are kept when JSON can carry them."""

from __future__ import annotations

import datetime as dt
import json
import logging

# Attributes every LogRecord has; anything else on a record came in through `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_") and name not in entry:
                entry[name] = value if _plain(value) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _plain(value: object) -> bool:
    return isinstance(value, str | int | float | bool | type(None) | list | dict)
