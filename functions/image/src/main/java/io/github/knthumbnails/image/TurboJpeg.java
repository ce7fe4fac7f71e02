package io.github.knthumbnails.image;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * libjpeg-turbo's own Java binding ({@code org.libjpegturbo.turbojpeg}, Debian package {@code libturbojpeg-java}),
 * loaded at run time from its jar and native library, used for DCT-domain scaling: decoding a JPEG straight to
 * M/8 of its size (M = 1..8), which is both faster than a full decode and a proper box filter.
 *
 * <p>The jar is not on Maven Central, so it is not a build dependency: it is loaded by a class loader of our own
 * whose {@link ClassLoader#findLibrary} points {@code System.loadLibrary("turbojpeg")} at the versioned
 * {@code libturbojpeg.so.0} of the runtime package (the binding's own loader only tries the unversioned name the
 * {@code -dev} package ships), and called through method handles. It also encodes the JPEG renditions. A
 * library can be bound to one class loader per JVM, so bindings are cached per (jar, library) pair.
 *
 * <p>A {@code TJDecompressor} is not reusable after an error and not thread-safe: one is made per decode.
 */
final class TurboJpeg {

    /** TurboJPEG pixel formats and colour spaces (turbojpeg.h, 2.1). */
    static final int PF_RGB = 0;
    static final int PF_GRAY = 6;
    static final int PF_CMYK = 11;
    private static final int SAMP_420 = 2;
    private static final int SAMP_GRAY = 3;
    private static final int ERR_WARNING = 0;
    /** {@code TJFLAG_LIMITSCANS} (turbojpeg.h, 2.1): fail a progressive JPEG with more than 500 scans. */
    private static final int FLAG_LIMITSCANS = 32768;
    /** The scan limit {@link #FLAG_LIMITSCANS} sets, libjpeg-turbo's. */
    static final int MAX_SCANS = 500;

    private static final Map<String, TurboJpeg> LOADED = new ConcurrentHashMap<>();

    private final String description;
    private final MethodHandle create;
    private final MethodHandle setSource;
    private final MethodHandle decompress;
    private final MethodHandle close;
    private final MethodHandle errorCode;
    private final MethodHandle createCompressor;
    private final MethodHandle setPixels;
    private final MethodHandle setSubsamp;
    private final MethodHandle setQuality;
    private final MethodHandle compress;
    private final MethodHandle compressedSize;
    private final MethodHandle closeCompressor;

    private TurboJpeg(String description, ClassLoader loader) throws Throwable {
        this.description = description;
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> tj = Class.forName("org.libjpegturbo.turbojpeg.TJ", true, loader); // loads the native library
        Class<?> decompressor = Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, loader);
        Class<?> exception = Class.forName("org.libjpegturbo.turbojpeg.TJException", true, loader);
        this.create = lookup.findConstructor(decompressor, MethodType.methodType(void.class))
                .asType(MethodType.methodType(Object.class));
        this.setSource = lookup.findVirtual(decompressor, "setSourceImage",
                MethodType.methodType(void.class, byte[].class, int.class))
                .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class));
        this.decompress = lookup.findVirtual(decompressor, "decompress", MethodType.methodType(void.class,
                        byte[].class, int.class, int.class, int.class, int.class, int.class, int.class, int.class))
                .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class, int.class, int.class,
                        int.class, int.class, int.class, int.class));
        this.close = lookup.findVirtual(decompressor, "close", MethodType.methodType(void.class))
                .asType(MethodType.methodType(void.class, Object.class));
        this.errorCode = lookup.findVirtual(exception, "getErrorCode", MethodType.methodType(int.class))
                .asType(MethodType.methodType(int.class, Throwable.class));
        Class<?> compressor = Class.forName("org.libjpegturbo.turbojpeg.TJCompressor", true, loader);
        this.createCompressor = lookup.findConstructor(compressor, MethodType.methodType(void.class))
                .asType(MethodType.methodType(Object.class));
        this.setPixels = lookup.findVirtual(compressor, "setSourceImage", MethodType.methodType(void.class,
                        byte[].class, int.class, int.class, int.class, int.class, int.class, int.class))
                .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class, int.class, int.class,
                        int.class, int.class, int.class));
        this.setSubsamp = lookup.findVirtual(compressor, "setSubsamp", MethodType.methodType(void.class, int.class))
                .asType(MethodType.methodType(void.class, Object.class, int.class));
        this.setQuality = lookup.findVirtual(compressor, "setJPEGQuality",
                MethodType.methodType(void.class, int.class)).asType(MethodType.methodType(void.class, Object.class,
                int.class));
        this.compress = lookup.findVirtual(compressor, "compress", MethodType.methodType(byte[].class, int.class))
                .asType(MethodType.methodType(byte[].class, Object.class, int.class));
        this.compressedSize = lookup.findVirtual(compressor, "getCompressedSize", MethodType.methodType(int.class))
                .asType(MethodType.methodType(int.class, Object.class));
        this.closeCompressor = lookup.findVirtual(compressor, "close", MethodType.methodType(void.class))
                .asType(MethodType.methodType(void.class, Object.class));
        lookup.findStatic(tj, "getScalingFactors", MethodType.methodType(
                Class.forName("[Lorg.libjpegturbo.turbojpeg.TJScalingFactor;", true, loader))).invoke();
    }

    /** A fatal decode error, or a truncated JPEG, as reported by libjpeg-turbo. */
    static final class DecodeException extends Exception {
        DecodeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Loads the binding, or explains why it cannot.
     *
     * @param jar     the binding's jar, e.g. {@code /usr/share/java/turbojpeg.jar}
     * @param library the native library, e.g. {@code /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0}
     * @return the binding
     * @throws IllegalStateException with a readable reason when a file is missing or does not load
     */
    static TurboJpeg load(Path jar, Path library) {
        // computeIfAbsent runs the loader at most once per key, even under contention (a library binds to one
        // class loader per JVM); a failure is not cached, so the next engine tries again.
        return LOADED.computeIfAbsent(jar.toAbsolutePath() + "|" + library.toAbsolutePath(), k -> {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " not found (Debian package libturbojpeg-java)");
            }
            if (!Files.isRegularFile(library)) {
                throw new IllegalStateException(library + " not found (Debian package libturbojpeg0)");
            }
            try {
                return new TurboJpeg("libjpeg-turbo " + library.toRealPath() + " via " + jar,
                        new BindingLoader(jar, library));
            } catch (Throwable e) { // missing classes, a library that does not link, a wrong architecture
                throw new IllegalStateException("the TurboJPEG binding does not load: " + e, e);
            }
        });
    }

    /** @return which library and jar this binding uses */
    String description() {
        return description;
    }

    /**
     * Decodes a JPEG at {@code num/8} of its size.
     *
     * @param jpeg        the whole JPEG
     * @param scaled      width and height after scaling, {@code ceil(size * num / 8)}
     * @param pixelFormat {@link #PF_RGB}, {@link #PF_GRAY} or {@link #PF_CMYK}
     * @param channels    bytes per pixel of that format
     * @return the interleaved pixels, {@code scaled[0] * scaled[1] * channels} bytes
     * @throws DecodeException        when libjpeg-turbo reports an error (also for more than {@value #MAX_SCANS}
     *                                scans: {@code TJFLAG_LIMITSCANS}, issue 8 finding 3), or the data ends early
     *                                ("Premature end of JPEG file" is only a warning to libjpeg, which grey-fills
     *                                the rest); other warnings, after which libjpeg recovered, are accepted
     * @throws ImageRejectedException {@code too_large} when the pixels would not fit in a Java array
     */
    byte[] decode(byte[] jpeg, int[] scaled, int pixelFormat, int channels)
            throws DecodeException, ImageRejectedException {
        byte[] out = new byte[Pixels.bytes(scaled[0], scaled[1], channels)];
        Object decompressor = null;
        try {
            decompressor = create.invokeExact();
            setSource.invokeExact(decompressor, jpeg, jpeg.length);
            decompress.invokeExact(decompressor, out, 0, 0, scaled[0], scaled[0] * channels, scaled[1], pixelFormat,
                    FLAG_LIMITSCANS);
            return out;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            boolean warning;
            try {
                warning = (int) errorCode.invokeExact(e) == ERR_WARNING;
            } catch (Throwable notTurbo) {
                warning = false;
            }
            String message = String.valueOf(e.getMessage());
            if (warning && !Decoder.saysTruncated(message)) {
                return out; // libjpeg recovered (e.g. extraneous bytes before a marker) and filled the buffer
            }
            throw new DecodeException(message, e);
        } finally {
            if (decompressor != null) {
                try {
                    close.invokeExact(decompressor);
                } catch (Throwable ignored) {
                    // Closing frees native memory; it fails only on a handle that never opened.
                }
            }
        }
    }

    /**
     * Encodes a baseline JFIF JPEG (4:2:0 for colour, one component for grey, the IJG quality scale; no other
     * metadata). Several times faster than the JDK's writer for thumbnail-sized images.
     *
     * @param pixels  grey or RGB
     * @param quality 1-100
     * @return the JPEG file
     */
    byte[] encode(Pixels pixels, int quality) {
        boolean grey = pixels.channels() == 1;
        Object compressor = null;
        try {
            compressor = createCompressor.invokeExact();
            setPixels.invokeExact(compressor, pixels.data(), 0, 0, pixels.width(), pixels.width() * pixels.channels(),
                    pixels.height(), grey ? PF_GRAY : PF_RGB);
            setSubsamp.invokeExact(compressor, grey ? SAMP_GRAY : SAMP_420);
            setQuality.invokeExact(compressor, quality);
            byte[] buffer = (byte[]) compress.invokeExact(compressor, 0);
            return java.util.Arrays.copyOf(buffer, (int) compressedSize.invokeExact(compressor));
        } catch (Throwable e) {
            throw new IllegalStateException("libjpeg-turbo could not encode a " + pixels.width() + "x"
                    + pixels.height() + " image: " + e, e);
        } finally {
            if (compressor != null) {
                try {
                    closeCompressor.invokeExact(compressor);
                } catch (Throwable ignored) {
                    // frees native memory only
                }
            }
        }
    }

    /** Defines the binding's classes and resolves {@code turbojpeg} to the library file we were given. */
    private static final class BindingLoader extends URLClassLoader {
        private final Path library;

        BindingLoader(Path jar, Path library) throws MalformedURLException {
            super(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            this.library = library.toAbsolutePath();
        }

        @Override
        protected String findLibrary(String name) {
            return "turbojpeg".equals(name) ? library.toString() : null;
        }
    }
}
