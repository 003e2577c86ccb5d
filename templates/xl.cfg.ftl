<#-- The domU configuration for the xl toolstack (xl.cfg(5)).
     Copy this file to /etc/xen-tools/templates/ to change it; templates/README.md lists the model.
     Every string goes through xl(...), which quotes it for xl, so that no value can add a key. -->
#
# ${hostname}: ${dist}/${arch}, made by jxen
#
name    = ${xl(hostname)}
memory  = ${memory?c}
<#if maxmem?has_content>
maxmem  = ${maxmem}
</#if>
vcpus   = ${vcpus?c}
type    = ${xl(type)}

<#if installer_kernel?has_content>
<#-- the Debian Installer's run (--install-method installer): its kernel, its initrd with the preseed -->
kernel  = ${xl(installer_kernel)}
ramdisk = ${xl(installer_ramdisk)}
extra   = ${xl(installer_extra)}
<#elseif boot_path == "dom0-kernel">
kernel  = ${xl(kernel)}
<#if initrd?has_content>
ramdisk = ${xl(initrd)}
</#if>
root    = ${xl(root_device + " ro")}
extra   = ${xl("console=" + serial_device + " elevator=noop")}
<#elseif boot_path == "pvgrub2">
<#-- pvgrub2: GRUB built for Xen reads the guest's own /boot/grub/grub.cfg -->
kernel  = ${xl(pvgrub2_image)}
<#else>
bootloader = "pygrub"
</#if>

<#-- the root disk first: pygrub and pvgrub read the first disk of the list, as xen-tools knows;
     target= comes last, where xl takes the rest of the string as the path, commas included -->
disk = [
<#list disks?filter(d -> d.mountpoint == "/") + disks?filter(d -> d.mountpoint != "/") as d>
    ${xl("format=raw, vdev=" + d.vdev + ", access=rw, target=" + d.target)},
</#list>
]

<#-- bridge: the vif joins a bridge (an Open vSwitch one, tagged, with vlan); route and nat: the
     dom0 routes or NATs the guest's address with Xen's vif-route / vif-nat scripts -->
<#assign vif = ["mac=" + mac]>
<#if network_mode == "bridge">
<#if bridge?has_content && vlan?has_content>
<#assign vif = vif + ["bridge=" + bridge + "." + vlan, "script=vif-openvswitch"]>
<#elseif bridge?has_content>
<#assign vif = vif + ["bridge=" + bridge]>
</#if>
<#elseif network_mode == "route">
<#assign vif = vif + ["script=vif-route"]>
<#else>
<#assign vif = vif + ["script=vif-nat"]>
</#if>
<#if vifname?has_content>
<#assign vif = vif + ["vifname=" + vifname]>
</#if>
<#if !dhcp && ip?has_content>
<#assign vif = vif + ["ip=" + ip]>
</#if>
vif = [ ${xl(vif?join(", "))} ]

on_poweroff = "destroy"
<#if installer_kernel?has_content>
<#-- the installer reboots when it is done: that ends its domain, and jxen writes the guest's own .cfg -->
on_reboot   = "destroy"
on_crash    = "destroy"
<#else>
on_reboot   = "restart"
on_crash    = "restart"
</#if>
