"""Validate xAPI statements (one JSON object a line on stdin) with Ralph's own xAPI 1.0.3 model,
``BaseXapiStatement`` (what its LRS checks every POST against).  Run with the LRS venv's Python;
prints how many are valid, one line per invalid one on stderr, and exits 1 if any is invalid."""

import json
import sys

from ralph.models.xapi.base.statements import BaseXapiStatement

valid = invalid = 0
for number, line in enumerate(sys.stdin, start=1):
    try:
        BaseXapiStatement.model_validate(json.loads(line))
        valid += 1
    except Exception as exc:  # pydantic's ValidationError, or not JSON
        invalid += 1
        print(f"statement {number}: {' '.join(str(exc).split())[:400]}", file=sys.stderr)
print(f"{valid} valid, {invalid} invalid")
sys.exit(1 if invalid else 0)
