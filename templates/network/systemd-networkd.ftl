# /etc/systemd/network/10-jxen.network: written by jxen for ${hostname} (systemd-networkd).
# Matched by MAC address, so it holds whatever the kernel names the interface.
[Match]
MACAddress=${mac?lower_case}

[Network]
<#if dhcp>
DHCP=yes
<#else>
<#list ips as i>
Address=${i.address}/${i.prefix?c}
</#list>
<#if gateway?has_content>
Gateway=${gateway}
</#if>
</#if>
<#list nameservers as ns>
DNS=${ns}
</#list>
