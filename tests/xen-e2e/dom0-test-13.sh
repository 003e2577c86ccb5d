#!/bin/sh
# Runs inside the rig's Debian 13 dom0 (Xen 4.20, GRUB 2.12, OpenJDK 21): what jxen writes, booted by
# today's Debian and Xen.
#   d13   the README's first command, with only what the rig needs added (a static address on its
#         bridge, --boot --wait-ssh --known-hosts): the dom0's release from the mirror of its apt
#         sources (which the dom0 answers for here, with the release's InRelease), the root cloned
#         from the dom0's own base-tree cache (made by Debian 13's mmdebstrap, run-rig.sh's step 2e)
#         into an image file under --dir, pvgrub2 and PVH as jxen chooses by default, started by jxen
#         from the .cfg exactly as it wrote it, --wait-ssh accepting the host key jxen made, its keys
#         then in a known_hosts that OpenSSH's client accepts
#   g13   bookworm PV with pygrub (Xen 4.20 keeps pygrub under /usr/lib/xen-4.20/bin only) on LVM,
#         from the bookworm base tree in /srv; its own e2fsck (1.47.0) checks at boot the root this
#         dom0's mke2fs (1.47.2) made
#   f13   forky (testing), PV with pvgrub2, started by jxen, SSH verified
#   a13   made, started, stopped and deleted by Ansible from the rig's host (dom0-ansible.sh)
#   inst1 the Debian Installer route (dom0-installer.sh), its initrd with jxen's preseed appended
#   thin1, thin2  roots as thin snapshots of the cached bookworm base (dom0-thin.sh, on this dom0's cache)
# Each reaches a login prompt and answers ping on the bridge; with g13 running, list says so and
# delete refuses it; after xl shutdown delete removes it.
# The checks that must pass, one per line, for run-rig.sh:
# check: vg
# check: bridge
# check: xen-4.20
# check: pvh-capable
# check: create-d13
# check: cfg-as-written-d13
# check: ssh-d13
# check: known-hosts-d13
# check: login-d13
# check: ping-d13
# check: resets-d13
# check: create-g13
# check: login-g13
# check: ping-g13
# check: own-fsck-g13
# check: list-running-g13
# check: delete-refuses-running-g13
# check: delete-after-shutdown-g13
# check: ansible-node
# check: create-f13
# check: forky-f13
# check: ssh-f13
# check: known-hosts-f13
# check: login-f13
# check: ping-f13
# check: delete-f13
# check: ansible-controller-done
# check: installer-xen-guest
# check: installer-read-preseed
# check: installer-network-from-preseed
# check: installer-stops-at-dialog
# check: installer-rollback
# check: thin-pool
# check: plan-thin-snapshot
# check: create-thin1
# check: thin1-root-is-snapshot
# check: thin1-own-uuid-and-size
# check: thin2-shares-base
# check: login-thin1
# check: ping-thin1
# check: thin-delete-keeps-base
# check: thin-cache-keeps-used-base
# check: thin-cache-prunes-unused-base
set -u
. /opt/jxen-rig/rig-lib.sh
t0=$(date +%s)
: > $R/result.txt
sed -n 's/^# check: //p' /opt/jxen-rig/dom0-test.sh > $R/expected.txt

pvcreate -ff -y /dev/vdb && vgcreate vg0 /dev/vdb
check vg $? "$(vgs --noheadings -o vg_name,vg_size vg0 2>&1 | tr -s ' ')"
ip link add xenbr0 type bridge && ip addr add 192.0.2.1/24 dev xenbr0 && ip link set xenbr0 up
check bridge $? ""
"$xl" info > $R/xl-info.txt 2>&1
version=$(awk '$1 == "xen_major" { a = $3 } $1 == "xen_minor" { b = $3 } END { print a "." b }' $R/xl-info.txt)
[ "$version" = 4.20 ]; check xen-4.20 $? "xl info: Xen $version, $(grep -m1 '^xen_extra' $R/xl-info.txt | tr -s ' '), Debian $(cat /etc/debian_version), $(java -version 2>&1 | head -n 1)"
grep -q '^virt_caps.*hvm' $R/xl-info.txt; check pvh-capable $? "$(grep '^virt_caps' $R/xl-info.txt)"

