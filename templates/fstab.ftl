# /etc/fstab: written by jxen for ${hostname}. Each partition is its own Xen disk.
# <file system>  <mount point>  <type>  <options>  <dump>  <pass>
proc             /proc          proc    defaults   0       0
<#list disks as d>
<#if d.type == "swap">
/dev/${d.vdev}      none           swap    sw         0       0
<#else>
/dev/${d.vdev}      ${d.mountpoint?right_pad(14)} ${d.type?right_pad(7)} ${d.options}  0  <#if d.mountpoint == "/">1<#else>2</#if>
</#if>
</#list>
