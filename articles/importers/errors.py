class ImporterError(ValueError):
    """A file the importers cannot take, or an import that cannot be saved.

    ``message`` is for editors, in Chinese; ``line`` is the source line it concerns, when known;
    ``english`` is for the command line (the Chinese text when no English one was given).
    Callers catch this one type whatever was being imported.
    """

    def __init__(self, message: str, *, line: int | None = None, english: str = ""):
        self.message = message
        self.line = line
        super().__init__(f"第{line}行：{message}" if line else message)
        self.english = english or str(self)


class ImportFileError(ImporterError):
    """A print-text file that cannot be imported as an issue."""


class DocxImportError(ImporterError):
    """A Word file that cannot be imported as an article."""