# The mirror of the dom0's apt sources, answered here on the bridge with the releases' InRelease files
mirror=$(cat /srv/www13/mirror)
serve_mirror /srv/www13 "$mirror" "$R/www13-http.log" trixie
www=$served

# d13: the README's first command, booted by jxen from its .cfg as written. Its first SSH may take a
# boot or two: under TCG a PVH guest now and then triple-faults (cr2 in the kernel's cpu entry area,
# as Xen's dump shows) and xl starts it again, each boot about 3.5 minutes to its login prompt.
"$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --hostname d13 --dir /srv/jxen \
    --ip 192.0.2.20 --netmask 255.255.255.0 --gateway 192.0.2.1 --bridge xenbr0 --nohosts \
    --boot --wait-ssh=1500 --known-hosts /root/known_hosts > "$R/create-d13.log" 2>&1
status=$?
said=$(sed -n 's/^Boot *: *//p' "$R/create-d13.log")
[ "$status" = 0 ] && [ "$said" = "pvgrub2, PVH" ] && [ -f /srv/jxen/domains/d13/disk.img ] && grep -q 'trixie' "$R/create-d13.log" \
    && grep -q 'as a \(sparse copy\|reflink clone\)' /var/log/xen-tools/d13.log
check create-d13 $? "exit $status; boots as '$said'; $(grep -m1 -e 'Distribution' "$R/create-d13.log" | tr -s ' '); $(grep -m1 -o 'created /srv/jxen/domains/d13/disk.img.*' /var/log/xen-tools/d13.log); $(grep -E '^Time ' "$R/create-d13.log" | tr -s ' \n' ' ')"
cp /etc/xen/d13.cfg "$R/d13.cfg" 2>/dev/null
grep -q '^type *= *"pvh"' /etc/xen/d13.cfg && grep -q 'grub-i386-xen_pvh.bin' /etc/xen/d13.cfg && grep -q '/srv/jxen/domains/d13/disk.img' /etc/xen/d13.cfg
check cfg-as-written-d13 $? "xl create of /etc/xen/d13.cfg as jxen wrote it: $(grep -E '^(type|kernel|disk) ' /etc/xen/d13.cfg | tr -s ' \n' ' ')"
if [ "$status" = 0 ]; then
    ssh_checks d13 192.0.2.20 "trixie PVH pvgrub2"
    prove d13 192.0.2.20 "trixie PVH pvgrub2 (GRUB 2.12), image file, started by jxen"
    resets_check d13
else
    for c in ssh known-hosts login ping; do check "$c-d13" 1 "the create of d13 failed: $(tail -n 2 "$R/create-d13.log" | tr "\n" " ")"; done
    resets_check d13
    cp /var/log/xen/console/guest-d13.log "$R/" 2>/dev/null
fi
guest_line d13 trixie PVH "pvgrub2 (GRUB 2.12)" "image file under --dir, root cloned from the base-tree cache (mmdebstrap)" ext4 "bridge (ifupdown)" yes
"$xl" destroy d13 2>/dev/null

