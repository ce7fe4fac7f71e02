package io.github.knthumbnails.events;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses request bodies over {@link RequestLimits#maxBodyBytes()} with {@code 413 Content Too Large} (RFC 9110
 * §15.5.14) before anything reads them (issue 8, finding 8). Registered first in the filter chain of every
 * function (minio-source, resize, status).
 *
 * <ul>
 *   <li>A declared {@code Content-Length} over the limit is refused without reading a byte of the body;</li>
 *   <li>a body of unknown length (chunked) is read up to the limit plus one byte: if there is more, it is
 *       refused; otherwise the bytes read (at most the limit) are handed on as the request's body;</li>
 *   <li>everything else passes unchanged.</li>
 * </ul>
 * The refusal is {@code {"error": "..."}} JSON naming the limit and {@value RequestLimits#MAX_REQUEST_BYTES},
 * with {@code Connection: close}: the rest of the body is never read, so the connection cannot be reused. A
 * Knative Broker does not retry a 413 (it retries 404, 408, 409, 429 and 5xx); MinIO retries every non-2xx from
 * its queue, which is why the limit sits far above any genuine webhook body (one record, a few KiB). Thread-safe.
 */
public final class RequestBodyLimitFilter implements Filter {

    private final long maxBytes;

    /**
     * @param limits the body limit
     */
    public RequestBodyLimitFilter(RequestLimits limits) {
        this.maxBytes = limits.maxBodyBytes();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
            chain.doFilter(request, response);
            return;
        }
        long declared = http.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(out, declared + " bytes");
            return;
        }
        if (declared >= 0) {
            // The container never hands out more than Content-Length bytes.
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readAtMost(http.getInputStream(), maxBytes + 1);
        if (body.length > maxBytes) {
            refuse(out, "more than " + maxBytes + " bytes (chunked)");
            return;
        }
        chain.doFilter(new BufferedBody(http, body), response);
    }

    private void refuse(HttpServletResponse response, String size) throws IOException {
        byte[] json = ("{\"error\":\"request body too large: " + size + "; the limit is " + maxBytes
                + " bytes (" + RequestLimits.MAX_REQUEST_BYTES + ")\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(413);
        response.setHeader("Connection", "close");
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
        response.flushBuffer();
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while (total < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) != -1) {
            body.write(buffer, 0, n);
            total += n;
        }
        return body.toByteArray();
    }

    /** The request with its (already read, within the limit) body served from memory. */
    private static final class BufferedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already buffered; read it blocking");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
