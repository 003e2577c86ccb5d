package dev.jxen.mirror;

import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads an HTTP answer up to a size limit: a mirror that sends without end is cut off, not buffered. */
final class BoundedBody {
    private BoundedBody() {
    }

    /** Thrown when the answer is larger than the limit. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String url, long limit) {
            super(url + " sent more than " + (limit >> 10) + " KiB, far more than such a file holds; refused");
        }
    }

    static String read(ResponseBody body, long limit, String url) throws IOException {
        if (body.contentLength() > limit) {
            throw new TooLargeException(url, limit);
        }
        try (InputStream in = body.byteStream()) {
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                throw new TooLargeException(url, limit);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