# g13: bookworm PV pygrub on LVM
make_guest g13 bookworm 192.0.2.21 "pygrub, PV" --pygrub
start g13
prove g13 192.0.2.21 "bookworm PV pygrub on LVM"
guest_line g13 bookworm PV "pygrub (Xen 4.20's libexec one)" "LVM (tar base)" ext4 "bridge (ifupdown)" yes
"$xl" list > $R/xl-list.txt 2>&1
# the guest's own e2fsck (bookworm's 1.47.0) checked at boot the root this dom0's mke2fs (1.47.2) made
console=$(sed 's/\x1b\[[0-9;]*m//g' "$R/guest-g13.log" 2>/dev/null)
# (the initramfs checks it where it has fsck, else systemd-fsck-root does)
fsck_line=$(echo "$console" | grep -m1 -E ': clean, [0-9]+/[0-9]+ files|Finished systemd-fsck-root.service')
[ -n "$fsck_line" ] && ! echo "$console" | grep -qiE 'unsupported feature|newer version of e2fsck|fsck (died|failed)|Failed to start systemd-fsck'
check own-fsck-g13 $? "$(echo "$fsck_line" | tr -d '\r' | cut -c1-120); made by $(mke2fs -V 2>&1 | head -n 1)"
"$jxen"/jxen-list-images --json > $R/list.json 2>&1
grep -q '"name":"g13".*"state":"running"' $R/list.json
check list-running-g13 $? "$(cat $R/list.json)"
"$jxen"/jxen-delete-image --lvm vg0 g13 > $R/delete-running.log 2>&1
[ $? = 3 ]; check delete-refuses-running-g13 $? "$(tr '\n' ' ' < $R/delete-running.log)"
timeout 300 "$xl" shutdown -w g13 > $R/shutdown-g13.txt 2>&1 || "$xl" destroy g13
"$jxen"/jxen-delete-image --lvm vg0 g13 > $R/delete.log 2>&1
status=$?
left=$(lvs --noheadings -o lv_name vg0 | grep -cE '^ *g13-(disk|swap) *$')
[ "$status" = 0 ] && [ "$left" = 0 ] && [ ! -e /etc/xen/g13.cfg ]
check delete-after-shutdown-g13 $? "exit $status, $left of g13's volumes left; $(tr '\n' ' ' < $R/delete.log)"
kill "$www" 2>/dev/null

# the Ansible controller on the rig's host makes its guest a13 (dom0-ansible.sh) while f13, a forky
# (testing) guest, is made and booted here: PV with pvgrub2 (GRUB 2.12), the kernel its hook unpacked
. /opt/jxen-rig/dom0-ansible.sh
ansible_ready
make_guest f13 forky 192.0.2.22 "pvgrub2, PV" --type pv --boot --wait-ssh=900 --known-hosts /root/known_hosts-f13
ssh_checks f13 192.0.2.22 "forky PV pvgrub2"
prove f13 192.0.2.22 "forky PV pvgrub2 (GRUB 2.12)"
# the system that booted says it is forky (its console's banner)
issue=$(sed 's/\x1b\[[0-9;]*m//g' "$R/guest-f13.log" 2>/dev/null | grep -m1 -o 'Debian GNU/Linux [a-z/]*')
[ "$issue" = "Debian GNU/Linux forky/sid" ]; check forky-f13 $? "the console: '$issue'; $(grep -m1 'Distribution' "$R/create-f13.log" | tr -s ' ')"
guest_line f13 forky PV "pvgrub2 (GRUB 2.12)" "LVM (tar base)" ext4 "bridge (ifupdown)" yes
"$xl" destroy f13 2>/dev/null
"$jxen"/jxen-delete-image --lvm vg0 f13 > "$R/delete-f13.log" 2>&1
check delete-f13 $? "$(tail -n 1 "$R/delete-f13.log")"
ansible_done

# the installer route: Xen 4.20's domain builder no longer unpacks a guest's modules, so the installer's
# kernel gets its initrd as jxen wrote it (two gzip members, the second one jxen's preseed)
. /opt/jxen-rig/dom0-installer.sh
installer_route

. /opt/jxen-rig/dom0-thin.sh
THIN_CACHE=/var/cache/jxen/base THIN_WWW=/srv/www13 THIN_MIRROR=/srv/www13/mirror thin_clones
echo "total: $(( $(date +%s) - t0 )) s" >> $R/result.txt
