"""A small stateful PayPal stand-in for the test suite (REST API v2 subset).

Orders are created, approved by a browser visit to its approval page, captured and refunded;
webhook events are queued per order and sent to the shop when a test asks
(`POST /__deliver`), signed so that only this stand-in's verify-webhook-signature call says
SUCCESS. It sits behind the validating proxy (proxy.py), which holds every request and every
answer to PayPal's published OpenAPI description. Test controls live under `/__`.
"""

import base64
import datetime
import hashlib
import hmac
import json
import random
import string
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib
from http.server import BaseHTTPRequestHandler

LOCK = threading.RLock()
SIGNING_KEY = b"schoolhouse-paypal-standin"


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def pp_id(n=17):
    return "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(n))


def to_cents(value):
    whole, _, frac = value.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def to_value(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


class State:
    def __init__(self, client_id, secret, webhook_id, public_base):
        self.client_id = client_id
        self.secret = secret
        self.webhook_id = webhook_id
        self.public_base = public_base  # the proxy's address, as the app sees PayPal
        self.tokens = set()
        self.tokens_issued = 0
        self.captures_made = 0
        self.refunds_made = 0
        self.orders = {}
        self.captures = {}
        self.refunds = {}
        self.replays = {}
        self.events = []
        self.transmissions = {}

    # --- objects as PayPal shows them -----------------------------------------------------
    def link(self, path, rel, method="GET"):
        return {"href": self.public_base + path, "rel": rel, "method": method}

    def capture_json(self, cap):
        out = {
            "id": cap["id"],
            "status": cap["status"],
            "amount": cap["amount"],
            "final_capture": True,
            "seller_protection": {"status": "ELIGIBLE",
                                  "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"]},
            "links": [self.link("/v2/payments/captures/" + cap["id"], "self"),
                      self.link("/v2/payments/captures/%s/refund" % cap["id"], "refund", "POST"),
                      self.link("/v2/checkout/orders/" + cap["order_id"], "up")],
            "create_time": cap["create_time"],
            "update_time": cap["update_time"],
        }
        for key in ("custom_id", "invoice_id"):
            if cap.get(key):
                out[key] = cap[key]
        if cap["status"] == "PENDING":
            out["status_details"] = {"reason": "PENDING_REVIEW"}
        return out

    def order_json(self, order):
        units = []
        for unit in order["purchase_units"]:
            u = dict(unit)
            caps = [self.capture_json(self.captures[c]) for c in order["captures"]]
            if caps:
                u["payments"] = {"captures": caps}
            units.append(u)
        out = {
            "id": order["id"],
            "status": order["status"],
            "intent": "CAPTURE",
            "purchase_units": units,
            "create_time": order["create_time"],
            "update_time": order["update_time"],
            "links": [self.link("/v2/checkout/orders/" + order["id"], "self")],
        }
        if order["status"] in ("PAYER_ACTION_REQUIRED", "CREATED"):
            out["links"].append(self.link("/checkoutnow?token=" + order["id"], "payer-action"))
        if order.get("payer"):
            out["payer"] = order["payer"]
            out["payment_source"] = {"paypal": {"email_address": order["payer"]["email_address"],
                                                "account_id": order["payer"]["payer_id"],
                                                "account_status": "VERIFIED"}}
        return out

    def refund_json(self, ref):
        cap = self.captures[ref["capture_id"]]
        out = {
            "id": ref["id"],
            "status": ref["status"],
            "amount": ref["amount"],
            "seller_payable_breakdown": {
                "gross_amount": ref["amount"],
                "total_refunded_amount": {"currency_code": ref["amount"]["currency_code"],
                                          "value": to_value(ref["total_after"])},
            },
            "links": [self.link("/v2/payments/refunds/" + ref["id"], "self"),
                      self.link("/v2/payments/captures/" + cap["id"], "up")],
            "create_time": ref["create_time"],
            "update_time": ref["create_time"],
        }
        if ref.get("invoice_id"):
            out["invoice_id"] = ref["invoice_id"]
        if ref.get("note_to_payer"):
            out["note_to_payer"] = ref["note_to_payer"]
        return out

    # --- webhooks --------------------------------------------------------------------------
    def queue(self, order_id, event_type, resource_type, resource, summary):
        event = {
            "id": "WH-" + pp_id(8) + "-" + pp_id(17),
            "create_time": now(),
            "resource_type": resource_type,
            "event_type": event_type,
            "summary": summary,
            "resource": resource,
            "event_version": "1.0",
            "resource_version": "2.0",
        }
        self.events.append({"order_id": order_id, "event": event, "deliveries": 0})
        return event

    def sign(self, body):
        tid = str(uuid.uuid4())
        ttime = now()
        crc = zlib.crc32(body.encode()) & 0xFFFFFFFF
        message = "%s|%s|%s|%d" % (tid, ttime, self.webhook_id, crc)
        sig = hmac.new(SIGNING_KEY, message.encode(), hashlib.sha256).hexdigest()
        return {
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "PAYPAL-CERT-URL": self.public_base + "/v1/notifications/certs/CERT-standin",
            "PAYPAL-TRANSMISSION-ID": tid,
            "PAYPAL-TRANSMISSION-SIG": sig,
            "PAYPAL-TRANSMISSION-TIME": ttime,
        }

    def verify(self, req):
        event_text = json.dumps(req.get("webhook_event"))
        crc = zlib.crc32(event_text.encode()) & 0xFFFFFFFF
        message = "%s|%s|%s|%d" % (req.get("transmission_id"), req.get("transmission_time"),
                                   req.get("webhook_id"), crc)
        want = hmac.new(SIGNING_KEY, message.encode(), hashlib.sha256).hexdigest()
        ok = (req.get("webhook_id") == self.webhook_id
              and hmac.compare_digest(want, str(req.get("transmission_sig"))))
        return "SUCCESS" if ok else "FAILURE"


