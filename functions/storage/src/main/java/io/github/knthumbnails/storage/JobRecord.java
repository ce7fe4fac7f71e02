package io.github.knthumbnails.storage;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The outcome the resize function recorded for one version (ETag) of one source object. It is stored as the
 * user metadata of a zero-byte object at {@link Layout#jobKey}, so the status function reads it with one HEAD.
 *
 * <p>Metadata keys (lower-case words joined by {@code -}, because S3 servers lower-case them anyway):
 * <pre>
 *   status            processing | succeeded | failed
 *   source-etag       the source ETag this record is about (no quotes)
 *   started           ISO-8601 instant the resize function started on it
 *   finished          ISO-8601 instant it finished (absent while processing)
 *   rendition-&lt;name&gt;  "&lt;width&gt;x&lt;height&gt; &lt;bytes&gt; &lt;content type&gt; &lt;spec&gt;", e.g.
 *                     "100x100 3456 image/jpeg 100x100:cover:80:jpeg"; the spec fingerprint (issue 13) is absent
 *                     in records written before it was kept
 *   error-class       e.g. unsupported_format (failed only)
 *   error-message     readable reason (failed only)
 *   trace-id          the OpenTelemetry trace the job ran in, 32 hex digits (when it was sampled, issue 11)
 *   timings           milliseconds per stage, e.g. "fetch=1.9 admit=0.1 decode=4.2 resize=1.3 encode=0.8 store=3.0"
 *   source-image      format and stored pixel size the engine admitted, e.g. "jpeg 4032x3024" ({@link SourceImage})
 * </pre>
 * Free text is percent-encoded where it is not printable ASCII, because S3 user metadata travels in HTTP
 * headers and must be US-ASCII.
 *
 * @param state      {@link JobState#PROCESSING}, {@link JobState#SUCCEEDED} or {@link JobState#FAILED}
 * @param sourceETag the source ETag the outcome belongs to
 * @param started    when work on it started
 * @param finished   when it finished; {@code null} while processing
 * @param renditions the stored renditions (succeeded only; empty otherwise)
 * @param error      why it failed (failed only; {@code null} otherwise)
 * @param traceId    the trace the job ran in, or {@code null}
 * @param timingsMs  milliseconds per stage ({@code [a-z_]+} names), in the order they ran; empty when not measured
 * @param source     what the engine found the source to be, or {@code null} when it did not get that far
 */
public record JobRecord(JobState state, String sourceETag, Instant started, Instant finished,
                        List<RenditionInfo> renditions, JobError error, String traceId, Map<String, Double> timingsMs,
                        SourceImage source) {

    private static final String STATUS = "status";
    private static final String SOURCE_ETAG = "source-etag";
    private static final String STARTED = "started";
    private static final String FINISHED = "finished";
    private static final String RENDITION = "rendition-";
    private static final String ERROR_CLASS = "error-class";
    private static final String ERROR_MESSAGE = "error-message";
    private static final String TRACE_ID = "trace-id";
    private static final String TIMINGS = "timings";
    private static final String SOURCE_IMAGE = "source-image";
    private static final Pattern TRACE_ID_VALUE = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern TIMING = Pattern.compile("([a-z_]{1,20})=(\\d{1,9}(?:\\.\\d)?)");
    /** Error messages are cut to this many characters to stay far below S3's 2 KB user-metadata limit. */
    static final int MAX_MESSAGE_CHARS = 300;
    private static final Pattern RENDITION_VALUE = Pattern.compile("(\\d+)x(\\d+) (\\d+) (\\S+)(?: ([!-~]{1,100}))?");
    /**
     * The error classes only the image engine's admission and decoding decide; a {@code failed} record with one
     * of them is final. Every other class ({@code delivery_failed}, {@code key_conflict}, ...) says something
     * about one delivery, the node or storage, not about the bytes, so it is not (issue 8, finding 1); that
     * includes {@code deadline_exceeded}, a render past {@code IMAGE_DEADLINE_MS}, which an ordinary image hits on
     * a CPU-starved node (issue 8: no upload can be failed for good).
     */
    public static final Set<String> ENGINE_ERROR_CLASSES = Set.of("unsupported_format", "corrupt", "too_large");

    /**
     * @throws IllegalArgumentException if the state is {@code PENDING} (never recorded) or a field required by
     *                                  the state is missing
     */
    public JobRecord {
        if (state == JobState.PENDING) {
            throw new IllegalArgumentException("pending is derived, never recorded");
        }
        if (sourceETag == null || started == null) {
            throw new IllegalArgumentException("sourceETag and started are required");
        }
        if (state == JobState.FAILED && error == null) {
            throw new IllegalArgumentException("a failed record needs an error");
        }
        renditions = List.copyOf(renditions);
        if (traceId != null && !TRACE_ID_VALUE.matcher(traceId).matches()) {
            throw new IllegalArgumentException("a trace id is 32 lower-case hex digits: " + traceId);
        }
        timingsMs = timingsMs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(timingsMs));
    }

    /**
     * @param sourceETag the source version being worked on
     * @param started    now
     * @return a {@code processing} record
     */
    public static JobRecord processing(String sourceETag, Instant started) {
        return new JobRecord(JobState.PROCESSING, sourceETag, started, null, List.of(), null, null, Map.of(), null);
    }

    /**
     * @param sourceETag the source version
     * @param started    when work started
     * @param finished   now
     * @param renditions what was stored
     * @return a {@code succeeded} record
     */
    public static JobRecord succeeded(String sourceETag, Instant started, Instant finished,
                                      List<RenditionInfo> renditions) {
        return new JobRecord(JobState.SUCCEEDED, sourceETag, started, finished, renditions, null, null, Map.of(),
                null);
    }

    /**
     * @param sourceETag the source version
     * @param started    when work started
     * @param finished   now
     * @param error      why
     * @return a {@code failed} record
     */
    public static JobRecord failed(String sourceETag, Instant started, Instant finished, JobError error) {
        return new JobRecord(JobState.FAILED, sourceETag, started, finished, List.of(), error, null, Map.of(), null);
    }

    /**
     * @param traceId   the trace the job ran in, or {@code null}
     * @param timingsMs milliseconds per stage
     * @return this record with them (issue 11)
     * @throws IllegalArgumentException if the trace id is not 32 lower-case hex digits
     */
    public JobRecord withTrace(String traceId, Map<String, Double> timingsMs) {
        return new JobRecord(state, sourceETag, started, finished, renditions, error, traceId, timingsMs, source);
    }

    /**
     * @param source what the engine found the source to be, or {@code null}
     * @return this record with it (issue 12)
     */
    public JobRecord withSource(SourceImage source) {
        return new JobRecord(state, sourceETag, started, finished, renditions, error, traceId, timingsMs, source);
    }

    /**
     * Whether this record settles its version for good, so that a redelivery, a new upload event of the same
     * bytes or a backfill leaves it as it is: {@code succeeded}, or {@code failed} for a reason the image engine
     * decided ({@link #ENGINE_ERROR_CLASSES}). A {@code processing} record (fresh or stale) and a {@code failed}
     * record for any other reason ({@code delivery_failed} in particular, which anyone able to reach the
     * dead-letter sink could forge, and {@code deadline_exceeded}, which says more about the node than the bytes)
     * are not final: the next real delivery processes the version again, so a forged, outdated or unlucky record
     * does temporary damage only (issue 8, finding 1).
     *
     * @return whether the outcome is final
     */
    public boolean isFinal() {
        return state == JobState.SUCCEEDED
                || state == JobState.FAILED && ENGINE_ERROR_CLASSES.contains(error.errorClass());
    }

    /**
     * @param eTag    a source version
     * @param profile the current rendition profile: rendition name to spec fingerprint
     * @return whether this record is about that version, {@linkplain #isFinal() final} and, when it succeeded,
     *         {@linkplain #madeBy made by} {@code profile}: a redelivery or a backfill of a version rendered by
     *         an older {@code RENDITIONS} renders it again (issue 13)
     */
    public boolean settles(String eTag, Map<String, String> profile) {
        return sourceETag.equals(eTag) && isFinal() && (state != JobState.SUCCEEDED || madeBy(profile));
    }

    /**
     * Whether the stored renditions are exactly those {@code profile} asks for: the same names, each made by the
     * same spec fingerprint. A record written before fingerprints were kept matches no profile.
     *
     * @param profile rendition name to spec fingerprint, e.g. {@code {thumb=100x100:cover:80:jpeg}}
     * @return whether every rendition is up to date and none is missing or extra
     */
    public boolean madeBy(Map<String, String> profile) {
        if (renditions.size() != profile.size()) {
            return false;
        }
        for (RenditionInfo r : renditions) {
            if (r.spec() == null || !r.spec().equals(profile.get(r.name()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the user metadata to store (keys without {@code x-amz-meta-}), in a stable order
     */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(STATUS, state.wireName());
        m.put(SOURCE_ETAG, sourceETag);
        m.put(STARTED, started.toString());
        if (finished != null) {
            m.put(FINISHED, finished.toString());
        }
        for (RenditionInfo r : renditions) {
            m.put(RENDITION + r.name(), r.width() + "x" + r.height() + " " + r.bytes() + " " + r.contentType()
                    + (r.spec() == null ? "" : " " + r.spec()));
        }
        if (error != null) {
            m.put(ERROR_CLASS, error.errorClass());
            String message = error.message().length() > MAX_MESSAGE_CHARS
                    ? error.message().substring(0, MAX_MESSAGE_CHARS - 1) + "…" : error.message();
            m.put(ERROR_MESSAGE, MetadataText.encode(message));
        }
        if (traceId != null) {
            m.put(TRACE_ID, traceId);
        }
        if (!timingsMs.isEmpty()) {
            StringBuilder t = new StringBuilder();
            timingsMs.forEach((stage, ms) -> t.append(t.isEmpty() ? "" : " ").append(stage).append('=')
                    .append(String.format(Locale.ROOT, "%.1f", ms)));
            m.put(TIMINGS, t.toString());
        }
        if (source != null) {
            m.put(SOURCE_IMAGE, source.toMetadata());
        }
        return m;
    }

    /**
     * Reads a record back from user metadata.
     *
     * @param metadata user metadata, keys lower-case without {@code x-amz-meta-}
     * @return the record; empty when the metadata holds no readable record (no or unknown {@code status}, no
     *     {@code source-etag} or {@code started}) — such an object is treated as if nothing were recorded
     */
    public static Optional<JobRecord> fromMetadata(Map<String, String> metadata) {
        try {
            JobState state = JobState.fromWireName(metadata.getOrDefault(STATUS, ""));
            String finished = metadata.get(FINISHED);
            List<RenditionInfo> renditions = new ArrayList<>();
            new TreeMap<>(metadata).forEach((key, value) -> {
                Matcher m = RENDITION_VALUE.matcher(value);
                if (key.startsWith(RENDITION) && m.matches()) {
                    renditions.add(new RenditionInfo(key.substring(RENDITION.length()), Integer.parseInt(m.group(1)),
                            Integer.parseInt(m.group(2)), m.group(4), Long.parseLong(m.group(3)), m.group(5)));
                }
            });
            JobError error = metadata.containsKey(ERROR_CLASS)
                    ? new JobError(metadata.get(ERROR_CLASS), MetadataText.decode(metadata.getOrDefault(ERROR_MESSAGE, "")))
                    : null;
            String traceId = metadata.get(TRACE_ID);
            return Optional.of(new JobRecord(state, metadata.get(SOURCE_ETAG), Instant.parse(metadata.get(STARTED)),
                    finished == null ? null : Instant.parse(finished), renditions, error,
                    traceId != null && TRACE_ID_VALUE.matcher(traceId).matches() ? traceId : null,
                    timings(metadata.getOrDefault(TIMINGS, "")),
                    SourceImage.fromMetadata(metadata.get(SOURCE_IMAGE)).orElse(null)));
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Reads {@code stage=ms} pairs; anything else in the value is skipped, not an error. */
    private static Map<String, Double> timings(String value) {
        Map<String, Double> timings = new LinkedHashMap<>();
        Matcher m = TIMING.matcher(value);
        while (m.find() && timings.size() < 20) {
            timings.putIfAbsent(m.group(1), Double.parseDouble(m.group(2)));
        }
        return timings;
    }
}
