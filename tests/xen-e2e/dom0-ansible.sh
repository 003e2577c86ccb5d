# Sourced by the Debian 13 dom0's test (rig-lib.sh's check, deadline, until_past, $R): the dom0 as the
# managed node of an Ansible controller on the machine the rig runs on (ansible-controller.sh, started
# by run-rig.sh). Its sshd listens on the NIC QEMU forwards one port of that machine's loopback to; the
# test says it is ready (ansible_ready), goes on with its own guests, and then waits (ansible_done, at
# most 30 minutes) until the controller has made, started, stopped and deleted its guest a13 through
# jxen.xen.jxen_guest; the controller's own checks go to the host's.
ansible_ready() {
    modprobe virtio_net 2>/dev/null
    nic=$(ls /sys/bus/virtio/drivers/virtio_net/*/net/ 2>/dev/null | head -n 1)
    [ -n "$nic" ] && ip link set "$nic" up && ip addr replace 10.0.2.15/24 dev "$nic" && mkdir -p /run/sshd \
        && /usr/sbin/sshd -o ListenAddress=10.0.2.15 -o PasswordAuthentication=no -o PermitRootLogin=prohibit-password
    check ansible-node $? "sshd on ${nic:-no NIC}: $(ip -br addr show dev "${nic:-lo}" 2>&1 | tr -s ' ')"
    touch /run/rig-ansible-ready
}
ansible_done() {
    end=$(deadline 1800)
    until [ -e /run/rig-ansible-done ] || until_past "$end"; do
        sleep 5
    done
    [ -e /run/rig-ansible-done ]; check ansible-controller-done $? "the controller $([ -e /run/rig-ansible-done ] && echo finished || echo 'did not finish in 30 minutes')"
    pkill -x sshd
    cp /var/log/xen-tools/a13.log /var/log/xen/console/guest-a13.log "$R/" 2>/dev/null
}
