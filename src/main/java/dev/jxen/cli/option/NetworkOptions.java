package dev.jxen.cli.option;

import picocli.CommandLine.Option;

import java.util.List;

/** The guest's network. */
public class NetworkOptions {
    @Option(names = "--ip", paramLabel = "ADDRESS") public List<String> ip;
    @Option(names = "--dhcp") public boolean dhcp;
    @Option(names = {"--nodhcp", "--no-dhcp"}, hidden = true) public boolean nodhcp;
    @Option(names = "--gateway", paramLabel = "ADDRESS") public String gateway;
    @Option(names = "--netmask", paramLabel = "MASK") public String netmask;
    @Option(names = "--broadcast", paramLabel = "ADDRESS") public String broadcast;
    @Option(names = "--nameserver", paramLabel = "ADDRESSES") public String nameserver;
    @Option(names = "--mac", paramLabel = "MAC") public String mac;
    @Option(names = "--randommac") public boolean randommac;
    @Option(names = "--bridge", paramLabel = "BRIDGE") public String bridge;
    @Option(names = "--vifname", paramLabel = "NAME") public String vifname;
    @Option(names = "--vlan", paramLabel = "ID") public String vlan;
    @Option(names = "--network-mode", completionCandidates = Candidates.NetworkModes.class, paramLabel = "MODE") public String networkMode;
    @Option(names = "--network-config", paramLabel = "KIND") public String networkConfig;
    @Option(names = "--p2p", paramLabel = "ADDRESS") public String p2p;
    @Option(names = {"--nohosts", "--no-hosts"}) public boolean nohosts;
    @Option(names = {"--copyhosts", "--copy-hosts"}) public boolean copyhosts;
    @Option(names = {"--nocopyhosts", "--no-copyhosts", "--nocopy-hosts", "--no-copy-hosts"}, hidden = true) public boolean nocopyhosts;
}
