"""Sends datagrams to a UDP echo server through a SOCKS5 proxy's UDP relay with PySocks, and prints
what came back: one line per datagram, "<source host> <source port> <size> <first 32 bytes>".

Used by PySocksUdpTest: a real, independent SOCKS5 UDP client (UDP ASSOCIATE, RFC 1928 section 7
headers). Every socket operation has a timeout.
"""
import argparse
import socket
import sys

import socks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--proxy-host", required=True)
    parser.add_argument("--proxy-port", type=int, required=True)
    parser.add_argument("--rdns", action="store_true", help="send names to the proxy unresolved")
    parser.add_argument("--size", type=int, default=0, help="pad each datagram to this many bytes")
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("messages", nargs="+")
    args = parser.parse_args()

    s = socks.socksocket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.set_proxy(socks.SOCKS5, args.proxy_host, args.proxy_port, rdns=args.rdns)
    try:
        s.bind(("127.0.0.1", 0))
        for message in args.messages:
            payload = message.encode("utf-8")
            if args.size > len(payload):
                payload += b"x" * (args.size - len(payload))
            s.sendto(payload, (args.host, args.port))
            data, source = s.recvfrom(65535)
            print("%s %d %d %s" % (source[0], source[1], len(data), data[:32].decode("utf-8", "replace")))
    except Exception as e:  # the test asserts on the message
        print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 2
    finally:
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
