# /etc/systemd/network/10-jxen.network: written by jxen for ${hostname} (systemd-networkd).
# Matched by MAC address, so it holds whatever the kernel names the interface.
[Match]
MACAddress=${mac?lower_case}

[Network]
<#if dhcp>
DHCP=yes
<#else>
<#assign peered = p2p?has_content && ips?filter(i -> !i.v6)?has_content>
<#assign peer = peered?then(ips?filter(i -> !i.v6)?first, {})>
<#list ips as i>
<#if !peered || i.address != peer.address>
Address=${i.address}/${i.prefix?c}
</#if>
</#list>
<#if gateway?has_content && !peered>
Gateway=${gateway}
</#if>
</#if>
<#list nameservers as ns>
DNS=${ns}
</#list>
<#if !dhcp && peered>

# --p2p: the first IPv4 address on a point-to-point link (ifupdown's pointopoint); Peer= after
# Address=, as the last of the two sets the prefix: the address is the link's, the peer a /32
[Address]
Address=${peer.address}/${peer.prefix?c}
Peer=${p2p}/32
<#if gateway?has_content>

# the gateway is reached over the link, as ifupdown's onlink default route
[Route]
Gateway=${gateway}
GatewayOnLink=yes
</#if>
</#if>
