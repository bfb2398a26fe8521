#!/usr/bin/env python3
"""Checks a running VIES stand-in: a well-formed request is answered, malformed ones are
refused with 400 and INVALID_INPUT. Usage: selftest.py BASE_URL"""

import json
import sys
import urllib.error
import urllib.request

BASE = sys.argv[1].rstrip("/")


def post(body, content_type="application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(BASE + "/check-vat-number", data=data, method="POST",
                                 headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


status, body = post({"countryCode": "FR", "vatNumber": "12345678901"})
assert status == 200 and body["valid"] is True, (status, body)
status, body = post({"countryCode": "FR", "vatNumber": "00045678901"})
assert status == 200 and body["valid"] is False, (status, body)
for bad in [b"not json", b"[1]", {"countryCode": "US", "vatNumber": "123456789"},
            {"countryCode": "FR"}, {"countryCode": "FR", "vatNumber": 123456789},
            {"countryCode": "FR", "vatNumber": "12 34"}, {"countryCode": "FR", "vatNumber": "1", "x": 1}]:
    status, body = post(bad)
    assert status == 400, (bad, status, body)
    assert body["errorWrappers"][0]["error"] == "INVALID_INPUT", body
status, _ = post(b'{"countryCode":"FR","vatNumber":"123456789"}', "text/plain")
assert status == 400
print("vies stand-in self-test passed")
