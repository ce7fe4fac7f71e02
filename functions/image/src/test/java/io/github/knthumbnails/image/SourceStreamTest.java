package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;

import javax.imageio.IIOException;

import org.junit.jupiter.api.Test;

/** The bounds {@link SourceStream} puts on ImageIO readers (issue 8, finding 3). */
class SourceStreamTest {

    @Test
    void readsPastTheEndFailForGoodAfterTheLimit() throws Exception {
        SourceStream in = new SourceStream(new byte[] {1, 2, 3}, null);
        assertThat(in.read()).isEqualTo(1);
        assertThat(in.read(new byte[8], 0, 8)).isEqualTo(2);
        for (int i = 0; i < SourceStream.MAX_READS_PAST_END; i++) {
            assertThatThrownBy(in::readByte).isInstanceOf(EOFException.class); // what readers expect at the end
        }

        assertThatThrownBy(in::readByte).isInstanceOf(IIOException.class).isNotInstanceOf(EOFException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void everyReadFailsOnceTheDeadlineHasPassed() throws Exception {
        long[] now = {0};
        Deadline deadline = new Deadline(() -> now[0], 0, 1000, SourceHeader.Format.PNG);
        SourceStream in = new SourceStream(new byte[1 << 16], deadline);
        for (int i = 0; i < 2048; i++) {
            in.read();
        }
        now[0] = 1_001_000_000L;

        assertThatThrownBy(() -> {
            for (int i = 0; i < 1024; i++) {
                in.read();
            }
        }).isInstanceOf(Deadline.Passed.class);
        assertThatThrownBy(in::read).isInstanceOf(Deadline.Passed.class);
        assertThatThrownBy(() -> deadline.checkIfCause(new RuntimeException(new Deadline.Passed())))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.DEADLINE_EXCEEDED));
    }
}
