"""Domain errors raised by the services of every app. Each class says what kind of no
it is; the API's exception handler (core.api_errors) alone turns it into an HTTP status,
so the whole API has one JSON error shape.

Each app keeps its own messages as constants (cases/errors.py, workflows/errors.py) so the
tests can import them.
"""


class DomainError(Exception):
    """A rule said no: `message` for people, `errors` per field ({name: [messages]})."""

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(DomainError):
    """No such thing, or not within the user's reach (the two look alike)."""


class Forbidden(DomainError):
    """The user's role may not do this."""


class Conflict(DomainError):
    """Not now: the record's state, or someone else's change, stands in the way."""


class InvalidInput(DomainError):
    """What was sent is wrong; `errors` says where."""


class TooLarge(DomainError):
    """An upload over its size limit."""
