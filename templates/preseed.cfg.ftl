<#-- The Debian Installer's answers for an unattended install of this guest (debian-installer's
     preseeding: https://www.debian.org/releases/stable/amd64/apb.en.html). jxen appends the result
     to a copy of the installer's initrd as /preseed.cfg. Copy this file to /etc/xen-tools/templates/
     to change it; values are one line each (jxen refuses others before rendering). -->
#### jxen: ${hostname}, ${dist}/${arch}
<#-- the line jxen looks for on the console: the installer read this file -->
d-i preseed/early_command string echo "JXEN-PRESEED: read by the installer, hostname ${shortname}" > /dev/console
d-i debian-installer/locale string en_US.UTF-8
d-i keyboard-configuration/xkb-keymap select us

### Network
d-i netcfg/choose_interface select auto
<#if dhcp>
d-i netcfg/disable_autoconfig boolean false
<#else>
d-i netcfg/disable_autoconfig boolean true
d-i netcfg/get_ipaddress string ${ip}
d-i netcfg/get_netmask string ${netmask}
<#if gateway?has_content>
d-i netcfg/get_gateway string ${gateway}
<#else>
d-i netcfg/get_gateway string none
d-i netcfg/no_default_route boolean true
</#if>
d-i netcfg/get_nameservers string ${nameservers?join(" ")}
d-i netcfg/confirm_static boolean true
</#if>
d-i netcfg/get_hostname string ${shortname}
d-i netcfg/get_domain string ${domain}
d-i netcfg/hostname string ${shortname}
d-i hw-detect/load_firmware boolean false

### Mirror
d-i mirror/country string manual
d-i mirror/protocol string ${mirror_protocol}
d-i mirror/${mirror_protocol}/hostname string ${mirror_host}
d-i mirror/${mirror_protocol}/directory string ${mirror_directory}
d-i mirror/${mirror_protocol}/proxy string ${apt_proxy}
d-i mirror/suite string ${dist}

### Accounts: root only, its password as a hash
d-i passwd/root-login boolean true
d-i passwd/make-user boolean false
<#if root_password_hash?has_content>
d-i passwd/root-password-crypted password ${root_password_hash}
<#else>
d-i passwd/root-password-crypted password !
</#if>

### Clock
d-i clock-setup/utc boolean true
d-i time/zone string Etc/UTC
d-i clock-setup/ntp boolean false

### Partitioning: the guest's one disk, as the layout says
d-i partman-auto/disk string ${install_disk}
d-i partman-auto/method string regular
<#-- each partition its size (partman counts MB); / takes what is left of the disk -->
d-i partman-auto/expert_recipe string jxen :: <#list partitions as p>${p.mebibytes?c} ${p.mebibytes?c} <#if p.mountpoint == "/">-1<#else>${p.mebibytes?c}</#if> <#if p.swap>linux-swap $primary{ } method{ swap } format{ }<#else>${p.type} $primary{ }<#if p.mountpoint == "/"> $bootable{ }</#if> method{ format } format{ } use_filesystem{ } filesystem{ ${p.type} } mountpoint{ ${p.mountpoint} }</#if> .<#sep> </#sep></#list>
d-i partman-auto/choose_recipe select jxen
d-i partman-partitioning/confirm_write_new_label boolean true
d-i partman/choose_partition select finish
d-i partman/confirm boolean true
d-i partman/confirm_nooverwrite boolean true

### Packages
d-i apt-setup/non-free-firmware boolean false
d-i apt-setup/services-select multiselect security, updates
tasksel tasksel/first multiselect standard, ssh-server
<#if packages?has_content>
d-i pkgsel/include string ${packages?join(" ")}
</#if>
d-i pkgsel/upgrade select none
popularity-contest popularity-contest/participate boolean false

### Boot: GRUB's menu on the disk, which ${boot_path} reads
d-i grub-installer/only_debian boolean true
d-i grub-installer/bootdev string ${install_disk}

### The end: the SSH host keys jxen made, root's authorized keys (--authorized-keys), the line jxen waits for,
### then the reboot that ends the domain
d-i preseed/late_command string ${late_command}
d-i finish-install/reboot_in_progress note
