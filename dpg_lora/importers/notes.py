"""What an import reports: notes tied to a place in the input, and the errors that stop it."""
from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"


class ImportError_(Exception):  # noqa: N801 - `ImportError` is a builtin with another meaning
    """Input that cannot be imported at all; the message is one line."""


class UnreadableFileError(ImportError_):
    """The file cannot be read or is not UTF-8 text."""


class NotJSONError(ImportError_):
    """The text is not JSON."""


class NotAnObjectError(ImportError_):
    """The JSON is valid but its root is not an object."""


class BadGraphFileError(ImportError_):
    """A dpg-lora graph file that does not load."""


@dataclass(frozen=True)
class ImportNote:
    severity: str  # "error", "warning" or "info"
    code: str
    where: str  # a JSON path in a config ("dataset_configs[0].image_configs") or a node/edge id
    message: str

    def line(self) -> str:
        return f"{self.severity} {self.code} {self.where or 'file'}: {self.message}"

    __str__ = line


class Notes(list):
    """The notes of one import, in the order they were found."""

    def add(self, severity: str, code: str, where: str, message: str) -> None:
        self.append(ImportNote(severity, code, where, message))

    def error(self, code: str, where: str, message: str) -> None:
        self.add(ERROR, code, where, message)

    def warning(self, code: str, where: str, message: str) -> None:
        self.add(WARNING, code, where, message)

    def info(self, code: str, where: str, message: str) -> None:
        self.add(INFO, code, where, message)
