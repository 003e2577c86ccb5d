package dev.jxen.e2e;

/**
 * What several tests of one class use (a guest made by a slow create), made by whichever of them
 * needs it first: each test asks for it, so none depends on another having run before it, and it is
 * made once. A failure to make it fails every test that asks, with the same cause.
 */
final class Shared<T> {
    @FunctionalInterface
    interface Maker<T> {
        T make() throws Exception;
    }

    private final Maker<T> maker;
    private T value;
    private Exception failure;

    Shared(Maker<T> maker) {
        this.maker = maker;
    }

    synchronized T get() throws Exception {
        if (failure != null) {
            throw new IllegalStateException("making the shared fixture failed before: " + failure.getMessage(), failure);
        }
        if (value == null) {
            try {
                value = maker.make();
            } catch (Exception | AssertionError e) {
                failure = e instanceof Exception ex ? ex : new Exception(e);
                throw e;
            }
        }
        return value;
    }
}
