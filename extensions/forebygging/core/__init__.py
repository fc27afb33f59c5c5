"""Plan data without Sphinx: models, loading with line-accurate errors, schema export."""

from .errors import DataError, DataValidationError
from .loader import HandbookData, available_municipalities, load

__all__ = ["DataError", "DataValidationError", "HandbookData", "available_municipalities", "load"]
