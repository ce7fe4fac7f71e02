package io.github.knthumbnails.testsupport;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * What a browser sends for an S3 POST-policy upload (issue 12): {@code multipart/form-data} with the policy's
 * fields in order and the file last, as the part {@code file} (AWS: "the file or content must be the last field in
 * the form").
 */
public final class BrowserForm {

    private BrowserForm() {
    }

    /**
     * @param url    the form's action, e.g. {@code http://127.0.0.1:9000/images}
     * @param fields the form fields, in the order given (the policy's {@code fields})
     * @param file   the file's bytes, sent as {@code cat.jpg} of type {@code image/jpeg}
     * @return the request builder, body and Content-Type set; add headers (e.g. {@code Origin}) and build
     */
    public static HttpRequest.Builder post(String url, Map<String, String> fields, byte[] file) {
        String boundary = "----thumbnails-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data;"
                + " name=\"" + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.jpg\""
                + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }
}
