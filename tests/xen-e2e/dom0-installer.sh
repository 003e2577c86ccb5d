# Sourced by the dom0 test (rig-lib.sh's check, serve, $R, $xl, $jxen): the Debian Installer route. The rig has no
# mirror, so the dom0 serves on its bridge only what jxen checks the installer against (the release's
# signed InRelease and the installer's SHA256SUMS); the installer's kernel and initrd, fetched and
# verified on the host by jxen, are in the dom0's installer cache under their SHA-256. jxen runs the
# installer as a Xen PV guest with its preseed: the installer reads it, configures the network and
# host name from it without asking, and asks the mirror for the release, where the rig's mirror ends:
# the installer then shows its "[!!]" mirror dialog, and jxen stops with that dialog's text,
# destroys the domain and removes the guest's volume.
installer_route() {
    mkdir -p /var/log/xen-tools
    serve /srv/mirror 8080 "$R/installer-http.log" http://192.0.2.1:8080/debian/dists/bookworm/InRelease
    http=$served
    "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --lvm vg0 --install-method installer --hostname inst1 \
        --dist bookworm --mirror http://192.0.2.1:8080/debian --size 2G --swap 128M --memory 512M --ip 192.0.2.20 \
        --netmask 255.255.255.0 --gateway 192.0.2.1 --nameserver 192.0.2.1 --bridge xenbr0 --nohosts --pygrub --type pv \
        --password rig-only-password > "$R/create-inst1.log" 2>&1
    status=$?
    kill "$http" 2>/dev/null
    cp /var/log/xen-tools/inst1.installer-console.log "$R/" 2>/dev/null
    console="$R/inst1.installer-console.log"
    grep -q 'the Debian Installer runs as domain' "$R/create-inst1.log"
    check installer-xen-guest $? "$(grep -m1 'Installer runs as domain' "$R/create-inst1.log")"
    grep -q 'JXEN-PRESEED: read by the installer, hostname inst1' "$console" 2>/dev/null
    check installer-read-preseed $? "$(grep -m1 'JXEN-PRESEED' "$console" 2>/dev/null)"
    # the guest asked the dom0's mirror for the release from the address and with the mirror its preseed gave
    grep -q '^192\.0\.2\.20 .*"GET /debian/dists/bookworm/' "$R/installer-http.log"
    check installer-network-from-preseed $? "$(grep -m1 '^192\.0\.2\.20 ' "$R/installer-http.log")"
    # the first dialog on screen is the mirror's: nothing before it (language, keyboard, network, host name) was asked
    first=$(grep -m1 -o '\[!!\] .*' "$console" 2>/dev/null)
    [ "$status" = 4 ] && echo "$first" | grep -qi 'mirror' && grep -q 'dialog the preseed did not answer' "$R/create-inst1.log"
    check installer-stops-at-dialog $? "status $status, first dialog: $first; $(grep -m1 "stage 'installer run' failed" "$R/create-inst1.log" | cut -c1-300)"
    sleep 2
    left=$(lvs --noheadings -o lv_name vg0 | grep -c 'inst1-')
    ! "$xl" list inst1 > /dev/null 2>&1 && [ "$left" = 0 ] && [ ! -e /etc/xen/inst1.cfg ] && [ -z "$(ls -A /var/lib/jxen/installer 2>/dev/null)" ]
    check installer-rollback $? "domain: $("$xl" list inst1 2>&1 | tail -n 1); $left volumes left; installer files: $(ls /var/lib/jxen/installer 2>/dev/null | tr '\n' ' ')"
}
