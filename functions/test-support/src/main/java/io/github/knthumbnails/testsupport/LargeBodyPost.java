package io.github.knthumbnails.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one HTTP/1.1 POST with a large generated body over a plain socket and reads the answer while the body is
 * still being written — the way a hostile client keeps sending after the server has answered. The body (zeros)
 * is generated on the fly in 64 KiB pieces, never held in memory, so a test can send 64 MiB or more on a small
 * heap. Only for 127.0.0.1 test servers.
 */
public final class LargeBodyPost {

    private static final int CHUNK = 64 * 1024;
    private static final int SOCKET_TIMEOUT_MS = 60_000;

    private LargeBodyPost() {
    }

    /**
     * What came back.
     *
     * @param status    the HTTP status code
     * @param head      the status line and headers, as text
     * @param body      the start of the response body (at most 64 KiB), as UTF-8
     * @param bytesSent how many body bytes the client managed to write before the server answered and closed, or
     *                  the whole body if the server read it all
     */
    public record Response(int status, String head, String body, long bytesSent) {
    }

    /**
     * @param port      the server's port on 127.0.0.1
     * @param path      the request path, e.g. {@code /dead-letter}
     * @param headers   extra request headers (no {@code Content-Length}/{@code Transfer-Encoding})
     * @param bodyBytes the body length in bytes
     * @param chunked   {@code true} to send {@code Transfer-Encoding: chunked} (no length up front),
     *                  {@code false} to declare {@code Content-Length}
     * @return the response
     * @throws IOException if no response could be read (the connection failed before a status line arrived)
     */
    public static Response post(int port, String path, Map<String, String> headers, long bodyBytes, boolean chunked)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), SOCKET_TIMEOUT_MS);
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            AtomicLong sent = new AtomicLong();
            StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            // The server closes after its answer, so the body's end is the connection's end.
            request.append("Connection: close\r\n");
            request.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bodyBytes + "\r\n");
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread writer = new Thread(() -> writeBody(out, bodyBytes, chunked, sent), "large-body-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            String body = readBody(in, head);
            socket.shutdownInput();
            writer.interrupt();
            try {
                socket.close();
                writer.join(SOCKET_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = Integer.parseInt(head.substring(9, 12));
            return new Response(status, head, body, sent.get());
        }
    }

    private static void writeBody(OutputStream out, long bodyBytes, boolean chunked, AtomicLong sent) {
        byte[] zeros = new byte[CHUNK];
        try {
            long left = bodyBytes;
            while (left > 0 && !Thread.currentThread().isInterrupted()) {
                int n = (int) Math.min(CHUNK, left);
                if (chunked) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write(zeros, 0, n);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                sent.addAndGet(n);
                left -= n;
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        } catch (IOException e) {
            // The server answered and closed the connection: exactly what a limit should do.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        throw new IOException("the connection closed before a complete response head: '" + head + "'");
    }

    private static String readBody(InputStream in, String head) throws IOException {
        long length = -1;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).strip());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long limit = length >= 0 ? Math.min(length, CHUNK) : CHUNK;
        try {
            int b;
            while (body.size() < limit && (b = in.read()) != -1) {
                body.write(b);
            }
        } catch (IOException e) {
            // A reset after the body: keep what arrived.
        }
        return body.toString(StandardCharsets.UTF_8);
    }
}
