127.0.0.1       localhost
<#if ip?has_content && !dhcp>
${ip}    ${hostname}<#if domain?has_content> ${shortname}</#if>
<#else>
127.0.1.1       ${hostname}<#if domain?has_content> ${shortname}</#if>
</#if>

# The following lines are desirable for IPv6 capable hosts
::1     localhost ip6-localhost ip6-loopback
ff02::1 ip6-allnodes
ff02::2 ip6-allrouters
