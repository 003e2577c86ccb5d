<#-- The .cfg of a guest whose root is on NFS (jxen-create-nfs), for the xl toolstack (xl.cfg(5)).
     xl has no keys for an NFS root: the guest's kernel takes it from its command line (root=/dev/nfs,
     nfsroot=, ip=; the kernel's Documentation/admin-guide/nfs/nfsroot.rst), which xl passes as extra.
     Copy this file to /etc/xen-tools/templates/ to change it; every string goes through xl(...). -->
#
# ${hostname}: root on NFS ${nfs_server}:${nfs_root}, made by jxen-create-nfs
#
name    = ${xl(hostname)}
memory  = ${memory?c}
type    = "pv"

kernel  = ${xl(kernel)}
<#if initrd?has_content>
ramdisk = ${xl(initrd)}
</#if>
<#if dhcp>
<#assign ipconf = "dhcp">
<#else>
<#-- ip=client:server:gateway:netmask:hostname:device:autoconf:dns0:dns1 -->
<#assign ipconf = [ip, "", gateway, netmask, hostname, interface, "off"]>
<#if nameservers?has_content>
<#assign ipconf = ipconf + nameservers>
</#if>
<#assign ipconf = ipconf?join(":")>
</#if>
extra   = ${xl("root=/dev/nfs nfsroot=" + nfs_server + ":" + nfs_root + ",vers=" + nfs_version + " ip=" + ipconf + " rw console=" + serial_device)}

<#assign vif = []>
<#if mac?has_content>
<#assign vif = vif + ["mac=" + mac]>
</#if>
<#if bridge?has_content>
<#assign vif = vif + ["bridge=" + bridge]>
</#if>
vif = [ ${xl(vif?join(", "))} ]

on_poweroff = "destroy"
on_reboot   = "restart"
on_crash    = "restart"
