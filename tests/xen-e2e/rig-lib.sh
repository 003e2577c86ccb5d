# Sourced by the rig's tests in its dom0 (dom0-test.sh on Debian 12, dom0-test-13.sh on Debian 13):
# where things are, and how a check is written, a guest started, its login prompt awaited and proved.
R=/results
# the real xl of whichever Xen the dom0 runs (Debian's /usr/sbin/xl wants /sys/hypervisor)
xl=$(ls -d /usr/lib/xen-[0-9]*/bin 2>/dev/null | sort -V | tail -n 1)/xl
jxen=/opt/jxen/bin
check() { # name, status, detail
    if [ "$2" = 0 ]; then echo "$1: ok $3" >> $R/result.txt; else echo "$1: FAIL $3" >> $R/result.txt; fi
}

start() { # name [cfg]
    "$xl" create "${2:-/etc/xen/$1.cfg}" > "$R/xl-create-$1.txt" 2>&1
    date +%s > "$R/started-$1"
}
# One line per booted guest in result.txt, for the record and for the README's table of what is proven
# on Xen (XenRigIT checks the one against the other): name, guest release, type, boot path, storage,
# filesystem, network mode, whether it booted from its .cfg as jxen wrote it ("yes", or "no: " what the
# rig changed), and the seconds from xl create to its login prompt and (where jxen waited for it) to
# verified SSH.
guest_line() { # name, release, type, boot path, storage, filesystem, network, cfg as written[, guest whose create log says SSH]
    xen=${xen:-$("$xl" info 2>/dev/null | awk '$1 == "xen_major" { a = $3 } $1 == "xen_minor" { b = $3 } $1 == "xen_extra" { c = $3 } END { print a "." b c }')}
    ssh=$(sed -n 's/^SSH ready *: *\([0-9.]*\) s after xl create.*/\1 s/p' "$R/create-${9:-$1}.log" 2>/dev/null)
    counts=$(resets "$1")
    # the filesystem and the network mode are also read from what was made: the root disk (the .cfg's
    # first) and the vif's script; where they differ from what the script says, the line says both
    cfg=/etc/xen/$1.cfg
    [ -f "$cfg" ] || cfg=/tmp/$1.cfg
    root=$(sed -n 's/^ *"format=raw, vdev=[a-z0-9]*, access=rw, target=\(.*\)",$/\1/p' "$cfg" 2>/dev/null | head -n 1)
    fs=$(blkid -p -s TYPE -o value "$root" 2>/dev/null)
    script=$(sed -n 's/^vif = .*script=vif-\([a-z]*\).*/\1/p' "$cfg" 2>/dev/null)
    mode=${script:-bridge}
    [ "$fs" = "${6%%,*}" ] || set -- "$1" "$2" "$3" "$4" "$5" "$6 (the root disk: ${fs:-unknown})" "$7" "$8" "${9:-}"
    [ "$mode" = "${7%% *}" ] || set -- "$1" "$2" "$3" "$4" "$5" "$6" "$7 (the .cfg's vif: $mode)" "$8" "${9:-}"
    echo "guest $1: dom0 Debian $(cat /etc/debian_version), Xen $xen, guest $2, $3, $4, storage $5, fs $6, network $7, cfg as written: $8," \
        "login $(sed "s/$/ s/" "$R/login-secs-$1" 2>/dev/null || echo none), SSH ${ssh:-not waited for}," \
        "resets ${counts% *} (triple faults Xen logged: ${counts#* })" >> $R/result.txt
}
# name: how often the guest's domain reset with no shutdown of its own (xl's "reason code 1" with
# on_reboot restart), and how many of those Xen logged as a triple fault. Under QEMU's TCG a PVH guest
# now and then triple-faults at no fixed point (in GRUB, in early boot, after its login prompt): the
# emulated CPU's doing, which the rig records and waits out, not jxen's. A reset Xen did not log as a
# triple fault would be the guest asking for a reboot: resets_check fails on that.
resets() {
    n=0 faults=0
    "$xl" dmesg > "$R/xl-dmesg.txt" 2>&1
    for d in $(sed -n 's/^Domain \([0-9]*\) has shut down, reason code 1 .*/\1/p' "/var/log/xen/xl-$1.log" 2>/dev/null); do
        n=$((n + 1))
        grep -q "d${d}v[0-9]* Triple fault" "$R/xl-dmesg.txt" && faults=$((faults + 1))
    done
    echo "$n $faults"
}
resets_check() { # name
    set -- "$1" $(resets "$1")
    [ "$2" = "$3" ]; check "resets-$1" $? "$2 resets, $3 of them triple faults Xen logged (the emulated CPU's)"
}
# seconds: an end time that many seconds from now, for until_past
deadline() { echo $(( $(date +%s) + $1 )); }
until_past() { [ "$(date +%s)" -ge "$1" ]; }
# name, seconds: wait for its login prompt; prints the console line
wait_login() {
    console=/var/log/xen/console/guest-$1.log
    for i in $(seq $(( $2 / 3 ))); do
        if grep -q 'login:' "$console" 2>/dev/null; then break; fi
        sleep 3
    done
    cp "$console" "$R/" 2>/dev/null
    grep -m1 'login:' "$console" 2>/dev/null
}
# seconds from the guest's xl create to its console line (xenconsoled stamps [YYYY-MM-DD HH:MM:SS])
since_start() {
    at=$(date -d "$(echo "$2" | sed -n 's/^\[\([0-9-]* [0-9:]*\)\].*/\1/p')" +%s 2>/dev/null || date +%s)
    echo $(( at - $(cat "$R/started-$1") ))
}
# name, ip, what[, seconds]: wait for its login prompt, then ping it
prove() {
    name=$1 ip=$2 what=$3
    line=$(wait_login "$name" "${4:-720}")
    if [ -n "$line" ]; then
        since_start "$name" "$line" > "$R/login-secs-$name"
        check "login-$name" 0 "$what: login prompt $(cat "$R/login-secs-$name") s after xl create: $line"
    else
        check "login-$name" 1 "$what: no login prompt $(( $(date +%s) - $(cat "$R/started-$name") )) s after xl create"
    fi
    # a guest the emulated CPU reset after its login prompt answers again once it has booted again
    ping=1 end=$(deadline 600)
    until until_past "$end"; do
        if ping -c 1 -W 2 "$ip" > "$R/ping-$name.txt" 2>&1; then ping=0; break; fi
        sleep 2
    done
    check "ping-$name" $ping "$(grep -m1 'bytes from' "$R/ping-$name.txt")"
}
# name, guest whose .cfg and disks it boots, .cfg lines that replace its type, kernel and bootloader
as_cfg() {
    name=$1 base=$2; shift 2
    sed -e "s/^name .*/name = \"$name\"/" -e '/^type\|^kernel\|^bootloader/d' "/etc/xen/$base.cfg" > "/tmp/$name.cfg"
    printf '%s\n' "$@" >> "/tmp/$name.cfg"
}
# name, guest, ip, what, .cfg lines: a PVH boot, with a second xl create (given 10 minutes) when the first shows no login prompt in 5
prove_pvh() {
    name=$1 base=$2 ip=$3 what=$4; shift 4
    as_cfg "$name" "$base" "$@"
    start "$name" "/tmp/$name.cfg"
    if [ -z "$(wait_login "$name" 300)" ]; then
        "$xl" destroy "$name" 2>/dev/null
        mv /var/log/xen/console/guest-$name.log "$R/guest-$name-first.log" 2>/dev/null
        start "$name" "/tmp/$name.cfg"
        what="$what, second xl create"
    fi
    # the second boot gets more time: under a busy host TCG slows it past 5 minutes (the ping that follows then answers)
    prove "$name" "$ip" "$what" 600
    "$xl" destroy "$name" 2>/dev/null
}

