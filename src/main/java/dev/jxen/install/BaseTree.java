package dev.jxen.install;

import java.util.Optional;

/** What the base install put into the guest's root, and from where. */
public sealed interface BaseTree {
    /** The mirror the base came from, which the guest's apt sources name; empty for none or a local source. */
    Optional<String> mirror();

    /** For the summary: the method, or "cache" and the entry's short key. */
    String describe();

    /** {@code --install=0}: the root holds no base system. */
    record None() implements BaseTree {
        public Optional<String> mirror() {
            return Optional.empty();
        }

        public String describe() {
            return "none";
        }
    }

    /** Unpacked or copied from a local source ({@code --install-method tar} or {@code copy}), which is not cached. */
    record Local(String method) implements BaseTree {
        public Optional<String> mirror() {
            return Optional.empty();
        }

        public String describe() {
            return method;
        }
    }

    /** Installed from {@code mirror} by debootstrap or mmdebstrap. */
    record Installed(String method, String fromMirror) implements BaseTree {
        public Optional<String> mirror() {
            return Optional.of(fromMirror);
        }

        public String describe() {
            return method;
        }
    }

    /** From the base-tree cache's entry {@code key}: unpacked, or the root cloned from its ready image. */
    record Cached(String key, String fromMirror) implements BaseTree {
        public Optional<String> mirror() {
            return Optional.of(fromMirror);
        }

        public String describe() {
            return "cache " + key.substring(0, 12);
        }
    }
}
