"""The one error type blocks raise: it names the parameter (field) at fault."""
from __future__ import annotations


class BlockError(ValueError):
    """An illegal parameter value or input shape, located by field (``None``: the inputs)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