# name, ip, what: a guest jxen started with --wait-ssh and --known-hosts (/root/known_hosts-NAME, else
# /root/known_hosts): jxen saw its own host key (the summary's "SSH ready" line), and OpenSSH's client,
# with only that known_hosts, accepts the key and asks for a login (it has no key the guest accepts);
# the login prompt's seconds are counted from jxen's xl create
ssh_checks() {
    ready=$(sed -n 's/^SSH ready *: *//p' "$R/create-$1.log")
    [ -n "$ready" ]; check "ssh-$1" $? "$3: $ready"
    [ -f "$R/started-$1" ] || started_by_jxen "$1"
    kh=/root/known_hosts-$1
    [ -f "$kh" ] || kh=/root/known_hosts
    # until sshd answers either way (a reset by the emulated CPU takes it away for minutes)
    end=$(deadline 600)
    until until_past "$end"; do
        ssh -o UserKnownHostsFile="$kh" -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes \
            -o ConnectTimeout=20 "root@$2" true > "$R/ssh-$1.txt" 2>&1
        grep -q 'Permission denied\|Host key verification failed' "$R/ssh-$1.txt" && break
        sleep 5
    done
    grep -q 'Permission denied' "$R/ssh-$1.txt" && ! grep -q 'Host key verification failed' "$R/ssh-$1.txt"
    check "known-hosts-$1" $? "ssh with only jxen's known_hosts: $(tr '\n' ' ' < "$R/ssh-$1.txt")"
}
# name: the time of jxen's xl create, from the create's end and its "SSH ready" seconds (called right after the create)
started_by_jxen() {
    secs=$(sed -n 's/^SSH ready *: *\([0-9]*\)\..*/\1/p' "$R/create-$1.log")
    [ -n "$secs" ] && echo $(( $(date +%s) - secs )) > "$R/started-$1"
}

