#!/usr/bin/env python3
"""A stand-in for the EU's VIES REST API (POST /check-vat-number), for tests.

Answers in the shapes of the real service: {countryCode, vatNumber, requestDate, valid,
requestIdentifier, name, address} on success; {actionSucceed: false, errorWrappers:
[{error, message}]} when a register is unavailable or the request is malformed (HTTP 400).

The VAT number (without prefix) chooses the answer:
  000...  valid: false
  503...  HTTP 500, MS_UNAVAILABLE
  429...  HTTP 500, MS_MAX_CONCURRENT_REQ
  408...  answers (valid) only after --slow seconds: a timeout for the caller
  777...  MS_UNAVAILABLE on the first request for that exact number, valid afterwards
  other   valid: true (requestIdentifier given when the requester fields are sent)
GET /__requests answers {"<CC><number>": count}; GET /__health answers {"ok": true}.
"""

import argparse
import datetime
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIXES = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
}
NUMBER = re.compile(r"^[0-9A-Za-z+*]{2,12}$")
ALLOWED = {"countryCode", "vatNumber", "requesterMemberStateCode", "requesterNumber",
           "traderName", "traderStreet", "traderPostalCode", "traderCity", "traderCompanyType"}

LOCK = threading.Lock()
COUNTS = {}
IDS = itertools.count(1)


def malformed(body):
    """Why the request is not one VIES accepts, or None."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    unknown = set(body) - ALLOWED
    if unknown:
        return "unknown fields: " + ", ".join(sorted(unknown))
    cc, number = body.get("countryCode"), body.get("vatNumber")
    if not isinstance(cc, str) or cc not in PREFIXES:
        return "countryCode must be a member state code"
    if not isinstance(number, str) or not NUMBER.match(number):
        return "vatNumber must be 2 to 12 letters or digits"
    for key in ("requesterMemberStateCode", "requesterNumber"):
        if key in body and not isinstance(body[key], str):
            return key + " must be a string"
    if ("requesterMemberStateCode" in body) != ("requesterNumber" in body):
        return "requesterMemberStateCode and requesterNumber go together"
    return None


def error(code, message):
    return {"actionSucceed": False, "errorWrappers": [{"error": code, "message": message}]}


class Handler(BaseHTTPRequestHandler):
    slow = 5.0

    def log_message(self, fmt, *args):  # quiet unless something is wrong
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        if self.path == "/__health":
            return self.answer(200, {"ok": True})
        if self.path == "/__requests":
            with LOCK:
                return self.answer(200, dict(COUNTS))
        self.answer(404, error("NOT_FOUND", self.path))

    def do_POST(self):
        if self.path.rstrip("/") != "/check-vat-number":
            return self.answer(404, error("NOT_FOUND", self.path))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if "application/json" not in (self.headers.get("Content-Type") or ""):
            return self.answer(400, error("INVALID_INPUT", "Content-Type must be application/json"))
        try:
            body = json.loads(raw)
        except ValueError:
            return self.answer(400, error("INVALID_INPUT", "the body is not JSON"))
        why = malformed(body)
        if why:
            return self.answer(400, error("INVALID_INPUT", why))
        cc, number = body["countryCode"], body["vatNumber"]
        key = cc + number
        with LOCK:
            COUNTS[key] = COUNTS.get(key, 0) + 1
            seen = COUNTS[key]
        if number.startswith("503") or (number.startswith("777") and seen == 1):
            return self.answer(500, error("MS_UNAVAILABLE", "The member state's service is unavailable"))
        if number.startswith("429"):
            return self.answer(500, error("MS_MAX_CONCURRENT_REQ", "Too many requests"))
        if number.startswith("408"):
            time.sleep(self.slow)
        valid = not number.startswith("000")
        result = {
            "countryCode": cc,
            "vatNumber": number,
            "requestDate": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "valid": valid,
            "requestIdentifier": "",
            "name": "TEST TRADER " + key if valid else "---",
            "address": "1 TEST STREET" if valid else "---",
            "traderNameMatch": "NOT_PROCESSED",
        }
        if valid and "requesterNumber" in body:
            result["requestIdentifier"] = "WAPIAAAA%08d" % next(IDS)
        self.answer(200, result)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--slow", type=float, default=5.0)
    args = parser.parse_args()
    Handler.slow = args.slow
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        import os
        os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
