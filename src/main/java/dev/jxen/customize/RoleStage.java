package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.error.InvalidInputException;
import dev.jxen.guest.Sandbox;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.Command;
import dev.jxen.system.FileTrust;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs the --role scripts after the hooks, each with the guest root as its first argument and
 * --role-args (split on blanks) after it, in the hooks' environment.
 */
public final class RoleStage implements Stage<Void> {
    private final ImageSpec.CustomizeSpec customize;
    private final List<Path> roleDirs;
    private final boolean finalRoles;
    private final Sandbox.Policy policy;
    private final Path hookLib;
    private final StageResult<MountedRoot> mounted;
    private final Function<StageContext, GuestFacts> facts;

    /**
     * @param roleDirs   where role names are looked up, first match wins (--roledir, then jxen's roles/)
     * @param finalRoles true for --finalrole, run once the .cfg exists (the guest still mounted, as in xen-tools)
     */
    public RoleStage(ImageSpec.CustomizeSpec customize, List<Path> roleDirs, boolean finalRoles, Sandbox.Policy policy, Path hookLib,
                     StageResult<MountedRoot> mounted, Function<StageContext, GuestFacts> facts) {
        this.customize = customize;
        this.mounted = mounted;
        this.facts = facts;
        this.hookLib = hookLib;
        this.roleDirs = List.copyOf(roleDirs);
        this.finalRoles = finalRoles;
        this.policy = policy;
    }

    @Override
    public String name() {
        return finalRoles ? "final roles" : "roles";
    }

    private List<String> roles() {
        return finalRoles ? customize.finalRoles() : customize.roles();
    }

    Path resolve(String role) {
        if (role.startsWith("/")) {
            return Path.of(role);
        }
        for (Path d : roleDirs) {
            Path p = d.resolve(role);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return roleDirs.get(0).resolve(role);
    }

    @Override
    public void verify() {
        List<String> problems = new ArrayList<>();
        for (String r : roles()) {
            Path p = resolve(r);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                problems.add((finalRoles ? "--finalrole " : "--role ") + r + ": no executable role script " + p + " (looked in " + roleDirs + ")");
            } else {
                FileTrust.problem(p).ifPresent(why -> problems.add((finalRoles ? "--finalrole " : "--role ") + r + ": " + why
                        + "; roles run as root, so jxen runs only roles that only root can change"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        if (!roles().isEmpty()) {
            Sandbox.requireTools(policy.trust());
        }
    }

    private static List<String> argv(Path role, String root, String roleArgs) {
        List<String> argv = new ArrayList<>(List.of(role.toString(), root));
        for (String a : roleArgs.strip().split("\\s+")) {
            if (!a.isEmpty()) {
                argv.add(a);
            }
        }
        return argv;
    }

    /**
     * The role arguments that name plain files or directories of the dom0 (key files, a sudoers file, a
     * directory of sed scripts), as a path or as {@code key=/path}: what an untrusted guest's sandbox lets
     * the role read. Only files and directories, not links, in places root alone can change: a file in a
     * user's directory could be swapped for a link to a secret before the role runs.
     */
    private List<Path> namedFiles() {
        List<String> argv = argv(Path.of("/"), "/", customize.roleArgs());
        List<Path> out = new ArrayList<>();
        for (String word : argv.subList(2, argv.size())) {
            String a = word.matches("[A-Za-z][A-Za-z0-9._-]*=/.*") ? word.substring(word.indexOf('=') + 1) : word;
            Path p = Path.of(a);
            boolean plain = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (!a.startsWith("/") || a.chars().anyMatch(c -> c < 0x20) || !plain || out.contains(p)) {
                continue;
            }
            try {
                // a directory's files could be swapped for links by its owner: only root's, which no one else can write
                boolean safe = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || rootsAlone(p);
                if (dev.jxen.system.FilePlace.of(p, "--role-args").rootOnly() && safe) {
                    out.add(p);
                }
            } catch (dev.jxen.error.InvalidInputException e) {
                // a file others can change is not handed to a guest's sandbox
            }
        }
        return out;
    }

    private static boolean rootsAlone(Path dir) {
        try {
            int mode = ((Number) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
            return ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue() == 0 && (mode & 022) == 0;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        if (roles().isEmpty()) {
            return List.of(PlannedAction.note(finalRoles ? "no final roles" : "no roles"));
        }
        List<PlannedAction> out = new ArrayList<>();
        out.add(PlannedAction.note("each role runs " + Sandbox.describe(policy)
                + (policy.trust() == Sandbox.Trust.UNTRUSTED && !namedFiles().isEmpty() ? "; the files its arguments name are readable there: " + namedFiles() : "")));
        roles().forEach(r -> out.add(PlannedAction.run(Command.of(argv(resolve(r), "MOUNTPOINT", customize.roleArgs())))));
        return out;
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        if (roles().isEmpty()) {
            return null;
        }
        try (GuestWork w = GuestWork.open(ctx, policy, ctx.get(mounted).root())) {
            for (String r : roles()) {
                Path p = resolve(r);
                ctx.run(w.sandbox().wrap(new Command(argv(p, w.guest().path().toString(), customize.roleArgs()),
                        HookEnvironment.of(facts.apply(ctx), hookLib), null, null, "role " + p.getFileName(), false), namedFiles()));
            }
        }
        return null;
    }
}
