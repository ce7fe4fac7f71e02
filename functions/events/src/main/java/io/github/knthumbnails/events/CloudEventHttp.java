package io.github.knthumbnails.events;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.rw.CloudEventRWException;

/**
 * The CloudEvents HTTP protocol binding (cloudevents/spec {@code cloudevents/bindings/http-protocol-binding.md})
 * for plain header maps and byte bodies, so any HTTP stack can use it.
 *
 * <p>It wraps cloudevents-java's {@code HttpMessageFactory} and adds what that SDK leaves out: §3.1.3.2 header
 * value encoding. When sending, space, {@code "}, {@code %} and every character outside printable ASCII
 * (U+0021–U+007E) in a {@code ce-*} value are percent-encoded as UTF-8 — an object key such as
 * {@code uploads/Mÿ Cat.jpg} in {@code ce-subject} would otherwise be unsendable. When receiving, a quoted-string
 * is unquoted and then exactly one round of percent-decoding is applied; invalid UTF-8 is rejected.
 */
public final class CloudEventHttp {

    private static final String CE_PREFIX = "ce-";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CloudEventHttp() {
    }

    /**
     * An HTTP request or response carrying one CloudEvent.
     *
     * @param headers header names (lower-case) to values, in insertion order, ready to send
     * @param body    the body bytes; empty when the event has no data
     */
    public record Message(Map<String, String> headers, byte[] body) {
    }

    /**
     * Encodes an event in binary content mode (§3.1): attributes in {@code ce-*} headers, {@code data} as the
     * body, {@code datacontenttype} as {@code Content-Type}.
     *
     * @param event the event
     * @return headers and body
     */
    public static Message toBinary(CloudEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpMessageFactory.createWriter(
                (name, value) -> {
                    String lower = name.toLowerCase(Locale.ROOT);
                    headers.put(lower, lower.startsWith(CE_PREFIX) ? encodeHeaderValue(value) : value);
                },
                bytes -> {
                    if (bytes != null) {
                        body.writeBytes(bytes);
                    }
                }).writeBinary(event);
        return new Message(headers, body.toByteArray());
    }

    /**
     * Decodes an event from an HTTP message in binary or structured content mode. The mode is chosen by
     * {@code Content-Type} (§3): {@code application/cloudevents+json} is structured, anything else binary.
     *
     * @param forEachHeader calls its argument once per header (name, value); names are case-insensitive
     * @param body          the body bytes, possibly empty
     * @return the event
     * @throws MalformedEventException if the message is no CloudEvent (no {@code ce-specversion} and no structured
     *                                 content type), a required attribute is missing or invalid, a header value is
     *                                 not valid percent-encoded UTF-8, or the structured body cannot be parsed
     */
    public static CloudEvent read(Consumer<BiConsumer<String, String>> forEachHeader, byte[] body) {
        try {
            MessageReader reader = HttpMessageFactory.createReader(
                    consumer -> forEachHeader.accept((name, value) -> consumer.accept(name,
                            name.regionMatches(true, 0, CE_PREFIX, 0, CE_PREFIX.length())
                                    ? decodeHeaderValue(name, value) : value)),
                    body);
            return reader.toEvent();
        } catch (CloudEventRWException | EventDeserializationException e) {
            throw new MalformedEventException("not a valid CloudEvent: " + e.getMessage(), e);
        }
    }

    /**
     * Percent-encodes a header value per §3.1.3.2.
     *
     * @param value an attribute value
     * @return the value with space, {@code "}, {@code %} and non-printable-ASCII characters as {@code %XY}
     */
    static String encodeHeaderValue(String value) {
        StringBuilder out = null;
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean literal = c >= 0x21 && c <= 0x7e && c != '"' && c != '%';
            if (!literal && out == null) {
                out = new StringBuilder(bytes.length + 16).append(new String(bytes, 0, i, StandardCharsets.US_ASCII));
            }
            if (out != null) {
                if (literal) {
                    out.append((char) c);
                } else {
                    out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
                }
            }
        }
        return out == null ? value : out.toString();
    }

    /**
     * Decodes a header value per §3.1.3.2: undo an RFC 7230 quoted-string, then one round of percent-decoding.
     *
     * @param name  header name, for the error message
     * @param value the received value
     * @return the attribute value
     * @throws MalformedEventException on a bad {@code %} sequence or invalid UTF-8
     */
    static String decodeHeaderValue(String name, String value) {
        String v = value;
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            StringBuilder unquoted = new StringBuilder(v.length());
            for (int i = 1; i < v.length() - 1; i++) {
                char c = v.charAt(i);
                if (c == '\\' && i + 1 < v.length() - 1) {
                    c = v.charAt(++i);
                }
                unquoted.append(c);
            }
            v = unquoted.toString();
        }
        if (v.indexOf('%') < 0) {
            return v;
        }
        ByteBuffer bytes = ByteBuffer.allocate(v.length() * 4);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%') {
                if (i + 2 >= v.length()) {
                    throw new MalformedEventException("header " + name + " has a truncated percent-encoding: " + value);
                }
                int hi = Character.digit(v.charAt(i + 1), 16);
                int lo = Character.digit(v.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new MalformedEventException("header " + name + " has an invalid percent-encoding: " + value);
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedEventException("header " + name + " is not valid UTF-8 after percent-decoding: " + value, e);
        }
    }
}
