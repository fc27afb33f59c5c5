"""Plan data without Sphinx: models, loading with line-accurate errors, schema export."""

from .data import HandbookData
from .errors import DataError, DataValidationError
from .loader import available_municipalities, load

__all__ = ["DataError", "DataValidationError", "HandbookData", "available_municipalities", "load"]
