"""Where a probe connects: an address typed in, or a mail domain's MX hosts and their
addresses (RFC 5321 §5.1, RFC 7505), through a `Resolver` that tests replace.
"""

from __future__ import annotations

import ipaddress
import time
from typing import Protocol

from smtp_tui.core.probe_connection import elapsed_since
from smtp_tui.core.probe_report import FAILURES, Failure, MxHost, Report, Stage, Step


class LookupFailed(Exception):
    """A DNS lookup that failed (not one that found nothing)."""


class NoSuchDomain(Exception):
    pass


class Resolver(Protocol):
    """A DNS lookup: the records' texts (``10 mx.example.`` for MX); [] when there are none."""

    def __call__(self, name: str, rdtype: str) -> list[str]: ...


def dns_resolver(timeout: float) -> Resolver:
    """dnspython, imported only here: the rest of smtp-tui never pays for it."""
    import dns.exception
    import dns.resolver

    def lookup(name: str, rdtype: str) -> list[str]:
        try:
            answer = dns.resolver.resolve(name, rdtype, lifetime=timeout, search=False)
        except dns.resolver.NXDOMAIN:
            raise NoSuchDomain(name) from None
        except dns.resolver.NoAnswer:
            return []
        except dns.exception.Timeout:
            raise LookupFailed("no DNS answer in time") from None
        except dns.exception.DNSException as error:
            raise LookupFailed(str(error) or type(error).__name__) from None
        return [record.to_text() for record in answer]

    return lookup


def _literal(target: str) -> str | None:
    """The address in ``192.0.2.1``, ``[192.0.2.1]``, ``::1`` or ``[IPv6:::1]``, else None."""
    text = target.strip().removeprefix("[").removesuffix("]")
    text = text[5:] if text.lower().startswith("ipv6:") else text
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def candidates(
    target: str, report: Report, lookup: Resolver
) -> tuple[list[tuple[str, str]], Step | None]:
    """The (host, address) pairs to try in order, or the DNS step that says why there are none.

    A mail domain's MX hosts in preference order; without MX, the domain itself as the implicit
    MX (RFC 5321 §5.1); a null MX (RFC 7505) means no mail at all.
    """
    literal = _literal(target)
    if literal is not None:
        return [(literal, literal)], None
    name = target.strip().rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return [(name, "127.0.0.1")], None  # RFC 6761 §6.3: never asked of the DNS
    started = time.monotonic()

    def fail(failure: Failure, **values: object) -> tuple[list[tuple[str, str]], Step]:
        note = FAILURES[failure].format(name=name, **values)
        return [], Step(
            Stage.DNS, None, elapsed_ms=elapsed_since(started), note=note, failure=failure
        )

    try:
        records = lookup(name, "MX")
    except NoSuchDomain:
        return fail(Failure.NO_SUCH_DOMAIN)
    except LookupFailed as error:
        return fail(Failure.DNS_FAILED, detail=str(error))
    hosts: list[MxHost] = []
    for record in records:
        preference, _, exchange = record.partition(" ")
        if preference.isdigit():
            hosts.append(MxHost(int(preference), exchange.strip().rstrip(".").lower()))
    hosts.sort(key=lambda mx: mx.preference)
    report.mx = hosts
    if len(hosts) == 1 and hosts[0].host == "":
        return fail(Failure.NULL_MX)
    names = [mx.host for mx in hosts if mx.host] or [name]
    found: list[tuple[str, str]] = []
    problem = ""
    for host in names:
        for rdtype in ("A", "AAAA"):
            try:
                found += [(host, address) for address in lookup(host, rdtype)]
            except (NoSuchDomain, LookupFailed) as error:
                problem = str(error)
    if not found:
        if problem and hosts:
            return fail(Failure.DNS_FAILED, detail=problem)
        return fail(Failure.NO_ADDRESS)
    return found, None
