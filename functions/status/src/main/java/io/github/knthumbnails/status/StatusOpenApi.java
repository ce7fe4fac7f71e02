package io.github.knthumbnails.status;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * The status function's OpenAPI 3.1 description at {@code /v3/api-docs}, and Swagger UI at
 * {@code /swagger-ui.html} (springdoc-openapi, issue 12). The operations are described by the swagger annotations
 * on {@link StatusController}, {@link StatusPage}, {@link UploadController} and {@link DeadLetterController}; this
 * class adds the info block
 * and what depends on this instance's configuration ({@link #configured}). {@code OpenApiTests} holds the
 * description to what the code answers.
 *
 * <p>Start-up cost: springdoc builds the description on the first request to {@code /v3/api-docs}
 * ({@code springdoc.pre-loading-enabled} stays false), and {@link OpenApiOnFirstUse} defers springdoc's beans
 * to then too, so a status pod scaling from zero pays little for it.
 */
@Configuration(proxyBeanMethods = false)
class StatusOpenApi {

    /** Tag of {@code GET /status/...} and {@code GET /jobs}. */
    static final String TAG_STATUS = "status";
    /** Tag of {@code GET /}. */
    static final String TAG_PAGE = "page";
    /** Tag of {@code POST /uploads}. */
    static final String TAG_UPLOADS = "uploads";
    /** Tag of {@code POST /dead-letter}. */
    static final String TAG_DEAD_LETTER = "dead letters";

    /** The {@code bucket} query parameter of {@code GET /jobs} and {@code GET /}. */
    static final String BUCKET = "An upload bucket (UPLOAD_BUCKETS); default the first. Another bucket is a `400`.";
    /** The {@code prefix} query parameter. */
    static final String PREFIX = "Only keys that start with this; default all.";
    /** The {@code limit} query parameter; the maximum is filled in by {@link #configured}. */
    static final String LIMIT = "Jobs per page: 1 to JOBS_MAX_LIMIT (this instance's is the maximum here), default "
            + JobsQuery.DEFAULT_LIMIT + ". Anything else, or no whole number, is a `400`.";
    /** The {@code cursor} query parameter. */
    static final String CURSOR = "Opaque: the `nextCursor` of the previous page, with the same bucket and prefix;"
            + " absent for the first page. A cursor this API did not make, or one of another prefix, is a `400`.";

    /**
     * @param version the project's version (Maven filters it into application.properties)
     * @return the description's info block, tags and server
     */
    @Bean
    @Lazy
    OpenAPI openApiDescription(@Value("${status.version}") String version) {
        return new OpenAPI()
                .info(new Info().title("Thumbnails status API").version(version).description("""
                        What happened to an upload, answered from object storage alone: the job of one upload \
                        (`GET /status/{bucket}/{key}`), pages of jobs (`GET /jobs`), the page people open \
                        (`GET /`), signed forms for uploading from the browser (`POST /uploads`, when \
                        BROWSER_UPLOADS is on), and the resize Trigger's dead-letter sink (`POST /dead-letter`, \
                        served only where STATUS_ROUTES is `dead-letter` or `all`).

                        JSON errors are `{"error": "what was wrong"}`. Every request may also be refused with \
                        `413` when its body is over MAX_REQUEST_BYTES."""))
                // Relative: the origin this description was fetched from, whatever proxies (Knative's ingress,
                // TLS termination) sit in front, so Swagger UI's "Try it out" calls the API where it is.
                .servers(List.of(new Server().url("/")))
                .tags(List.of(
                        new Tag().name(TAG_STATUS).description("The job of an upload, and pages of jobs (JSON)."),
                        new Tag().name(TAG_PAGE).description("The page people open (HTML)."),
                        new Tag().name(TAG_UPLOADS).description("Signed forms for uploading from the browser."),
                        new Tag().name(TAG_DEAD_LETTER).description("Where a Knative Broker sends the events it"
                                + " gave up delivering to resize.")));
    }

    /**
     * What the annotations cannot know, filled in from this instance's configuration when the description is
     * built: the largest {@code limit} ({@code JOBS_MAX_LIMIT}), the upload buckets a {@code bucket} query
     * parameter takes, and on {@link StatusRoutes#PUBLIC} the removal of {@code POST /dead-letter}, which that
     * route answers with {@code 404} (issue 8, finding 1).
     *
     * @param service     for the bounds on {@code GET /jobs}
     * @param settings    for the upload buckets
     * @param environment for {@value StatusRoutes#STATUS_ROUTES}, read at run time (not a condition: Spring AOT
     *                    would fix it at build time)
     * @return the customizer springdoc applies
     */
    @Bean
    @Lazy
    OpenApiCustomizer configured(StatusService service, StatusSettings settings, Environment environment) {
        StatusRoutes routes = StatusRoutes.from(environment::getProperty);
        return openApi -> {
            if (routes == StatusRoutes.PUBLIC) {
                openApi.getPaths().remove(DeadLetters.PATH);
                openApi.getTags().removeIf(tag -> TAG_DEAD_LETTER.equals(tag.getName()));
            }
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                    queryParameters(operation).forEach(parameter -> {
                        if ("limit".equals(parameter.getName())) {
                            parameter.getSchema().setMaximum(BigDecimal.valueOf(service.limits().maxLimit()));
                        } else if ("bucket".equals(parameter.getName())) {
                            List<Object> buckets = new ArrayList<>(settings.buckets().upload());
                            setEnum(parameter.getSchema(), buckets);
                            parameter.getSchema().setDefault(buckets.get(0));
                        }
                    })));
        };
    }

    private static List<Parameter> queryParameters(Operation operation) {
        return operation.getParameters() == null ? List.of() : operation.getParameters().stream()
                .filter(p -> "query".equals(p.getIn())).toList();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setEnum(io.swagger.v3.oas.models.media.Schema schema, List<Object> values) {
        schema.setEnum(values);
    }
}
