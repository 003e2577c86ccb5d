package dev.jxen.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address, optionally with a prefix length ({@code 192.0.2.10/24},
 * {@code 2001:db8::10/64}). Parsed without any name lookup.
 */
public record IpAddress(String address, int prefix, boolean v6) {
    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** @param prefix -1 when none was given */
    public static IpAddress parse(String text) {
        String addr = text;
        int prefix = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addr = text.substring(0, slash);
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length that is not a number");
            }
        }
        if (V4.matcher(addr).matches()) {
            if (prefix > 32) {
                throw new IllegalArgumentException("'" + text + "': an IPv4 prefix length is at most 32");
            }
            return new IpAddress(addr, prefix, false);
        }
        if (addr.contains(":") && V6.matcher(addr).matches()) {
            try {
                InetAddress.getByName(addr); // a literal: parsed, never looked up
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid IPv6 address");
            }
            if (prefix > 128) {
                throw new IllegalArgumentException("'" + text + "': an IPv6 prefix length is at most 128");
            }
            return new IpAddress(addr, prefix, true);
        }
        throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
    }

    /**
     * Why this cannot be a guest's own address: loopback (the dom0's own services answer there),
     * unspecified, multicast, link-local, or the IPv4 broadcast address; empty when it can be.
     */
    public java.util.Optional<String> notAHostAddress() {
        InetAddress a;
        try {
            a = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return java.util.Optional.of("not an address");
        }
        if (a.isLoopbackAddress()) {
            return java.util.Optional.of("a loopback address");
        }
        if (a.isAnyLocalAddress()) {
            return java.util.Optional.of("the unspecified address");
        }
        if (a.isMulticastAddress()) {
            return java.util.Optional.of("a multicast address");
        }
        if (a.isLinkLocalAddress()) {
            return java.util.Optional.of("a link-local address");
        }
        if (!v6 && address.equals("255.255.255.255")) {
            return java.util.Optional.of("the broadcast address");
        }
        return java.util.Optional.empty();
    }

    /** The address as a number, for network arithmetic. */
    public BigInteger value() {
        try {
            return new BigInteger(1, InetAddress.getByName(address).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dotted IPv4 netmask as a prefix length, or an error if its ones are not contiguous. */
    public static int netmaskPrefix(String text) {
        IpAddress mask = parse(text);
        if (mask.v6 || mask.prefix >= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a dotted IPv4 netmask such as 255.255.255.0");
        }
        long m = mask.value().longValue();
        int ones = Long.bitCount(m);
        long expected = ones == 0 ? 0 : (0xFFFFFFFFL << (32 - ones)) & 0xFFFFFFFFL;
        if (m != expected) {
            throw new IllegalArgumentException("'" + text + "' is not a netmask: its one bits are not contiguous");
        }
        return ones;
    }

    /** True if {@code other} lies in this address's network of the given prefix length. */
    public boolean sameNetwork(IpAddress other, int prefixLength) {
        if (v6 != other.v6) {
            return false;
        }
        int bits = v6 ? 128 : 32;
        BigInteger shift = value().shiftRight(bits - prefixLength);
        return shift.equals(other.value().shiftRight(bits - prefixLength));
    }

    /** True for an IPv4 address whose host bits, in a network of this prefix length, are all zeros or all ones. */
    public boolean isNetworkOrBroadcast(int prefixLength) {
        if (v6 || prefixLength >= 31) {
            return false;
        }
        BigInteger hostMask = BigInteger.ONE.shiftLeft(32 - prefixLength).subtract(BigInteger.ONE);
        BigInteger host = value().and(hostMask);
        return host.signum() == 0 || host.equals(hostMask);
    }

    @Override
    public String toString() {
        return prefix < 0 ? address : address + "/" + prefix;
    }
}
