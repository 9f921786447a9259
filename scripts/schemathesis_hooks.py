"""schemathesis auth for scripts/fuzz-openapi.sh: the credentials each route of the local test stack requires.

/flink/events gets a Standard Webhooks signature over the body bytes schemathesis sends (its JSON serializer is
the stdlib's json.dumps, so the same call here yields the same bytes); /api/v1/lineage and /flink/jobs get the
Bearer API key. As an auth provider (not a before_call hook) it is left out of the calls that check that the API
refuses missing credentials. The secret and the key are the ones local/testStack.ts printed, passed in
FUZZ_WEBHOOK_SECRET and FUZZ_API_KEY.
"""

import atexit
import base64
import hashlib
import hmac
import json
import os
import time
import uuid

import schemathesis

SIGNED_PATHS = {"/flink/events"}


def _secret_key() -> bytes:
    secret = os.environ["FUZZ_WEBHOOK_SECRET"].strip()
    return base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)


def _body_bytes(body: object) -> bytes:
    if body is None or type(body).__name__ == "NotSet":
        return b""
    if isinstance(body, bytes):
        return body
    return json.dumps(body).encode("utf-8")


# lib/http/jsonLimits.ts refuses these keys anywhere in a body, and bodies nested deeper than 64
# (docs/contract.md, Answers: 400): rules of every body that a JSON Schema of its fields cannot state, so
# generated bodies keep to them.
FORBIDDEN_KEYS = {"__proto__", "constructor", "prototype"}
MAX_DEPTH = 64


def _within_json_limits(value: object, depth: int = 1) -> bool:
    if isinstance(value, dict):
        return depth <= MAX_DEPTH and all(key not in FORBIDDEN_KEYS and _within_json_limits(item, depth + 1) for key, item in value.items())
    if isinstance(value, list):
        return depth <= MAX_DEPTH and all(_within_json_limits(item, depth + 1) for item in value)
    return True


def _result_of_same_job(body: object) -> bool:
    """POST /flink/jobs: an executionResult's job-execution-result.id, when given, is job.jid (400 otherwise)."""
    if not isinstance(body, dict) or not isinstance(body.get("job"), dict) or not isinstance(body.get("executionResult"), dict):
        return True
    result = body["executionResult"].get("job-execution-result")
    result_id = result.get("id") if isinstance(result, dict) else None
    job_id = body["job"].get("jid")
    return not isinstance(result_id, str) or not isinstance(job_id, str) or result_id.lower() == job_id.lower()


@schemathesis.hook
def filter_body(context, body):
    if context.operation is not None and context.operation.path == "/flink/jobs" and not _result_of_same_job(body):
        return False
    return _within_json_limits(body)


@schemathesis.auth()
class BridgeCredentials:
    def get(self, case, context):
        return os.environ["FUZZ_API_KEY"]

    def set(self, case, data, context):
        headers = case.headers if case.headers is not None else {}
        if case.operation.path in SIGNED_PATHS:
            message_id = f"msg_{uuid.uuid4().hex}"
            timestamp = str(int(time.time()))
            signed = f"{message_id}.{timestamp}.".encode() + _body_bytes(case.body)
            digest = hmac.new(_secret_key(), signed, hashlib.sha256).digest()
            headers["webhook-id"] = message_id
            headers["webhook-timestamp"] = timestamp
            headers["webhook-signature"] = "v1," + base64.b64encode(digest).decode()
        else:
            headers["Authorization"] = f"Bearer {data}"
        case.headers = headers


# Which answers the run saw, per operation and status, and why Atlas failed where it did (printed at exit).
_answers: dict[str, int] = {}
_atlas_failures: dict[str, int] = {}


def _count(tally: dict[str, int], key: str) -> None:
    tally[key] = tally.get(key, 0) + 1


@schemathesis.hook
def after_call(context, case, response):
    _count(_answers, f"{case.method.upper()} {case.operation.path} {response.status_code}")
    if response.status_code in (202, 207, 502, 503):
        try:
            results = json.loads(response.content).get("results", [])
        except (ValueError, AttributeError):
            return
        for result in results:
            if isinstance(result, dict) and isinstance(result.get("error"), dict):
                _count(_atlas_failures, str(result["error"].get("message", ""))[:160])


def _report_answers() -> None:
    if _answers:
        print("answers seen (operation status: count):")
        for key in sorted(_answers):
            print(f"  {key}: {_answers[key]}")
    if _atlas_failures:
        print("Atlas failures behind 202/207/502/503 answers (message: count):")
        for key, count in sorted(_atlas_failures.items(), key=lambda item: -item[1])[:10]:
            print(f"  {key}: {count}")


atexit.register(_report_answers)
