"""Errors a service raises; views and the API turn them into responses."""


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    status = 422


class EngineFailure(ServiceError):
    status = 500


class Tampered(ServiceError):
    """Stored bytes differ from what the case history recorded: never served as the original."""
    status = 409
