"""Sends one line to an echo server through a SOCKS proxy with PySocks and prints what came back.

Used by PySocksClientTest: a real, independent SOCKS client. Every socket operation has a timeout.
"""
import argparse
import sys

import socks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--type", choices=["socks4", "socks5"], required=True)
    parser.add_argument("--proxy-host", required=True)
    parser.add_argument("--proxy-port", type=int, required=True)
    parser.add_argument("--rdns", action="store_true", help="let the proxy resolve the destination name")
    parser.add_argument("--user", help="SOCKS5 username, or the SOCKS4 user id")
    parser.add_argument("--password")
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("line")
    args = parser.parse_args()

    proxy_type = socks.SOCKS4 if args.type == "socks4" else socks.SOCKS5
    s = socks.socksocket()
    s.settimeout(5)
    s.set_proxy(proxy_type, args.proxy_host, args.proxy_port, rdns=args.rdns,
                username=args.user, password=args.password)
    try:
        s.connect((args.host, args.port))
        payload = (args.line + "\n").encode("utf-8")
        s.sendall(payload)
        received = b""
        while len(received) < len(payload):
            chunk = s.recv(len(payload) - len(received))
            if not chunk:
                break
            received += chunk
        print(received.decode("utf-8").rstrip("\n"))
    except Exception as e:  # the test asserts on the message (PySocks wraps errors in GeneralProxyError)
        print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 2
    finally:
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
