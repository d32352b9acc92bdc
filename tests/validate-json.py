#!/usr/bin/python3
"""Validate JSON documents against one of the project's schemas (draft 2020-12).

usage: validate-json.py SCHEMA [FILE ...]   (no FILE, or '-': read one document from stdin)

Exits 0 when every document validates, 1 otherwise, naming the file and the JSON path of each
error. Used by every test that produces a report, so the schema and the code cannot drift apart.
"""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    paths = argv[2:] or ["-"]
    bad = 0
    for path in paths:
        try:
            if path == "-":
                doc = json.load(sys.stdin)
            else:
                with open(path, encoding="utf-8") as f:
                    doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: not JSON: {e}", file=sys.stderr)
            bad += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:20]:
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print(f"{path}: {where}: {e.message}", file=sys.stderr)
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
