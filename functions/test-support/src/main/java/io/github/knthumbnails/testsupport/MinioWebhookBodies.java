package io.github.knthumbnails.testsupport;

import java.nio.charset.StandardCharsets;

/**
 * MinIO webhook bodies in the shape current MinIO sends (minio/minio {@code internal/event/event.go}; compare the
 * real captures in {@code ../shared/testdata/events/minio}), for cases the tests generate themselves.
 */
public final class MinioWebhookBodies {

    private MinioWebhookBodies() {
    }

    /**
     * @param eventName  with MinIO's prefix, e.g. {@code s3:ObjectCreated:Copy}
     * @param bucket     bucket name
     * @param encodedKey the key as MinIO encodes it (Go {@code url.QueryEscape}), e.g. {@code a%2FMy+Cat.jpg}
     * @param key        the same key decoded, e.g. {@code a/My Cat.jpg} (MinIO's top-level {@code Key} holds it)
     * @param eTag       entity tag without quotes, or {@code null} to leave the field out (MinIO omits it when empty)
     * @return the UTF-8 body of one webhook POST
     */
    public static byte[] webhook(String eventName, String bucket, String encodedKey, String key, String eTag) {
        String json = """
                {"EventName":"%1$s","Key":"%2$s/%5$s","Records":[{"eventVersion":"2.0","eventSource":"minio:s3",
                "awsRegion":"","eventTime":"2026-11-23T10:15:30.123Z","eventName":"%1$s",
                "userIdentity":{"principalId":"minioadmin"},
                "requestParameters":{"principalId":"minioadmin","region":"","sourceIPAddress":"127.0.0.1"},
                "responseElements":{"x-amz-id-2":"dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8",
                "x-amz-request-id":"187A2C3F5B0D9E11","x-minio-deployment-id":"2369dcb4-348b-4d30-8fc9-61ab089ba4bc",
                "x-minio-origin-endpoint":"http://127.0.0.1:9000"},
                "s3":{"s3SchemaVersion":"1.0","configurationId":"Config","bucket":{"name":"%2$s",
                "ownerIdentity":{"principalId":"minioadmin"},"arn":"arn:aws:s3:::%2$s"},
                "object":{"key":"%3$s","size":2913134,"eTag":"%4$s","contentType":"image/jpeg",
                "userMetadata":{"content-type":"image/jpeg"},"sequencer":"187A2C3F5B2F4C00"}},
                "source":{"host":"127.0.0.1","port":"","userAgent":"MinIO (linux; amd64) minio-java/8.6.0"}}]}
                """.formatted(eventName, bucket, encodedKey, eTag, key);
        if (eTag == null) {
            json = json.replace("\"eTag\":\"null\",", "");
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
