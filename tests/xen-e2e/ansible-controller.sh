#!/usr/bin/env bash
# Run by run-rig.sh on this machine while the Debian 13 dom0 runs under QEMU: this machine is the Ansible
# controller, the dom0 (its sshd reached through QEMU's forwarded port only, its host key pinned from the
# dom0 image) the managed node. When the dom0's test says it is ready (/run/rig-ansible-ready), the
# playbook ansible-rig.yml drives jxen.xen.jxen_guest from the repository's collection: a13 started
# with wait_ssh (it boots and answers SSH with the host key jxen made), the same run again with no
# change, stopped (xl shutdown), absent (deleted); jxen_facts lists it in between. Each step writes a
# check line to the host checks; then the dom0's test is told to go on (/run/rig-ansible-done).
#   ansible-controller.sh PORT KEY KNOWN_HOSTS WORKDIR CHECKS_FILE QEMU_PID
# The checks it makes, which must pass (run-rig.sh and XenRigIT read these lines):
# check: ansible-reached-dom0
# check: ansible-started
# check: ansible-a13-known-host
# check: ansible-again-unchanged
# check: ansible-stopped
# check: ansible-stopped-in-xl
# check: ansible-absent
# check: ansible-absent-left-nothing
set -uo pipefail
port=$1 key=$2 known=$3 work=$4 checks=$5 qemu=$6
here=$(cd "$(dirname "$0")" && pwd)
home=$(cd "$here/../.." && pwd)
hcheck() { # name, status, detail
    if [ "$2" = 0 ]; then echo "$1: ok $3" >> "$checks"; else echo "$1: FAIL $3" >> "$checks"; fi
}
dom0() {
    ssh -p "$port" -i "$key" -o UserKnownHostsFile="$known" -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes \
        -o BatchMode=yes -o ConnectTimeout=20 root@127.0.0.1 "$@"
}
# until the dom0's test is ready for the controller, or QEMU has ended
until dom0 test -e /run/rig-ansible-ready 2> /dev/null; do
    kill -0 "$qemu" 2> /dev/null || { hcheck ansible-reached-dom0 1 "QEMU ended before the dom0 was ready for Ansible"; exit 1; }
    sleep 10
done
hcheck ansible-reached-dom0 0 "ssh to the dom0 through QEMU's forwarded port, its host key pinned: $(dom0 'cat /etc/debian_version; uname -r' | tr '\n' ' ')"
cat > "$work/inventory.yml" <<EOF
all:
  hosts:
    dom0:
      ansible_host: 127.0.0.1
      ansible_port: $port
      ansible_user: root
      ansible_python_interpreter: /usr/bin/python3
      ansible_ssh_private_key_file: $key
      ansible_ssh_common_args: -o UserKnownHostsFile=$known -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes
EOF
# step name, guest_state: runs the playbook; its output in WORK/STEP.out, the module results in WORK/STEP.json
play() {
    rm -f "$work/$1.json"
    ANSIBLE_COLLECTIONS_PATH="$home/ansible" ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCAL_TEMP="$work/tmp" \
        ansible-playbook -i "$work/inventory.yml" "$here/ansible-rig.yml" -e "guest_state=$2" -e "result_file=$work/$1.json" \
        > "$work/$1.out" 2>&1
}
# step name: what the results say, as "ok|failed changed running facts-names facts-state-of-a13 msg"
said() {
    python3 - "$work/$1.json" <<'EOF'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except Exception as e:
    print("no-result - - - - %s" % e); sys.exit()
g = doc.get("guest", {})
guests = doc.get("guests", [])
a13 = [x.get("state") for x in guests if x.get("name") == "a13"]
print("%s %s %s %s %s %s" % ("failed" if g.get("failed") else "ok", g.get("changed"), g.get("running"),
      ",".join(x.get("name", "?") for x in guests) or "none", a13[0] if a13 else "absent",
      (g.get("msg") or " ".join(g.get("ssh_fingerprints", [])[:1]) or "").replace("\n", " ")[:300]))
EOF
}
step() { # check name, guest_state, expected "ok changed running" prefix, expected a13 state in the facts
    play "$1" "$2"
    read -r result changed running guests a13 msg <<< "$(said "$1")"
    [ "$result $changed $running" = "$3" ] && [ "$a13" = "$4" ]
    hcheck "$1" $? "guest_state=$2: result $result, changed $changed, running $running; jxen_facts: guests $guests, a13 $a13; $msg"
}
step ansible-started started "ok True True" running
# the guest answers SSH from the dom0 with the host key jxen made (known_hosts written by the create)
dom0 'ssh -o UserKnownHostsFile=/root/known_hosts-a13 -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes \
    -o ConnectTimeout=20 root@192.0.2.26 true' > "$work/ssh-a13.txt" 2>&1
grep -q 'Permission denied' "$work/ssh-a13.txt" && ! grep -q 'Host key verification failed' "$work/ssh-a13.txt"
hcheck ansible-a13-known-host $? "from the dom0, ssh with only jxen's known_hosts: $(tr '\n' ' ' < "$work/ssh-a13.txt")"
step ansible-again-unchanged started "ok False True" running
step ansible-stopped stopped "ok True False" stopped
dom0 "/usr/lib/xen-*/bin/xl list" > "$work/xl-list.txt" 2>&1
grep -q '^Domain-0 ' "$work/xl-list.txt" && ! grep -q '^a13 ' "$work/xl-list.txt"; hcheck ansible-stopped-in-xl $? "xl list: $(awk 'NR > 1 { print $1 }' "$work/xl-list.txt" | tr '\n' ' ')"
step ansible-absent absent "ok True None" absent
dom0 "lvs --noheadings -o lv_name vg0 && ls /etc/xen" > "$work/left.txt" 2>&1
status=$?
[ "$status" = 0 ] && grep -q 'xl.conf' "$work/left.txt" && ! grep -q 'a13' "$work/left.txt"; hcheck ansible-absent-left-nothing $? "volumes and .cfg files now: $(tr -s ' \n' ' ' < "$work/left.txt")"
dom0 'touch /run/rig-ansible-done'
