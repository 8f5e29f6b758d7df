"""This machine's addresses on the local network, for a phone on the same Wi-Fi."""

import socket


def lan_addresses() -> list[str]:
    """The IPv4 address of the interface the default route uses, if it is not loopback.
    The UDP "connect" sends nothing and asks no DNS server (a host-name lookup can hang
    for seconds on a laptop with odd resolver settings, and settings call this)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:  # no network at all
        return []
    return [] if address.startswith(("127.", "0.")) else [address]


if __name__ == "__main__":  # the Makefile asks for the address to print
    print((lan_addresses() or ["127.0.0.1"])[0])
