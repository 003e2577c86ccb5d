export JXEN_WORK_DIR=/tmp/rv/work JXEN_LOCK_DIR=/tmp/rv/lock JXEN_STATE_DIR=/tmp/rv/state JXEN_HYPERVISOR_TYPE=/tmp/rv/hvtype JXEN_XL=/tmp/rv/fakexl
jx() { java -Djxen.home=/work/main -jar /tmp/rv/jxen.jar resize-image --config-dir /tmp/rv/etc --output /tmp/rv/xen --log /tmp/rv/log/r.log "$@"; echo "rc=$?"; }
