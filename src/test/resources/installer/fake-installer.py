"""Stands in for the Debian Installer's domain in InstallerRouteIT: a real pty pair, whose slave is
the console jxen reads, and what the installer writes there in the scenario given:
  success  the preseed's lines, then its reboot (the domain ends)
  dialog   a "[!!]" dialog that nobody answers (until xl destroy)
  early    the preseed's first line, then the domain ends without the install's"""
import os
import re
import struct
import sys
import time
import tty

state, scenario = sys.argv[1], sys.argv[2]
master, slave = os.openpty()
tty.setraw(slave)
with open(os.path.join(state, "pid"), "w") as f:
    f.write(str(os.getpid()))
open(os.path.join(state, "running"), "w").close()
with open(os.path.join(state, "tty"), "w") as f:
    f.write(os.ttyname(slave))
host = open(os.path.join(state, "name")).read().strip().split(".")[0]


def say(text):
    os.write(master, text.encode())
    time.sleep(0.2)


time.sleep(1)
say("[    0.000000] Linux version 6.1.0-fake (the installer's kernel)\r\n")
say("JXEN-PRESEED: read by the installer, hostname %s\r\n" % host)
if scenario == "dialog":
    say("\x1b[1;1H\x1b[0;37;44m\x1b[6;10H\x1b(0lqqqqu\x1b(B [!!] Configure the network \x1b(0tqqqqk\x1b(B")
    say("\x1b[8;12HNetwork autoconfiguration failed\x1b[10;12H<Continue>\r\n")
    time.sleep(600)
if scenario == "success":
    # the partitions the installer would make on its one disk
    disk = re.search(r"target=([^\"]+)\"", open(os.path.join(state, "install.cfg")).read()).group(1)
    sectors = os.path.getsize(disk) // 512
    swap = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x82, b"\0\0\0", 2048, 256 * 2048)
    root = struct.pack("<B3sB3sII", 0x80, b"\0\0\0", 0x83, b"\0\0\0", 2048 + 256 * 2048, sectors - 2048 - 256 * 2048)
    with open(disk, "r+b") as f:
        f.seek(446)
        f.write(swap + root + bytes(32) + b"\x55\xaa")
    say("\x1b[4;3HInstalling the base system\r\n")
    say("JXEN-INSTALLED: %s\r\n" % host)
time.sleep(0.5)
os.remove(os.path.join(state, "running"))
os.close(master)
os.close(slave)
