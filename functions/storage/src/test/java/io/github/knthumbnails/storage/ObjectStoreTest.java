package io.github.knthumbnails.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The adapter against a real S3 server (S3Proxy, in-process). */
class ObjectStoreTest {

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images");

    private final ObjectStore store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1"));

    @Test
    void statReturnsETagAndLowerCasedMetadata() {
        store.put("images", "uploads/My Cat é.jpg", bytes("abc"), "image/jpeg", Map.of("source-etag", "e1"));

        ObjectInfo info = store.stat("images", "uploads/My Cat é.jpg").orElseThrow();

        assertThat(info.eTag()).isEqualTo("900150983cd24fb0d6963f7d28e17f72").doesNotContain("\"");
        assertThat(info.size()).isEqualTo(3);
        assertThat(info.contentType()).isEqualTo("image/jpeg");
        assertThat(info.metadata()).containsEntry("source-etag", "e1");
    }

    @Test
    void aMissingObjectOrBucketIsEmptyNotAnError() {
        assertThat(store.stat("images", "nope.jpg")).isEmpty();
        assertThat(store.stat("no-such-bucket", "nope.jpg")).isEmpty();
    }

    @Test
    void getIfMatchReadsOnlyTheExpectedVersion() {
        store.put("images", "a.jpg", bytes("v1"), "image/jpeg", Map.of());
        String v1 = store.stat("images", "a.jpg").orElseThrow().eTag();

        assertThat(store.getIfMatch("images", "a.jpg", v1, 100)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("v1")));

        store.put("images", "a.jpg", bytes("v2"), "image/jpeg", Map.of());
        assertThat(store.getIfMatch("images", "a.jpg", v1, 100)).isEmpty();
        assertThat(store.getIfMatch("images", "gone.jpg", v1, 100)).isEmpty();
    }

    @Test
    void getIfMatchRefusesMoreThanTheLimit() {
        store.put("images", "big.jpg", new byte[101], "image/jpeg", Map.of());
        String eTag = store.stat("images", "big.jpg").orElseThrow().eTag();

        assertThatThrownBy(() -> store.getIfMatch("images", "big.jpg", eTag, 100))
                .isInstanceOf(ObjectStore.TooLargeException.class)
                .hasMessageContaining("100 bytes");
    }

    @Test
    void listPagesInKeyOrder() {
        for (String key : List.of("p/c", "p/a", "p/b", "q/a")) {
            store.put("images", key, bytes(key), "text/plain", Map.of());
        }

        ObjectStore.Page first = store.list("images", "p/", null, 2);
        ObjectStore.Page second = store.list("images", "p/", "p/b", 2);

        assertThat(first.objects()).extracting(ObjectInfo::key).containsExactly("p/a", "p/b");
        assertThat(first.more()).isTrue();
        assertThat(second.objects()).extracting(ObjectInfo::key).containsExactly("p/c");
        assertThat(second.more()).isFalse();
    }

    /** The largest page S3 allows: 1000 keys, and whether a 1001st follows (the backfill lists this way). */
    @Test
    void aPageOfAThousandKeysSaysWhetherMoreFollow() {
        for (int i = 0; i <= 1000; i++) {
            store.put("images", "many/" + String.format("%04d", i), bytes("x"), "text/plain", Map.of());
        }

        ObjectStore.Page first = store.list("images", "many/", null, 1000);
        ObjectStore.Page last = store.list("images", "many/", "many/0999", 1000);

        assertThat(first.objects()).hasSize(1000);
        assertThat(first.more()).isTrue();
        assertThat(last.objects()).extracting(ObjectInfo::key).containsExactly("many/1000");
        assertThat(last.more()).isFalse();
    }

    @Test
    void aPresignedUrlDownloadsTheObjectWithoutCredentials() throws Exception {
        store.put("images", "uploads/My Cat é.jpg", bytes("pixels"), "image/jpeg", Map.of());

        URI url = store.presignGet("images", "uploads/My Cat é.jpg", Duration.ofMinutes(5));
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes("pixels"));
    }

    @Test
    void anUnreachableServerIsAStorageException() {
        ObjectStore down = new ObjectStore(new S3Settings(URI.create("http://127.0.0.1:9"), "a", "b", "us-east-1"));

        assertThatThrownBy(() -> down.stat("images", "a.jpg")).isInstanceOf(StorageException.class)
                .hasMessageStartingWith("HEAD images/a.jpg failed");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Issue 8, finding 4: removals delete derived objects; deleting what is not there is no error. */
    @Test
    void deleteRemovesTheObjectAndToleratesAMissingOne() {
        store.put("images", "gone.jpg", bytes("x"), "image/jpeg", Map.of());

        store.delete("images", "gone.jpg");
        store.delete("images", "never-was.jpg");

        assertThat(store.stat("images", "gone.jpg")).isEmpty();
    }
}
