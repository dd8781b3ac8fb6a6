"""Typed domain errors with translatable messages; views map them to flashes, the API to JSON."""


class DomainError(Exception):
    message = "Error"
    http_status = 400

    def __init__(self, **params):
        self.params = params
        super().__init__(str(self.message))

    def text(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class NotFound(DomainError):
    http_status = 404
