"""Q&A over Wuhan's East Lake High-Tech Zone action plan that cites the exact task and its bureaus."""
from .types import Answer, Citation, Clause, Hit, Record

__all__ = ["Answer", "Citation", "Clause", "Hit", "Record"]