def deliver(state, entry, target=None):
    """Sends one queued event to the shop that created its order (or to `target`, for shops
    whose public URL is not where they listen); returns the shop's answer."""
    with LOCK:
        order = state.orders.get(entry["order_id"])
        target = target or (order["webhook_target"] if order else None)
        body = json.dumps(entry["event"])
        headers = state.sign(body)
        entry["deliveries"] += 1
    if not target:
        return {"event_id": entry["event"]["id"], "status": 0, "body": "no target"}
    headers["Content-Type"] = "application/json"
    req = urllib.request.Request(target, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    except OSError as e:
        status, text = 0, str(e)
    try:
        answer = json.loads(text)
    except ValueError:
        answer = text
    return {"event_id": entry["event"]["id"], "event_type": entry["event"]["event_type"],
            "status": status, "body": answer}


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        # --- plumbing ---
        def reply(self, status, body=None, headers=None, content_type="application/json"):
            data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
            self.send_response(status)
            if data:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Paypal-Debug-Id", pp_id(13).lower())
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def error(self, status, name, issue, description):
            message = {
                400: "Request is not well-formed, syntactically incorrect, or violates schema.",
                404: "The specified resource does not exist.",
                422: "The requested action could not be performed, semantically incorrect, or failed business validation.",
            }.get(status, description)
            body = {"name": name, "message": message,
                    "debug_id": pp_id(13).lower(),
                    "details": [{"issue": issue, "description": description}],
                    "links": []}
            self.reply(status, body)

        def unauthorized(self):
            self.reply(401, {"name": "AUTHENTICATION_FAILURE",
                             "message": "Authentication failed due to missing authorization header, "
                                        "or invalid authentication credentials.",
                             "debug_id": pp_id(13).lower(),
                             "details": [{"issue": "INVALID_ACCOUNT_STATUS",
                                          "description": "Account validations failed for the user."}],
                             "links": []})

        def read_body(self):
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n).decode() if n else ""

        def json_body(self):
            text = self.read_body()
            return json.loads(text) if text else {}

        def authed(self):
            auth = self.headers.get("Authorization", "")
            return auth.startswith("Bearer ") and auth[7:] in state.tokens

        def replay_key(self):
            rid = self.headers.get("PayPal-Request-Id")
            return (self.path, rid) if rid else None

        def remember(self, key, status, body):
            if key:
                state.replays[key] = (status, body)
            self.reply(status, body)

        # --- routes ---
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            parts = url.path.strip("/").split("/")
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/checkoutnow":
                return self.approval_page(query.get("token", ""))
            if url.path == "/__stats":
                with LOCK:
                    return self.reply(200, {"tokens_issued": state.tokens_issued,
                                            "captures_made": state.captures_made,
                                            "refunds_made": state.refunds_made})
            if parts[0] == "__orders" and len(parts) == 2 and parts[1] in state.orders:
                with LOCK:
                    order = state.orders[parts[1]]
                    caps = [state.captures[c] for c in order["captures"]]
                    return self.reply(200, {
                        "status": order["status"],
                        "capture_requests": order.get("capture_requests", 0),
                        "captures": len(caps),
                        "captured_cents": sum(to_cents(c["amount"]["value"]) for c in caps),
                        "refunds": sum(1 for r in state.refunds.values() if r["capture_id"] in order["captures"]),
                        "refunded_cents": sum(c["refunded"] for c in caps),
                    })
            if url.path == "/__events":
                with LOCK:
                    events = [dict(e["event"], deliveries=e["deliveries"]) for e in state.events
                              if e["order_id"] == query.get("order_id")]
                return self.reply(200, events)
            if not self.authed():
                return self.unauthorized()
            with LOCK:
                if parts[:3] == ["v2", "checkout", "orders"] and len(parts) == 4:
                    order = state.orders.get(parts[3])
                    if not order:
                        return self.error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID",
                                          "Specified resource ID does not exist. Please check the resource ID and try again.")
                    return self.reply(200, state.order_json(order))
                if parts[:3] == ["v2", "payments", "captures"] and len(parts) == 4:
                    cap = state.captures.get(parts[3])
                    if not cap:
                        return self.error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID",
                                          "Specified resource ID does not exist. Please check the resource ID and try again.")
                    return self.reply(200, state.capture_json(cap))
            self.error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", "Not found here.")

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            parts = url.path.strip("/").split("/")
            if url.path == "/v1/oauth2/token":
                return self.token()
            if url.path in ("/checkoutnow/approve", "/checkoutnow/cancel"):
                return self.buyer_decides(url.path.endswith("approve"))
            if parts[0].startswith("__"):
                return self.control(parts)
            if not self.authed():
                self.read_body()
                return self.unauthorized()
            key = self.replay_key()
            with LOCK:
                if key and key in state.replays:
                    self.read_body()
                    status, body = state.replays[key]
                    return self.reply(status, body)
                if url.path == "/v2/checkout/orders":
                    return self.create_order(key)
                if parts[:3] == ["v2", "checkout", "orders"] and len(parts) == 5 and parts[4] == "capture":
                    if parts[3] in state.orders:
                        order = state.orders[parts[3]]
                        order["capture_requests"] = order.get("capture_requests", 0) + 1
                    return self.capture(parts[3], key)
                if parts[:3] == ["v2", "payments", "captures"] and len(parts) == 5 and parts[4] == "refund":
                    return self.refund(parts[3], key)
                if url.path == "/v1/notifications/verify-webhook-signature":
                    return self.reply(200, {"verification_status": state.verify(self.json_body())})
            self.read_body()
            self.error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", "Not found here.")

        def token(self):
            form = dict(urllib.parse.parse_qsl(self.read_body()))
            auth = self.headers.get("Authorization", "")
            try:
                cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                cid, secret = "", ""
            if not auth.startswith("Basic ") or (cid, secret) != (state.client_id, state.secret):
                return self.reply(401, {"error": "invalid_client",
                                        "error_description": "Client Authentication failed"})
            if form.get("grant_type") != "client_credentials":
                return self.reply(400, {"error": "unsupported_grant_type",
                                        "error_description": "Grant Type is NULL"})
            token = "A21AA" + pp_id(40)
            with LOCK:
                state.tokens.add(token)
                state.tokens_issued += 1
            self.reply(200, {"scope": "https://uri.paypal.com/services/payments/payment",
                             "access_token": token, "token_type": "Bearer",
                             "app_id": "APP-STANDIN", "expires_in": 32400, "nonce": pp_id(20)})

        def create_order(self, key):
            body = self.json_body()
            units = body["purchase_units"]
            unit = units[0]
            amount = unit["amount"]
            breakdown = amount.get("breakdown")
            if breakdown:
                total = (to_cents(breakdown["item_total"]["value"])
                         + to_cents(breakdown.get("tax_total", {}).get("value", "0"))
                         + to_cents(breakdown.get("shipping", {}).get("value", "0"))
                         - to_cents(breakdown.get("discount", {}).get("value", "0")))
                if total != to_cents(amount["value"]):
                    return self.error(422, "UNPROCESSABLE_ENTITY", "AMOUNT_MISMATCH",
                                      "Should equal item_total + tax_total + shipping + handling + insurance - shipping_discount - discount.")
            ctx = body.get("payment_source", {}).get("paypal", {}).get("experience_context", {})
            return_url, cancel_url = ctx.get("return_url"), ctx.get("cancel_url")
            if not return_url or not cancel_url:
                return self.error(422, "UNPROCESSABLE_ENTITY", "PAYER_ACTION_REQUIRED",
                                  "This stand-in needs return_url and cancel_url.")
            origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(return_url))
            oid = pp_id()
            stamp = now()
            state.orders[oid] = {
                "id": oid, "status": "PAYER_ACTION_REQUIRED", "purchase_units": units,
                "return_url": return_url, "cancel_url": cancel_url,
                "webhook_target": origin + "/api/payments/webhook/paypal",
                "captures": [], "create_time": stamp, "update_time": stamp,
                "capture_mode": "complete",
            }
            self.remember(key, 200, state.order_json(state.orders[oid]))

        def capture(self, oid, key):
            self.read_body()
            order = state.orders.get(oid)
            if not order:
                return self.error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID",
                                  "Specified resource ID does not exist. Please check the resource ID and try again.")
            if order["status"] == "COMPLETED":
                return self.error(422, "UNPROCESSABLE_ENTITY", "ORDER_ALREADY_CAPTURED",
                                  "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.")
            if order["status"] != "APPROVED":
                return self.error(422, "UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVED",
                                  "Payer has not yet approved the Order for payment.")
            if order["capture_mode"] == "decline":
                return self.error(422, "UNPROCESSABLE_ENTITY", "INSTRUMENT_DECLINED",
                                  "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.")
            unit = order["purchase_units"][0]
            cid = pp_id()
            stamp = now()
            status = "PENDING" if order["capture_mode"] == "pending" else "COMPLETED"
            state.captures[cid] = {
                "id": cid, "order_id": oid, "status": status,
                "amount": {"currency_code": unit["amount"]["currency_code"], "value": unit["amount"]["value"]},
                "custom_id": unit.get("custom_id"), "invoice_id": unit.get("invoice_id"),
                "refunded": 0, "create_time": stamp, "update_time": stamp,
            }
            state.captures_made += 1
            order["captures"].append(cid)
            order["status"] = "COMPLETED"
            order["update_time"] = stamp
            state.queue(oid, "PAYMENT.CAPTURE." + status, "capture", self.capture_event(cid),
                        "Payment %s" % status.lower())
            self.remember(key, 201, state.order_json(order))

        def capture_event(self, cid):
            resource = state.capture_json(state.captures[cid])
            resource["supplementary_data"] = {"related_ids": {"order_id": state.captures[cid]["order_id"]}}
            return resource

        def refund(self, cid, key):
            body = self.json_body()
            cap = state.captures.get(cid)
            if not cap:
                return self.error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID",
                                  "Specified resource ID does not exist. Please check the resource ID and try again.")
            if cap["status"] not in ("COMPLETED", "PARTIALLY_REFUNDED"):
                return self.error(422, "UNPROCESSABLE_ENTITY", "CAPTURE_FULLY_REFUNDED"
                                  if cap["status"] == "REFUNDED" else "REFUND_NOT_ALLOWED",
                                  "The capture cannot be refunded.")
            captured = to_cents(cap["amount"]["value"])
            amount = body.get("amount") or {"currency_code": cap["amount"]["currency_code"],
                                            "value": to_value(captured - cap["refunded"])}
            if amount["currency_code"] != cap["amount"]["currency_code"]:
                return self.error(422, "UNPROCESSABLE_ENTITY", "REFUND_CURRENCY_MISMATCH",
                                  "Refund must be in the same currency as the capture.")
            cents = to_cents(amount["value"])
            if cents <= 0 or cap["refunded"] + cents > captured:
                return self.error(422, "UNPROCESSABLE_ENTITY", "REFUND_AMOUNT_EXCEEDED",
                                  "The refund amount must be less than or equal to the capture amount that has not yet been refunded.")
            self.make_refund(cap, amount, body.get("invoice_id"), body.get("note_to_payer"), key)

        def make_refund(self, cap, amount, invoice_id, note, key):
            rid = pp_id()
            cap["refunded"] += to_cents(amount["value"])
            full = cap["refunded"] >= to_cents(cap["amount"]["value"])
            cap["status"] = "REFUNDED" if full else "PARTIALLY_REFUNDED"
            cap["update_time"] = now()
            state.refunds[rid] = {"id": rid, "capture_id": cap["id"], "status": "COMPLETED",
                                  "amount": amount, "invoice_id": invoice_id, "note_to_payer": note,
                                  "total_after": cap["refunded"], "create_time": now()}
            state.refunds_made += 1
            resource = state.refund_json(state.refunds[rid])
            state.queue(cap["order_id"], "PAYMENT.CAPTURE.REFUNDED", "refund", resource,
                        "A %s %s capture payment was refunded" % (amount["value"], amount["currency_code"]))
            if key is not False:
                self.remember(key, 201, resource)
            return resource

        # --- the buyer at PayPal ---
        def approval_page(self, token):
            with LOCK:
                order = state.orders.get(token)
            if not order:
                return self.reply(404, b"<h1>No such order</h1>", content_type="text/html")
            unit = order["purchase_units"][0]
            page = """<!doctype html><html><head><title>PayPal (test stand-in)</title></head><body>
<h1>Pay with PayPal</h1><p>Order %s: <strong id="amount">%s %s</strong></p>
<form method="post" action="/checkoutnow/approve"><input type="hidden" name="token" value="%s">
<button id="approve" type="submit">Pay Now</button></form>
<form method="post" action="/checkoutnow/cancel"><input type="hidden" name="token" value="%s">
<button id="cancel" type="submit">Cancel and return to the shop</button></form></body></html>""" % (
                unit.get("invoice_id", ""), unit["amount"]["value"], unit["amount"]["currency_code"], token, token)
            self.reply(200, page.encode(), content_type="text/html; charset=utf-8")

        def buyer_decides(self, approve):
            form = dict(urllib.parse.parse_qsl(self.read_body()))
            with LOCK:
                order = state.orders.get(form.get("token", ""))
                if not order:
                    return self.reply(404, b"no such order", content_type="text/plain")
                if approve and order["status"] == "PAYER_ACTION_REQUIRED":
                    order["status"] = "APPROVED"
                    order["update_time"] = now()
                    order["payer"] = {"name": {"given_name": "Test", "surname": "Buyer"},
                                      "email_address": "buyer@example.com",
                                      "payer_id": "".join(random.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
                                                          for _ in range(13))}
                    state.queue(order["id"], "CHECKOUT.ORDER.APPROVED", "checkout-order",
                                state.order_json(order), "An order has been approved by buyer")
                base = order["return_url"] if approve else order["cancel_url"]
                extra = {"token": order["id"]}
                if approve:
                    extra["PayerID"] = order["payer"]["payer_id"]
            sep = "&" if "?" in base else "?"
            self.reply(303, None, headers={"Location": base + sep + urllib.parse.urlencode(extra)})

        # --- test controls ---
        def control(self, parts):
            body = self.json_body()
            with LOCK:
                if parts == ["__expire_tokens"]:
                    state.tokens.clear()
                    return self.reply(200, {"expired": True})
                if parts[0] == "__orders" and len(parts) == 3:
                    order = state.orders.get(parts[1])
                    if not order:
                        return self.reply(404, {"error": "no such order"})
                    if parts[2] == "capture_mode":
                        order["capture_mode"] = body["mode"]
                        return self.reply(200, {"capture_mode": order["capture_mode"]})
                    if parts[2] == "emit":
                        # An event about the order's capture with the amount a test chooses.
                        cap = state.captures[order["captures"][0]]
                        resource = self.capture_event(cap["id"])
                        resource["amount"] = body.get("amount", resource["amount"])
                        event = state.queue(order["id"], body["event_type"], "capture", resource, "test event")
                        return self.reply(200, event)
                if parts[0] == "__captures" and len(parts) == 3:
                    cap = state.captures.get(parts[1])
                    if not cap:
                        return self.reply(404, {"error": "no such capture"})
                    if parts[2] in ("complete", "deny"):
                        cap["status"] = "COMPLETED" if parts[2] == "complete" else "DECLINED"
                        cap["update_time"] = now()
                        kind = "PAYMENT.CAPTURE.COMPLETED" if parts[2] == "complete" else "PAYMENT.CAPTURE.DENIED"
                        event = state.queue(cap["order_id"], kind, "capture", self.capture_event(cap["id"]), kind)
                        return self.reply(200, event)
                    if parts[2] == "refund_outside":
                        amount = {"currency_code": cap["amount"]["currency_code"], "value": body["value"]}
                        return self.reply(200, self.make_refund(cap, amount, None, None, False))
                    if parts[2] == "reverse":
                        rid = pp_id()
                        resource = {"id": rid, "status": "COMPLETED", "amount": cap["amount"],
                                    "note_to_payer": "Payment reversed",
                                    "links": [state.link("/v2/payments/refunds/" + rid, "self"),
                                              state.link("/v2/payments/captures/" + cap["id"], "up")],
                                    "create_time": now(), "update_time": now()}
                        cap["status"] = "REFUNDED"
                        event = state.queue(cap["order_id"], "PAYMENT.CAPTURE.REVERSED", "refund", resource,
                                            "A payment was reversed")
                        return self.reply(200, event)
                if parts == ["__deliver"]:
                    entries = [e for e in state.events
                               if e["order_id"] == body.get("order_id") and e["deliveries"] == 0]
                elif parts[0] == "__events" and len(parts) == 3 and parts[2] == "deliver":
                    entries = [e for e in state.events if e["event"]["id"] == parts[1]]
                else:
                    return self.reply(404, {"error": "no such control"})
            self.reply(200, [deliver(state, e, body.get("target")) for e in entries])

    return Handler
