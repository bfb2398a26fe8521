"""Runs the PayPal stand-in on a private port and the validating proxy in front of it.

    peer.py --port-file FILE [--port N] --client-id ID --secret S --webhook-id WH

FILE receives the proxy's port once both answer; the app's `payments.paypal.api_base` is
http://127.0.0.1:<that port>.
"""

import argparse
import os
import sys
import threading
from http.server import ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import proxy  # noqa: E402
import standin  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--webhook-id", required=True)
    args = ap.parse_args()

    specs = proxy.load_specs()
    # Parallel tests open many connections at once; the default backlog of 5 resets some.
    ThreadingHTTPServer.request_queue_size = 256
    front = ThreadingHTTPServer(("127.0.0.1", args.port), None)
    base = "http://127.0.0.1:%d" % front.server_address[1]
    state = standin.State(args.client_id, args.secret, args.webhook_id, base)
    back = ThreadingHTTPServer(("127.0.0.1", 0), standin.make_handler(state))
    front.RequestHandlerClass = proxy.make_handler(specs, "http://127.0.0.1:%d" % back.server_address[1])
    front.daemon_threads = back.daemon_threads = True
    threading.Thread(target=back.serve_forever, daemon=True).start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(front.server_address[1]))
    os.replace(tmp, args.port_file)
    print("PayPal stand-in behind the validating proxy at", base, flush=True)
    front.serve_forever()


if __name__ == "__main__":
    main()
