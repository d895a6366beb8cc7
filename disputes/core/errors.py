class CaseInputError(ValueError):
    """Bad input for a case; `field` names the input it is about."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class TransitionRefused(Exception):
    """The case is not in a state that allows this change (HTTP 409)."""


class NotAllowed(Exception):
    """The user may see the case but not make this change (HTTP 403)."""


class IdempotencyConflict(Exception):
    """The client key was used before with a different request (HTTP 422)."""
