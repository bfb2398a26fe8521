"""A validating proxy in front of the PayPal stand-in.

Every request to a path PayPal's OpenAPI files describe is validated with openapi-core
before it is forwarded (an invalid one is refused with PayPal's 400 INVALID_REQUEST and never
reaches the stand-in), and every answer is validated before it is passed back. Violations
are kept and listed at `GET /__violations`; the tests fail on any. A request carrying
`X-Expect-Violation: 1` (the suite's self-test) is refused the same way but its violation is
answered, not kept, so one deliberate error cannot fail the tests running beside it.
Paths outside the files (the OAuth token, the approval page, `/__` controls) pass through.
"""

import http.client
import json
import os
import threading
import urllib.error
import urllib.request
import warnings
from http.server import BaseHTTPRequestHandler

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

warnings.filterwarnings("ignore", message="Unsupported scheme type")

HERE = os.path.dirname(os.path.abspath(__file__))
SPECS = {
    "/v2/checkout/": "checkout_orders_v2.json",
    "/v2/payments/": "payments_payment_v2.json",
    "/v1/notifications/": "notifications_webhooks_v1.json",
}
HOST = "https://api-m.sandbox.paypal.com"
LOCK = threading.Lock()
VIOLATIONS = []


def load_specs():
    out = {}
    for prefix, name in SPECS.items():
        with open(os.path.join(HERE, "openapi", name)) as f:
            spec = json.load(f)
        if name == "notifications_webhooks_v1.json":
            # The one adjustment: verify-webhook-signature must echo the event exactly as
            # delivered (PayPal's own example in this file does), but the file marks the
            # event's fields readOnly, which a validator refuses in any request.
            for prop in spec["components"]["schemas"]["event"]["properties"].values():
                prop.pop("readOnly", None)
        out[prefix] = OpenAPI.from_dict(spec)
    return out


class Req:
    def __init__(self, method, path, query, headers, body):
        self.host_url = HOST
        self.path = path
        self.method = method.lower()
        self.parameters = RequestParameters(query=ImmutableMultiDict(query), header=Headers(headers),
                                            cookie=ImmutableMultiDict())
        self.content_type = headers.get("Content-Type", "application/json").split(";")[0]
        self.body = body

    @property
    def full_url_pattern(self):
        return self.host_url + self.path


class Resp:
    def __init__(self, status, headers, body):
        self.status_code = status
        self.headers = Headers(headers)
        self.content_type = (headers.get("Content-Type") or "application/json").split(";")[0]
        self.data = body


def describe(error):
    cause = error.__cause__
    details = [e.message for e in getattr(cause, "schema_errors", None) or []]
    return "%s: %s" % (type(error).__name__, "; ".join(details) if details else str(error)[:600])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """The approval page's redirects go back to the browser, not followed here."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def make_handler(specs, upstream):
    class Handler(BaseHTTPRequestHandler):
        # One request per connection: no pooled connection of the app's can go stale here.
        protocol_version = "HTTP/1.0"

        def log_message(self, fmt, *args):
            pass

        def spec(self, path):
            for prefix, api in specs.items():
                if path.startswith(prefix):
                    return api
            return None

        def send(self, status, headers, body):
            self.send_response(status)
            for k, v in headers:
                if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def handle_any(self):
            path, _, query = self.path.partition("?")
            if path == "/__violations":
                if self.command == "DELETE":
                    with LOCK:
                        VIOLATIONS.clear()
                with LOCK:
                    listed = list(VIOLATIONS)
                return self.send(200, [("Content-Type", "application/json")], json.dumps(listed).encode())
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            headers = {k: v for k, v in self.headers.items()}
            expected = self.headers.get("X-Expect-Violation") == "1"
            api = self.spec(path)
            if api is not None:
                qs = [tuple(p.split("=", 1)) if "=" in p else (p, "") for p in query.split("&") if p]
                req = Req(self.command, path, qs, headers, body or None)
                try:
                    api.validate_request(req)
                except Exception as e:  # noqa: BLE001 - every failure is a violation
                    violation = {"kind": "request", "method": self.command, "path": path,
                                 "error": describe(e)}
                    if not expected:
                        with LOCK:
                            VIOLATIONS.append(violation)
                    answer = {"name": "INVALID_REQUEST",
                              "message": "Request is not well-formed, syntactically incorrect, or violates schema.",
                              "debug_id": "proxy", "details": [{"issue": "SCHEMA_VIOLATION",
                                                                "description": violation["error"]}],
                              "links": []}
                    return self.send(400, [("Content-Type", "application/json")], json.dumps(answer).encode())
            fwd = urllib.request.Request(upstream + self.path, data=body if self.command != "GET" else None,
                                         method=self.command)
            for k, v in headers.items():
                if k.lower() not in ("host", "content-length", "connection", "x-expect-violation"):
                    fwd.add_header(k, v)
            for attempt in (1, 2):
                try:
                    with OPENER.open(fwd, timeout=60) as r:
                        status, rheaders, rbody = r.status, r.getheaders(), r.read()
                    break
                except urllib.error.HTTPError as e:
                    status, rheaders, rbody = e.code, e.headers.items(), e.read()
                    break
                except (ConnectionError, http.client.RemoteDisconnected):
                    # The stand-in's socket under a burst of parallel tests, not the contract:
                    # every call the app makes carries a request id, so a resend is safe.
                    if attempt == 2:
                        raise
            if api is not None:
                resp = Resp(status, dict(rheaders), rbody)
                try:
                    api.validate_response(req, resp)
                except Exception as e:  # noqa: BLE001
                    with LOCK:
                        VIOLATIONS.append({"kind": "response", "method": self.command, "path": path,
                                           "status": status, "error": describe(e)})
            self.send(status, rheaders, rbody)

        do_GET = handle_any
        do_POST = handle_any
        do_PATCH = handle_any
        do_DELETE = handle_any

    return Handler
