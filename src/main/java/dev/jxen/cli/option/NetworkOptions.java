package dev.jxen.cli.option;

import picocli.CommandLine.Option;

import java.util.List;

/** The guest's network. */
public class NetworkOptions {
    @Option(names = "--ip", paramLabel = "ADDRESS", description = "Static address, optionally /prefix; repeatable (the first is the main one).") public List<String> ip;
    @Option(names = "--dhcp", description = "Configure the network by DHCP (--nodhcp to turn off).") public boolean dhcp;
    @Option(names = {"--nodhcp", "--no-dhcp"}, hidden = true) public boolean nodhcp;
    @Option(names = "--gateway", paramLabel = "ADDRESS", description = "Default gateway.") public String gateway;
    @Option(names = "--netmask", paramLabel = "MASK", description = "Netmask, such as 255.255.255.0.") public String netmask;
    @Option(names = "--broadcast", paramLabel = "ADDRESS", description = "Broadcast address.") public String broadcast;
    @Option(names = "--nameserver", paramLabel = "ADDRESSES", description = "Name servers, separated by spaces (default: the dom0's resolv.conf).") public String nameserver;
    @Option(names = "--mac", paramLabel = "MAC", description = "MAC address of the first interface (default: derived from the guest, as xen-tools does).") public String mac;
    @Option(names = "--randommac", description = "Use a random MAC address.") public boolean randommac;
    @Option(names = "--bridge", paramLabel = "BRIDGE", description = "Bridge for the guest's interface.") public String bridge;
    @Option(names = "--vifname", paramLabel = "NAME", description = "Name of the interface on the dom0.") public String vifname;
    @Option(names = "--vlan", paramLabel = "ID", description = "VLAN (Open vSwitch).") public String vlan;
    @Option(names = "--network-mode", completionCandidates = Candidates.NetworkModes.class, paramLabel = "MODE", description = "How the vif reaches the network: bridge (default), route (vif-route, static addresses) or nat (vif-nat).") public String networkMode;
    @Option(names = "--network-config", paramLabel = "KIND", description = "The guest's network configuration: ifupdown (default) or networkd (systemd-networkd, matched by MAC).") public String networkConfig;
    @Option(names = "--p2p", paramLabel = "ADDRESS", hidden = true, description = "Point-to-point peer (as xen-tools).") public String p2p;
    @Option(names = {"--nohosts", "--no-hosts"}, description = "Do not add the guest to the dom0's /etc/hosts.") public boolean nohosts;
    @Option(names = {"--copyhosts", "--copy-hosts"}, description = "Copy the dom0's /etc/hosts entries into the guest (--nocopyhosts to turn off).") public boolean copyhosts;
    @Option(names = {"--nocopyhosts", "--no-copyhosts", "--nocopy-hosts", "--no-copy-hosts"}, hidden = true) public boolean nocopyhosts;
}
