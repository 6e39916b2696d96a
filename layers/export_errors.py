"""The one error every export writer raises, apart from the writers, so none imports another."""


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says why."""
