"""Text messages (SMS) to residents, through a backend chosen in settings (SMS_BACKEND).

Like Django's e-mail backends: `sms_send(to, text)` hands the message to the
backend named by its dotted path. No gateway exists in development and tests:
`config.sms.backends.ConsoleBackend` writes messages to the log (and standard
output), `config.sms.backends.MemoryBackend` keeps them in `config.sms.outbox`
(for tests). A real provider is a class with the same `send` method, named in
SMS_BACKEND with its options in SMS_OPTIONS; nothing else changes.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from config.sms.backends import SmsError, outbox  # noqa: F401 (the module's interface)


def sms_backend():
    """The configured backend, built with SMS_OPTIONS."""
    backend = import_string(settings.SMS_BACKEND)
    return backend(**getattr(settings, "SMS_OPTIONS", {}))


def sms_send(to: str, text: str) -> None:
    """Send `text` to the mobile number `to`; raises SmsError when the gateway refuses."""
    sms_backend().send(to, text)
