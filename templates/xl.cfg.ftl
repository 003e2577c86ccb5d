<#-- The domU configuration for the xl toolstack (xl.cfg(5)).
     Copy this file to /etc/xen-tools/templates/ to change it; templates/README.md lists the model. -->
#
# ${hostname}: made by jxen
#
name    = '${hostname}'
memory  = ${memory?c}
<#if maxmem?has_content>
maxmem  = ${maxmem}
</#if>
vcpus   = ${vcpus?c}
type    = 'pv'

<#if kernel?has_content>
kernel  = '${kernel}'
<#if initrd?has_content>
ramdisk = '${initrd}'
</#if>
root    = '${root_device} ro'
extra   = 'console=${serial_device} elevator=noop'
<#else>
bootloader = 'pygrub'
</#if>

disk = [
<#list disks as d>
    'format=raw, vdev=${d.vdev}, access=rw, target=${d.target}',
</#list>
]

vif = [ 'mac=${mac}<#if bridge?has_content>, bridge=${bridge}</#if><#if vifname?has_content>, vifname=${vifname}</#if><#if !dhcp && ip?has_content>, ip=${ip}</#if>' ]

on_poweroff = 'destroy'
on_reboot   = 'restart'
on_crash    = 'restart'