# dir, port, log, a URL it serves: serves dir with Python's http.server on the bridge's address until
# the URL answers; the server's PID in $served
serve() {
    (cd "$1" && exec python3 -m http.server "$2" --bind 192.0.2.1) > "$3" 2>&1 &
    served=$!
    for i in $(seq 30); do
        python3 -c "import urllib.request; urllib.request.urlopen('$4')" 2>/dev/null && break
        sleep 1
    done
}

# dir, mirror URL, log, release: answers for the mirror on the bridge (its name in /etc/hosts: the dom0
# has no resolver) with what dir holds, until that release's InRelease answers; the server's PID in $served
serve_mirror() {
    host=$(echo "$2" | sed -E 's|^https?://([^/:]+).*|\1|')
    port=$(echo "$2" | sed -nE 's|^https?://[^/:]+:([0-9]+).*|\1|p')
    grep -q " $host\$" /etc/hosts || echo "192.0.2.1 $host" >> /etc/hosts
    serve "$1" "${port:-80}" "$3" "$2/dists/$4/InRelease"
}

jxen_create() {
    "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --lvm vg0 --install-method tar "$@"
}

# name, dist, ip, the summary's Boot line, jxen options...: make the guest, with a static address on the
# bridge; with ip "-" the options give the network. With --boot --wait-ssh, the time of jxen's xl create is kept.
make_guest() {
    name=$1 dist=$2 ip=$3 boot=$4; shift 4
    if [ "$ip" = - ]; then set -- "$@"; else set -- --ip "$ip" --netmask 255.255.255.0 --gateway 192.0.2.1 --bridge xenbr0 "$@"; fi
    jxen_create --hostname "$name" --install-source "/srv/$dist.tar.zst" --dist "$dist" --size 2G --swap 128M --memory 512M \
        --nohosts --password rig-only-password "$@" > "$R/create-$name.log" 2>&1
    status=$?
    started_by_jxen "$name"
    said=$(sed -n 's/^Boot *: *//p' "$R/create-$name.log")
    [ "$status" = 0 ] && [ "$said" = "$boot" ]
    check "create-$name" $? "boots as '$said' (expected '$boot'); $(grep -E '^Time ' "$R/create-$name.log" | tr -s ' \n' ' ')$(tail -n 1 "$R/create-$name.log")"
}
