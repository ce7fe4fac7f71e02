package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.RenditionInfo;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.storage.SourceImage;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The page at {@code GET /} over real HTTP against a real S3 server: what it shows for each state, that keys
 * cannot inject markup, pagination, followed uploads, the fragment the script swaps in, and its error pages. The
 * script itself runs in a real browser in the local stack's browser test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatusPageTests {

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails", "other-uploads");
    private static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123Z");
    private static final String HOSTILE_KEY = "a/<script>alert(1)</script>\".jpg";
    private static final ObjectStore store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1"));
    private static final byte[] THUMBNAIL = "jpeg-bytes".getBytes(StandardCharsets.UTF_8);

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
        registry.add("UPLOAD_BUCKETS", () -> "images,other-uploads");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void uploads() {
        String eTag = upload(HOSTILE_KEY);
        store.put("thumbnails", Layout.renditionKey("thumb", "images", HOSTILE_KEY), THUMBNAIL, "image/jpeg",
                Map.of());
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("fetch", 20.0);
        timings.put("decode", 60.0);
        timings.put("store", 20.0);
        new JobStore(store, "thumbnails").write("images", HOSTILE_KEY, JobRecord.succeeded(eTag, T0,
                T0.plusMillis(100), List.of(new RenditionInfo("large", 800, 600, "image/jpeg", 9000, "800x600:fit:80:jpeg"),
                        new RenditionInfo("thumb", 100, 100, "image/jpeg", THUMBNAIL.length, "100x100:cover:80:jpeg")))
                .withTrace("0123456789abcdef0123456789abcdef", timings).withSource(new SourceImage("jpeg", 4032, 3024)));
        String failed = upload("b/notes.jpg");
        new JobStore(store, "thumbnails").write("images", "b/notes.jpg", JobRecord.failed(failed, T0, T0,
                new JobError("unsupported_format", "not an image format this function can read (it is text)")));
        upload("c/fresh.jpg");
    }

    private static String upload(String key) {
        store.put("images", key, "bytes".getBytes(StandardCharsets.UTF_8), "image/jpeg", Map.of());
        return store.stat("images", key).orElseThrow().eTag();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Element row(Document page, String key) {
        return page.getElementById("job-" + JobsQuery.toCursor(key));
    }

    @Test
    void listsEveryStateWithItsThumbnailBadgeAndReason() throws Exception {
        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        Document page = Jsoup.parse(response.body());
        Element succeeded = row(page, HOSTILE_KEY);
        Element thumbnail = succeeded.selectFirst("td.thumb img");
        assertThat(thumbnail.attr("alt")).isEqualTo("Thumbnail of " + HOSTILE_KEY);
        assertThat(thumbnail.attr("width")).as("the smallest rendition is the thumbnail").isEqualTo("100");
        HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(URI.create(thumbnail.attr("src"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.body()).isEqualTo(THUMBNAIL);
        assertThat(succeeded.selectFirst(".badge").text()).isEqualTo("succeeded");
        assertThat(succeeded.selectFirst("td.number").text()).isEqualTo("5 B jpeg 4032×3024");
        assertThat(succeeded.select(".renditions li").eachText()).containsExactly("large 800×600", "thumb 100×100");
        assertThat(succeeded.select(".stages li").eachText())
                .containsExactly("fetch 20.0 ms", "decode 60.0 ms", "store 20.0 ms", "total 100.0 ms");
        assertThat(succeeded.select("rect.stage").eachAttr("width")).containsExactly("20.0", "60.0", "20.0");
        assertThat(succeeded.selectFirst(".trace").text()).isEqualTo("trace 0123456789abcdef0123456789abcdef");

        Element failed = row(page, "b/notes.jpg");
        assertThat(failed.selectFirst(".badge").text()).isEqualTo("failed");
        assertThat(failed.selectFirst(".reason").text())
                .isEqualTo("unsupported_format not an image format this function can read (it is text)");
        assertThat(failed.selectFirst("td.thumb img")).isNull();

        Element pending = row(page, "c/fresh.jpg");
        assertThat(pending.selectFirst(".badge").text()).isEqualTo("pending");
        assertThat(pending.selectFirst("td.number").text()).isEqualTo("5 B");
        assertThat(page.getElementById("jobs").attr("data-refresh-ms"))
                .as("a pending job makes the page refresh sooner").isEqualTo(String.valueOf(StatusPage.ACTIVE_REFRESH_MS));
        assertThat(page.select("label[for=bucket], label[for=prefix]")).hasSize(2);
        assertThat(page.getElementById("upload")).as("BROWSER_UPLOADS is off by default").isNull();
    }

    @Test
    void aKeyCannotInjectMarkupAndThePageAllowsOnlyItsOwnScripts() throws Exception {
        HttpResponse<String> response = get("/");

        assertThat(response.body()).doesNotContain("<script>alert(1)</script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(Jsoup.parse(response.body()).select("script").eachAttr("src")).containsExactly("/page.js");
        String policy = response.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("script-src 'self';", "img-src 'self' " + origin(S3.endpoint()) + ";",
                "default-src 'none'", "frame-ancestors 'none'");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        Element link = row(Jsoup.parse(response.body()), HOSTILE_KEY).selectFirst("a.key");
        HttpResponse<String> json = get(link.attr("href"));
        assertThat(json.statusCode()).as(link.attr("href")).isEqualTo(200);
        assertThat(json.body()).contains("\"status\":\"succeeded\"", "\"traceId\":\"0123456789abcdef0123456789abcdef\"",
                "\"timingsMs\":{\"fetch\":20.0,\"decode\":60.0,\"store\":20.0}",
                "\"source\":{\"format\":\"jpeg\",\"width\":4032,\"height\":3024}");
    }

    @Test
    void pagesFollowTheCursorAndTheFilter() throws Exception {
        Document first = Jsoup.parse(get("/?limit=2").body());
        assertThat(first.select("#jobs tr[data-version]")).hasSize(2);
        Element next = first.selectFirst("a[rel=next]");

        Document second = Jsoup.parse(get(next.attr("href") + "&limit=2").body());
        assertThat(second.select("#jobs tr[data-version]").eachAttr("id"))
                .containsExactly("job-" + JobsQuery.toCursor("c/fresh.jpg"));
        assertThat(second.selectFirst("a[rel=next]")).isNull();
        assertThat(second.select(".pages a").eachText()).containsExactly("First page");

        Document filtered = Jsoup.parse(get("/?prefix=b%2F").body());
        assertThat(filtered.select("#jobs tr[data-version]").eachAttr("id"))
                .containsExactly("job-" + JobsQuery.toCursor("b/notes.jpg"));
        assertThat(filtered.selectFirst("#prefix").val()).isEqualTo("b/");
        Document other = Jsoup.parse(get("/?bucket=other-uploads").body());
        assertThat(other.selectFirst(".empty").text()).isEqualTo("No uploads here yet.");
        assertThat(other.selectFirst("#bucket option[selected]").val()).isEqualTo("other-uploads");
    }

    @Test
    void theFragmentIsOnlyTheJobsAndShowsFollowedUploadsFirst() throws Exception {
        String follow = URLEncoder.encode("c/fresh.jpg", StandardCharsets.UTF_8);
        HttpResponse<String> response = get("/?prefix=b%2F&fragment=jobs&follow=" + follow + "&follow=missing.jpg");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().strip()).startsWith("<div id=\"jobs\"").doesNotContain("<html", "<form");
        Document fragment = Jsoup.parse(response.body());
        assertThat(fragment.select("#mine-title").text()).isEqualTo("Your uploads");
        assertThat(fragment.select("tr[data-version]").eachAttr("id")).containsExactly(
                "mine-job-" + JobsQuery.toCursor("c/fresh.jpg"), "job-" + JobsQuery.toCursor("b/notes.jpg"));
    }

    @Test
    void aBadParameterIsA400PageSayingWhatWasWrong() throws Exception {
        for (String query : List.of("?cursor=not*base64", "?bucket=unwatched", "?limit=0", "?fragment=all",
                "?follow=a/../b")) {
            HttpResponse<String> response = get("/" + query);

            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).as(query).startsWith("text/html");
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(query).isPresent();
            assertThat(Jsoup.parse(response.body()).selectFirst(".notice").text()).as(query).isNotBlank();
        }
        assertThat(Jsoup.parse(get("/?bucket=unwatched").body()).selectFirst(".notice").text())
                .isEqualTo("bucket 'unwatched' is not watched; upload buckets are [images, other-uploads]");
    }

    @Test
    void theStylesScriptAndIconAreServed() throws Exception {
        for (String path : List.of("/page.css", "/page.js", "/favicon.svg")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    private static String origin(URI endpoint) {
        return endpoint.getScheme() + "://" + endpoint.getHost() + ":" + endpoint.getPort();
    }
}
