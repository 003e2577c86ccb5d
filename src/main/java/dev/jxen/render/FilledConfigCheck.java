package dev.jxen.render;

import dev.jxen.error.InvalidInputException;
import dev.jxen.storage.GuestDisk;
import dev.jxen.xen.DomUConfigFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a site's Text::Template wrote, read back as xl reads it ({@link DomUConfigFile}) and held
 * against the guest jxen makes. jxen's delete, list and update find a guest's disks in its .cfg, and
 * the guest's fstab names the Xen devices jxen chose: a .cfg that drops a disk, adds one, or puts one
 * under another device would leave a volume behind on delete or a guest that cannot mount its root,
 * so it is refused, naming the disk. A name other than the hostname, or another guest type than the
 * one jxen chose to boot, is refused too; a memory that is not a number of MiB (xl reads nothing else)
 * as well. Keys that only xm read are written as the template says, each with a warning.
 */
public final class FilledConfigCheck {
    /** xm-era keys xl does not read: xen-tools' own templates write them. */
    static final Set<String> XM_ONLY = Set.of("dhcp", "ip", "netmask", "gateway", "broadcast", "hostname", "nfs_server",
            "nfs_root", "xen_shell");

    private FilledConfigCheck() {
    }

    /**
     * @param disks the disks jxen makes for the guest (none for an NFS root)
     * @param type  the xl type jxen chose ({@code pv}, {@code pvh})
     * @return a warning for each xm-only key the template wrote
     */
    public static List<String> check(String text, String template, String hostname, List<GuestDisk> disks, String type) {
        DomUConfigFile cfg;
        try {
            cfg = DomUConfigFile.parse(Path.of(template), text);
        } catch (IOException e) {
            throw new InvalidInputException("template " + template + " wrote a .cfg that xl cannot read: " + e.getMessage());
        }
        Map<String, String> written = new LinkedHashMap<>();
        List<String> targets = cfg.diskTargets();
        List<String> devices = cfg.diskDevices();
        for (int i = 0; i < targets.size(); i++) {
            written.put(targets.get(i), devices.get(i));
        }
        List<String> problems = new ArrayList<>();
        for (GuestDisk d : disks) {
            String vdev = written.remove(d.path());
            if (vdev == null) {
                problems.add("it leaves out the disk " + d.path() + " (" + d.partition().name() + ", " + d.xenDevice() + ")");
            } else if (!vdev.equals(d.xenDevice())) {
                problems.add("it puts the disk " + d.path() + " on " + (vdev.isEmpty() ? "no device" : vdev) + ", where the guest's fstab has "
                        + d.xenDevice());
            }
        }
        written.keySet().forEach(t -> problems.add("it adds a disk jxen does not make: " + t));
        Map<String, String> values = cfg.values();
        String name = values.get("name");
        if (!hostname.equals(name)) {
            problems.add("it names the guest " + (name == null ? "nothing" : "'" + name + "'") + ", not " + hostname);
        }
        String writtenType = values.getOrDefault("type", "pv");
        if (!writtenType.equals(type)) {
            problems.add("it makes a " + writtenType + " guest where jxen boots a " + type + " one (give --pygrub, or --boot-path with a PV "
                    + "image, or write type = \"" + type + "\" in the template)");
        }
        String memory = values.get("memory");
        if (memory != null && !memory.matches("[0-9]+")) {
            problems.add("its memory = '" + memory + "' is not a number of MiB, which is all xl reads");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("template " + template + ": the .cfg it writes does not describe the guest jxen makes: "
                    + String.join("; ", problems) + "; change the template, or use jxen's own (leave --template unset)");
        }
        List<String> warnings = new ArrayList<>();
        for (String key : cfg.settings().keySet()) {
            if (XM_ONLY.contains(key)) {
                warnings.add("template " + template + " writes " + key + ", which xm read and xl does not; the .cfg keeps it as the template says");
            }
        }
        return warnings;
    }
}
