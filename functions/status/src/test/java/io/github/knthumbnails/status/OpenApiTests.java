package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.RequestLimits;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.RenditionInfo;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.storage.SourceImage;
import io.github.knthumbnails.testsupport.LargeBodyPost;
import io.github.knthumbnails.testsupport.MinioWebhookBodies;
import io.github.knthumbnails.testsupport.S3TestServer;
import io.swagger.v3.oas.annotations.Hidden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.Validator;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Holds the OpenAPI description at {@code /v3/api-docs} to what the status function does (issue 12), over real
 * HTTP against a real S3 server, on {@code STATUS_ROUTES=all} so that every operation answers:
 * <ol>
 *   <li>the operations described are exactly the handler methods of this package (hidden ones excepted), with
 *       the path each is described under;</li>
 *   <li>for a table of real requests, each answer's status is one the operation describes, its Content-Type is
 *       that response's media type, and a JSON body validates against the described schema — closed: a field
 *       the schema does not list fails, as does a missing required one, a value outside an enum or a malformed
 *       date-time;</li>
 *   <li>every described response, and every described parameter and request body type, is exercised by at least
 *       one request of the table: the description claims no answer the code never gives.</li>
 * </ol>
 * The {@code 503}s come from a second instance of the function whose object storage is a closed port, which also
 * leaves browser uploads off (its {@code 403}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"STATUS_ROUTES=all",
        "BROWSER_UPLOADS=true"})
class OpenApiTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PACKAGE = OpenApiTests.class.getPackageName();
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "other-uploads", "thumbnails", "unwatched");
    private static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123Z");
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static ObjectStore store;
    /** The same function with object storage unreachable, for the 503s. */
    private static ConfigurableApplicationContext storageDown;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
        registry.add("UPLOAD_BUCKETS", () -> "images,other-uploads");
    }

    @BeforeAll
    static void setUp() throws IOException {
        store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL, S3TestServer.CREDENTIAL,
                "us-east-1"));
        JobStore jobs = new JobStore(store, "thumbnails");
        String cat = upload("uploads/My Cat é.jpg", "cat");
        byte[] thumbnail = "jpeg-bytes".getBytes(StandardCharsets.UTF_8);
        store.put("thumbnails", Layout.renditionKey("thumb", "images", "uploads/My Cat é.jpg"), thumbnail,
                "image/jpeg", Map.of());
        jobs.write("images", "uploads/My Cat é.jpg", JobRecord.succeeded(cat, T0, T0.plusMillis(85),
                        List.of(new RenditionInfo("thumb", 100, 80, "image/jpeg", thumbnail.length, "100x80:cover:80:jpeg")))
                .withTrace(TRACE_ID, Map.of("fetch", 3.5, "decode", 20.25, "encode", 7.0))
                .withSource(new SourceImage("jpeg", 4032, 3024)));
        String doc = upload("uploads/doc.png", "%PDF-");
        jobs.write("images", "uploads/doc.png", JobRecord.failed(doc, T0, T0.plusMillis(3),
                new JobError("unsupported_format", "not an image format this function can read")));
        String busy = upload("uploads/busy.jpg", "busy");
        jobs.write("images", "uploads/busy.jpg", JobRecord.processing(busy, T0));
        upload("fresh.jpg", "fresh");
        upload("dead.jpg", "never resized");
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        storageDown = new SpringApplicationBuilder(StatusApplication.class).run("--server.port=0",
                "--MINIO_ENDPOINT=http://127.0.0.1:" + closed, "--STATUS_ROUTES=all");
    }

    @AfterAll
    static void tearDown() {
        if (storageDown != null) {
            storageDown.close();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;
    @Autowired
    @Qualifier("mvcValidator")
    Validator mvcValidator;

    private final HttpClient http = HttpClient.newHttpClient();

    private static String upload(String key, String content) {
        store.put("images", key, content.getBytes(StandardCharsets.UTF_8), "image/jpeg", Map.of());
        return store.stat("images", key).orElseThrow().eTag();
    }

    /** An operation as the description names it. */
    record Op(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Which instance a request goes to. */
    enum Instance { UP, STORAGE_DOWN }

    /**
     * One request of the table.
     *
     * @param op       the operation it exercises
     * @param target   the raw path and query sent
     * @param headers  request headers
     * @param body     request body, {@code null} for none
     * @param instance where it goes
     * @param expected the status it must get
     * @param large    a body of this many zero bytes instead of {@code body} (sent by {@link LargeBodyPost})
     */
    record Case(Op op, String target, Map<String, String> headers, byte[] body, Instance instance, int expected,
                long large) {
        @Override
        public String toString() {
            return op.method() + " " + target + (headers.isEmpty() ? "" : " " + headers.keySet()) + " on "
                    + instance + " -> " + expected;
        }
    }

    /** An answer: status, media type without parameters ({@code null} if none), body. */
    record Answer(int status, String mediaType, String body) {
    }

    private static Case get(String path, String target, int expected) {
        return new Case(new Op("GET", path), target, Map.of(), null, Instance.UP, expected, 0);
    }

    private static Case getDown(String path, String target, int expected) {
        return new Case(new Op("GET", path), target, Map.of(), null, Instance.STORAGE_DOWN, expected, 0);
    }

    private static Case post(String path, Map<String, String> headers, byte[] body, Instance instance,
                             int expected) {
        return new Case(new Op("POST", path), path, headers, body, instance, expected, 0);
    }

    /** The S3 CloudEvent minio-source made for an upload, as the Broker dead-letters it. */
    private static CloudEvent deadLettered(String key) {
        String eTag = store.stat("images", key).orElseThrow().eTag();
        CloudEvent original = S3CloudEvents.toCloudEvent(S3EventRecord.parseWebhookBody(MinioWebhookBodies.webhook(
                "s3:ObjectCreated:Put", "images", URLEncoder.encode(key, StandardCharsets.UTF_8), key, eTag))
                .get(0), Map.of());
        return CloudEventBuilder.v1(original).withExtension(DeadLetters.ERROR_CODE, "503")
                .withExtension(DeadLetters.ERROR_DEST, "http://resize.thumbnails.svc.cluster.local")
                .withExtension(DeadLetters.ERROR_DATA, "eyJlcnJvciI6ImRvd24ifQ==").build();
    }

    /** Every documented answer of every operation, provoked for real; limits and buckets as the doc states them. */
    private List<Case> table(JsonNode doc) {
        String status = "/status/{bucket}/{key}";
        int max = doc.at("/paths/~1jobs/get/parameters").findValue("maximum").asInt();
        String first = JobsQuery.toCursor("uploads/busy.jpg");
        CloudEventHttp.Message binary = CloudEventHttp.toBinary(deadLettered("dead.jpg"));
        byte[] structured = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE)
                .serialize(deadLettered("dead.jpg"));
        Map<String, String> json = Map.of("Content-Type", "application/json");
        List<Case> cases = new ArrayList<>(List.of(
                // GET /status/{bucket}/{key}: the key's "/" literal or %2F, spaces and non-ASCII percent-encoded.
                get(status, "/status/images/uploads/My%20Cat%20%C3%A9.jpg", 200),
                get(status, "/status/images/uploads%2Fdoc.png", 200),
                get(status, "/status/images/uploads/busy.jpg", 200),
                get(status, "/status/images/fresh.jpg", 200),
                get(status, "/status/images", 400),
                get(status, "/status/Not_A_Bucket/x.jpg", 400),
                get(status, "/status/images/" + "k".repeat(Layout.MAX_KEY_BYTES + 1), 400),
                get(status, "/status/images/nothing-here.jpg", 404),
                get(status, "/status/unwatched/x.jpg", 404),
                getDown(status, "/status/images/fresh.jpg", 503),
                // GET /jobs
                get("/jobs", "/jobs", 200),
                get("/jobs", "/jobs?bucket=images&prefix=uploads/&limit=1", 200),
                get("/jobs", "/jobs?prefix=uploads/&limit=1&cursor=" + first, 200),
                get("/jobs", "/jobs?limit=" + max, 200),
                get("/jobs", "/jobs?limit=" + (max + 1), 400),
                get("/jobs", "/jobs?limit=0", 400),
                get("/jobs", "/jobs?limit=twenty", 400),
                get("/jobs", "/jobs?bucket=unwatched", 400),
                get("/jobs", "/jobs?cursor=%21%21", 400),
                get("/jobs", "/jobs?prefix=other/&cursor=" + first, 400),
                getDown("/jobs", "/jobs", 503),
                // GET /
                get("/", "/", 200),
                get("/", "/?bucket=images&prefix=uploads/&limit=1&cursor=" + first, 200),
                get("/", "/?fragment=jobs&follow=fresh.jpg&follow=uploads/doc.png", 200),
                get("/", "/?limit=" + (max + 1), 400),
                get("/", "/?fragment=all", 400),
                get("/", "/?" + "follow=a&".repeat(StatusPage.MAX_FOLLOWED + 1), 400),
                getDown("/", "/", 503),
                // POST /dead-letter, binary and structured content mode
                post(DeadLetters.PATH, binary.headers(), binary.body(), Instance.UP, 202),
                post(DeadLetters.PATH, Map.of("Content-Type", DeadLetterController.STRUCTURED), structured,
                        Instance.UP, 202),
                post(DeadLetters.PATH, Map.of("Content-Type", "application/json"), "{}".getBytes(), Instance.UP,
                        400),
                post(DeadLetters.PATH, Map.of("ce-specversion", "1.0", "ce-id", "1", "ce-source", "/x", "ce-type",
                        "dev.example.other", "Content-Type", "application/json"), "{}".getBytes(), Instance.UP, 400),
                new Case(new Op("POST", DeadLetters.PATH), DeadLetters.PATH, Map.of("Content-Type",
                        "application/json"), null, Instance.UP, 413, RequestLimits.DEFAULT_MAX_BODY_BYTES + 1),
                post(DeadLetters.PATH, binary.headers(), binary.body(), Instance.STORAGE_DOWN, 503),
                // POST /uploads: on here, off on the other instance
                upload(json, "{'filename': 'My Cat.jpg', 'contentType': 'image/jpeg'}", Instance.UP, 200),
                upload(Map.of("Content-Type", "application/json; charset=UTF-8"),
                        "{'filename': 'a.png', 'contentType': 'image/png', 'bucket': 'other-uploads'}", Instance.UP,
                        200),
                upload(json, "{'filename': 'a.jpg'}", Instance.UP, 400),
                upload(json, "{'filename': 'a.svg', 'contentType': 'image/svg+xml'}", Instance.UP, 400),
                upload(json, "{'filename': 'a.jpg', 'contentType': 'image/jpeg', 'bucket': 'unwatched'}", Instance.UP,
                        400),
                upload(json, "[]", Instance.UP, 400),
                upload(Map.of("Content-Type", "text/plain"), "cat.jpg", Instance.UP, 415),
                new Case(new Op("POST", UploadController.PATH), UploadController.PATH, json, null, Instance.UP,
                        413, RequestLimits.DEFAULT_MAX_BODY_BYTES + 1),
                upload(json, "{'filename': 'a.jpg', 'contentType': 'image/jpeg'}", Instance.STORAGE_DOWN, 403)));
        // Every upload bucket the doc lists is one /jobs answers for.
        doc.at("/paths/~1jobs/get/parameters").findValue("enum")
                .forEach(bucket -> cases.add(get("/jobs", "/jobs?bucket=" + bucket.asText(), 200)));
        return cases;
    }

    /** A {@code POST /uploads}; {@code '} in the body stands for {@code "}. */
    private static Case upload(Map<String, String> headers, String body, Instance instance, int expected) {
        return post(UploadController.PATH, headers, body.replace('\'', '"').getBytes(StandardCharsets.UTF_8),
                instance, expected);
    }

    private JsonNode apiDocs() throws Exception {
        Answer answer = send(new Case(new Op("GET", "/v3/api-docs"), "/v3/api-docs", Map.of(), null, Instance.UP,
                200, 0));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.mediaType()).isEqualTo("application/json");
        return JSON.readTree(answer.body());
    }

    private static Map<Op, JsonNode> operations(JsonNode doc) {
        Map<Op, JsonNode> operations = new LinkedHashMap<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace")
                    .contains(operation.getKey())) {
                operations.put(new Op(operation.getKey().toUpperCase(Locale.ROOT), path.getKey()),
                        operation.getValue());
            }
        }));
        return operations;
    }

    /** (a) The operations described are this package's handler methods, hidden ones excepted. */
    @Test
    void everyHandlerIsDescribedAndNothingElse() throws Exception {
        Set<Op> handlers = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : handlerMapping.getHandlerMethods().entrySet()) {
            HandlerMethod handler = entry.getValue();
            if (!handler.getBeanType().getPackageName().equals(PACKAGE)
                    || AnnotatedElementUtils.hasAnnotation(handler.getMethod(), Hidden.class)) {
                continue;
            }
            Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
            assertThat(methods).as(handler.toString()).isNotEmpty();
            for (String pattern : entry.getKey().getPatternValues()) {
                // A capture-the-rest variable, {*key}, is described as the path parameter {key}.
                String path = pattern.replace("{*", "{");
                methods.forEach(method -> handlers.add(new Op(method.name(), path)));
            }
        }
        Set<Op> described = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        described.addAll(operations(apiDocs()).keySet());

        assertThat(described).containsExactlyElementsOf(handlers);
        assertThat(described).extracting(Op::path).contains("/status/{bucket}/{key}", "/jobs", "/",
                UploadController.PATH, DeadLetters.PATH)
                .noneMatch(path -> path.startsWith("/actuator") || path.contains("*"));
    }

    /** (b) and (c): the table's answers are the documented ones, and every documented answer is in the table. */
    @Test
    void everyAnswerIsDescribedAndEveryDescribedAnswerIsGiven() throws Exception {
        JsonNode doc = apiDocs();
        Map<Op, JsonNode> operations = operations(doc);
        SchemaRegistry registry = registry(doc);
        ObjectNode components = closed(doc.path("components").deepCopy());
        Set<String> given = new LinkedHashSet<>();
        Set<String> used = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        List<Case> table = table(doc);
        for (Case c : table) {
            JsonNode operation = operations.get(c.op());
            assertThat(operation).as("%s is described", c.op()).isNotNull();
            Answer answer = send(c);
            given.add(c.op() + " " + answer.status());
            used.addAll(parametersUsed(c));
            if (answer.status() != c.expected()) {
                problems.add(c + ": got " + answer.status() + " " + shorten(answer.body()));
                continue;
            }
            // A 415 is the answer to a body type the operation does not take.
            if ((c.body() != null || c.large() > 0) && answer.status() != 415) {
                String type = mediaType(c.headers().entrySet().stream()
                        .filter(h -> h.getKey().equalsIgnoreCase("Content-Type")).map(Map.Entry::getValue)
                        .findFirst().orElse(null));
                if (!operation.at("/requestBody/content").has(type)) {
                    problems.add(c + ": request body type " + type + " is not described");
                }
                used.add(c.op() + " body " + type);
            }
            JsonNode response = operation.path("responses").path(String.valueOf(answer.status()));
            if (response.isMissingNode()) {
                problems.add(c + ": " + answer.status() + " is not a documented response");
                continue;
            }
            JsonNode content = response.path("content");
            if (content.isMissingNode() || content.isEmpty()) {
                if (!answer.body().isEmpty()) {
                    problems.add(c + ": documented without content, but answered " + shorten(answer.body()));
                }
                continue;
            }
            if (answer.mediaType() == null || !content.has(answer.mediaType())) {
                problems.add(c + ": Content-Type " + answer.mediaType() + ", documented " + names(content));
                continue;
            }
            ObjectNode schema = content.path(answer.mediaType()).path("schema").deepCopy();
            schema.set("components", components);
            JsonNode body = answer.mediaType().endsWith("json") ? JSON.readTree(answer.body())
                    : TextNode.valueOf(answer.body());
            Schema validator = registry.getSchema(schema);
            validator.validate(body).forEach(e -> problems.add(c + ": " + e.getInstanceLocation() + ": "
                    + e.getMessage() + " in " + shorten(answer.body())));
        }
        assertThat(problems).isEmpty();

        Set<String> documented = new LinkedHashSet<>();
        Set<String> parameters = new LinkedHashSet<>();
        operations.forEach((op, operation) -> {
            operation.path("responses").fieldNames().forEachRemaining(code -> documented.add(op + " " + code));
            operation.path("parameters").forEach(p -> parameters.add(op + " " + p.path("in").asText() + " "
                    + p.path("name").asText().toLowerCase(Locale.ROOT)));
            operation.at("/requestBody/content").fieldNames().forEachRemaining(t -> parameters.add(op + " body " + t));
        });
        assertThat(given).as("answers given").containsExactlyInAnyOrderElementsOf(documented);
        assertThat(used).as("parameters and request bodies the table uses").containsAll(parameters);
    }

    /** The statuses a job can have are the states the storage module knows, plus unknown. */
    @Test
    void theJobStatusesAreTheJobStates() throws Exception {
        Set<String> described = new TreeSet<>();
        apiDocs().at("/components/schemas/Job/properties/status/enum").forEach(s -> described.add(s.asText()));

        assertThat(described).isEqualTo(Stream.concat(Stream.of(JobState.values()).map(JobState::wireName),
                Stream.of(StatusService.UNKNOWN)).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void theInfoBlockNamesTheProjectVersion() throws Exception {
        JsonNode info = apiDocs().path("info");

        assertThat(info.path("title").asText()).isNotBlank();
        assertThat(info.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(info.path("description").asText()).contains("/status/{bucket}/{key}");
    }

    @Test
    void swaggerUiLoads() throws Exception {
        HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(uri(Instance.UP, "/swagger-ui.html"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri(Instance.UP, "/").resolve(location))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("swagger-ui");

        // Written by the index page transformer OpenApiOnFirstUse creates on first use.
        HttpResponse<String> initializer = http.send(HttpRequest.newBuilder(uri(Instance.UP,
                "/swagger-ui/swagger-initializer.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(initializer.statusCode()).isEqualTo(200);
        assertThat(initializer.body()).contains("\"configUrl\" : \"/v3/api-docs/swagger-config\"");

        Answer config = send(new Case(new Op("GET", "config"), "/v3/api-docs/swagger-config", Map.of(), null,
                Instance.UP, 200, 0));
        assertThat(config.status()).isEqualTo(200);
        assertThat(JSON.readTree(config.body()).path("url").asText()).isEqualTo("/v3/api-docs");
    }

    /** A constrained value, for {@link #beanValidationStillWorksOnFirstUse}. */
    record Constrained(@jakarta.validation.constraints.NotNull String name) {
    }

    /** OpenApiOnFirstUse defers Bean Validation to its first use; it is not switched off. */
    @Test
    void beanValidationStillWorksOnFirstUse() {
        Constrained unnamed = new Constrained(null);
        Errors errors = new BeanPropertyBindingResult(unnamed, "constrained");

        mvcValidator.validate(unnamed, errors);

        assertThat(errors.getFieldErrors()).extracting(FieldError::getField).containsExactly("name");
    }

    private static Set<String> parametersUsed(Case c) {
        Set<String> used = new LinkedHashSet<>();
        String path = c.op().path();
        for (int i = path.indexOf('{'); i >= 0; i = path.indexOf('{', i + 1)) {
            used.add(c.op() + " path " + path.substring(i + 1, path.indexOf('}', i)));
        }
        int query = c.target().indexOf('?');
        if (query >= 0) {
            for (String pair : c.target().substring(query + 1).split("&")) {
                if (!pair.isEmpty()) {
                    used.add(c.op() + " query " + pair.split("=", 2)[0]);
                }
            }
        }
        c.headers().keySet().forEach(h -> used.add(c.op() + " header " + h.toLowerCase(Locale.ROOT)));
        return used;
    }

    private URI uri(Instance instance, String target) {
        int to = instance == Instance.UP ? port
                : Integer.parseInt(storageDown.getEnvironment().getProperty("local.server.port"));
        return URI.create("http://127.0.0.1:" + to + target);
    }

    private Answer send(Case c) throws Exception {
        URI uri = uri(c.instance(), c.target());
        if (c.large() > 0) {
            LargeBodyPost.Response response = LargeBodyPost.post(uri.getPort(), c.target(), c.headers(), c.large(),
                    false);
            String type = response.head().lines().filter(l -> l.regionMatches(true, 0, "Content-Type:", 0, 13))
                    .map(l -> l.substring(13).strip()).findFirst().orElse(null);
            return new Answer(response.status(), mediaType(type), response.body());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(c.op().method(), c.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        c.headers().forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), mediaType(response.headers().firstValue("Content-Type")
                .orElse(null)), response.body());
    }

    private static String mediaType(String contentType) {
        return contentType == null ? null : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    private static String shorten(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }

    private static String names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }

    /**
     * JSON Schema validation in the dialect of the description's OpenAPI version (3.1: JSON Schema 2020-12 with
     * OpenAPI's vocabulary; 3.0: its own), with formats asserted ({@code date-time}, {@code uri}, {@code int64}).
     */
    private static SchemaRegistry registry(JsonNode doc) {
        String version = doc.path("openapi").asText();
        assertThat(version).matches("3\\.[01]\\.\\d+");
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        return SchemaRegistry.withDefaultDialect(version.startsWith("3.1") ? Dialects.getOpenApi31()
                : Dialects.getOpenApi30(), builder -> builder.schemaRegistryConfig(config));
    }

    /**
     * Closes every object schema that lists its properties and says nothing about others
     * ({@code additionalProperties: false}), so a field the code sends but the description does not list fails.
     */
    private static ObjectNode closed(ObjectNode node) {
        if (node.has("properties") && !node.has("additionalProperties")) {
            node.put("additionalProperties", false);
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            JsonNode child = it.next();
            if (child instanceof ObjectNode object) {
                closed(object);
            } else if (child.isArray()) {
                child.forEach(item -> {
                    if (item instanceof ObjectNode object) {
                        closed(object);
                    }
                });
            }
        }
        return node;
    }
}
