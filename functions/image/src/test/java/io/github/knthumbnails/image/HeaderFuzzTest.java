package io.github.knthumbnails.image;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the header readers: for any bytes, a header or an ImageRejectedException, nothing else. */
class HeaderFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void header(byte[] data) {
        if (data.length == 0) {
            return;
        }
        try {
            SourceHeader.read(data);
        } catch (ImageRejectedException expected) {
            // the only allowed failure
        }
    }
}
