"""Validates recorded AWS requests against AWS's own API models (botocore).

Reads JSON lines {"function", "service", "operation", "input"} from the files named on the
command line (or stdin) and checks each input with botocore's ParamValidator against the
operation's input shape. Prints one JSON document: requests, operations, and every invalid
request with botocore's report. Exits 0 whatever it finds; the caller judges.

Blobs arrive as {"$bytes": base64} and dates as {"$date": ISO-8601}; they are turned into bytes
and datetime, the types botocore expects.
"""

import base64
import datetime
import json
import sys

import botocore.session
import botocore.validate

SERVICE_NAMES = {"sfn": "stepfunctions", "sesv2": "sesv2", "scheduler": "scheduler"}


def revive(value):
    if isinstance(value, dict):
        if set(value) == {"$bytes"}:
            return base64.b64decode(value["$bytes"])
        if set(value) == {"$date"}:
            return datetime.datetime.fromisoformat(value["$date"].replace("Z", "+00:00"))
        return {key: revive(item) for key, item in value.items()}
    if isinstance(value, list):
        return [revive(item) for item in value]
    return value


def requests(paths):
    streams = [open(path, encoding="utf-8") for path in paths] if paths else [sys.stdin]
    for stream in streams:
        for number, line in enumerate(stream, 1):
            if line.strip():
                yield getattr(stream, "name", "<stdin>"), number, json.loads(line)


def main(paths):
    session = botocore.session.get_session()
    validator = botocore.validate.ParamValidator()
    models = {}
    operations = {}
    invalid = []
    total = 0
    for source, number, request in requests(paths):
        total += 1
        service = SERVICE_NAMES.get(request["service"], request["service"])
        key = f"{service}:{request['operation']}"
        operations[key] = operations.get(key, 0) + 1
        try:
            model = models.get(service) or session.get_service_model(service)
            models[service] = model
            shape = model.operation_model(request["operation"]).input_shape
        except Exception as error:  # unknown service or operation is itself a finding
            invalid.append({"source": source, "line": number, "operation": key, "report": str(error)})
            continue
        report = validator.validate(revive(request["input"]), shape)
        if report.has_errors():
            invalid.append(
                {
                    "source": source,
                    "line": number,
                    "function": request.get("function"),
                    "operation": key,
                    "report": report.generate_report(),
                }
            )
    json.dump(
        {
            "botocore": botocore.__version__,
            "requests": total,
            "operations": dict(sorted(operations.items())),
            "invalid": invalid,
        },
        sys.stdout,
        indent=2,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
