class ImportFileError(ValueError):
    """A file that cannot be imported. The message is for editors, in Chinese."""

    def __init__(self, message: str, *, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"第{line}行：{message}" if line else message)
