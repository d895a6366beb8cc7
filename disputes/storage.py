"""The private files' storage under the path migrations 0011 and 0012 name it by.

It lives in disputes.core.private_files; fields deconstruct it as
"disputes.storage.PrivateStorage", so this name stays.
"""

from disputes.core.private_files import PrivateStorage

__all__ = ["PrivateStorage"]
