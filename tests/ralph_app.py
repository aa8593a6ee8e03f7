"""Ralph's LRS app (``ralph.api:app``) with its file-system backend appending statements.

Ralph 5.1.0's file-system data backend writes with ``operation_type`` CREATE by default, so its LRS
stores the first POST and answers 500 "Statements bulk indexation failed" to every later one (the
file exists).  Ralph's own backends for production (Elasticsearch, MongoDB, ClickHouse) do not have
that default; appending is what the file backend documents for adding to a file.  Only that default
is changed here: the API, its validation of xAPI statements and its storage are Ralph's.
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend

FSDataBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402,F401  (after the default is set)
