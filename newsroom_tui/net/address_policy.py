"""Which addresses a page named by content may be fetched from, and the connections that hold
to it.

A feed names pages (its entries' links, a listing's detail links) and servers name redirects;
on a team's poller in a server room those names could reach the machines around it: the
router, an admin page on localhost, the cloud's metadata service at 169.254.169.254. Pages
named by content are therefore fetched only from public addresses: never from loopback,
private (RFC 1918, fc00::/7, site-local fec0::/10), link-local, shared (100.64.0.0/10),
multicast, reserved or unspecified ones, IPv4 and IPv6 (an IPv4 address inside IPv6 is judged
as itself), unless the configuration allows a network or host name
(``general.allow_private_addresses``, for an intranet). The subscriptions a user typed are
the user's choice and are not judged.

The check is made where the connection is made (:mod:`newsroom_tui.net.checked_transport`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AddressRefused(Exception):
    """A page named by content is on an address we do not fetch from (one line)."""


# The policy of a fetcher made without one: public addresses only.
DEFAULT_POLICY_ENTRIES: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddressPolicy:
    """The non-public networks and host names pages named by content may come from."""

    networks: tuple[Network, ...] = ()
    hosts: tuple[str, ...] = ()  # a name allows itself and every name under it

    @classmethod
    def parse(cls, entries: Iterable[object]) -> AddressPolicy:
        """From the config file's list: "10.1.0.0/16", "192.168.5.20", "fd00::/8",
        "intranet.stadt.de"; ValueError naming the first entry that is none of these."""
        networks: list[Network] = []
        hosts: list[str] = []
        for entry in entries:
            if not isinstance(entry, str) or not entry.strip():
                raise ValueError(f"{entry!r} is not an address, a network or a host name")
            text = entry.strip().lower()
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
                continue
            except ValueError:
                pass
            name = text.rstrip(".")
            labels = name.split(".")
            if not name or len(name) > 253 or not all(_label_ok(label) for label in labels):
                raise ValueError(f"{entry!r} is not an address, a network or a host name")
            hosts.append(name)
        return cls(tuple(networks), tuple(hosts))

    @property
    def key(self) -> str:
        """The policy in one line, the same for the same networks and names in any order
        ("" for public addresses only): a page it refused is tried again only under another
        (:mod:`newsroom_tui.ingest.refused_pages`)."""
        return " ".join(sorted({str(n) for n in self.networks}) + sorted(set(self.hosts)))

    def allows_host(self, host: str) -> bool:
        name = host.lower().rstrip(".")
        return any(name == h or name.endswith("." + h) for h in self.hosts)

    def refusal(self, address: Address) -> str | None:
        """Why ``address`` is not fetched from ("link to a private address 10.0.0.5"), or
        None when it is public or allowed."""
        judged = _unwrapped(address)
        kind = _kind(judged)
        if kind is None or any(judged in net or address in net for net in self.networks):
            return None
        return f"link to {kind} address {address}"


def _label_ok(label: str) -> bool:
    return 0 < len(label) <= 63 and all(c.isalnum() or c == "-" for c in label)


def _unwrapped(address: Address) -> Address:
    """The IPv4 address inside an IPv6 one (::ffff:10.0.0.5, 6to4, NAT64's well-known
    prefix), else the address itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _kind(address: Address) -> str | None:
    """The kind of a non-public address, with its article; None for a public one."""
    if address.is_loopback:
        return "a loopback"
    if address.is_link_local:
        return "a link-local"
    if address.is_multicast:
        return "a multicast"
    if address.is_unspecified:
        return "an unspecified"
    if address.is_private or not address.is_global or address.is_reserved:
        return "a private"
    if any(address in network for network in _ALSO_NOT_PUBLIC):
        return "a private"
    return None


# Not public, yet global to the ipaddress of Python before 3.11.10 / 3.12.4 (IETF protocol
# assignments) or to any (IPv6 site-local, deprecated but still routed on old intranets).
_ALSO_NOT_PUBLIC: tuple[Network, ...] = (
    ipaddress.IPv4Network("192.0.0.0/24"),
    ipaddress.IPv6Network("fec0::/10"),
)
