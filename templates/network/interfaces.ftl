# /etc/network/interfaces: written by jxen for ${hostname} (ifupdown).
# The guest's first Xen NIC is ${interface} on ${dist}.

auto lo
iface lo inet loopback

auto ${interface}
<#if dhcp>
iface ${interface} inet dhcp
<#else>
<#assign v4 = ips?filter(i -> !i.v6)>
<#assign v6 = ips?filter(i -> i.v6)>
<#list v4 as i>
<#if i?index == 0>
iface ${interface} inet static
    address ${i.address}/${i.prefix?c}
<#if gateway?has_content && !gateway?contains(":")>
    gateway ${gateway}
</#if>
<#if broadcast?has_content>
    broadcast ${broadcast}
</#if>
<#if p2p?has_content>
    pointopoint ${p2p}
</#if>
<#else>
    up   ip addr add ${i.address}/${i.prefix?c} dev ${interface}
    down ip addr del ${i.address}/${i.prefix?c} dev ${interface}
</#if>
</#list>
<#list v6 as i>

iface ${interface} inet6 static
    address ${i.address}/${i.prefix?c}
<#if gateway?has_content && gateway?contains(":") && i?index == 0>
    gateway ${gateway}
</#if>
</#list>
</#if>
