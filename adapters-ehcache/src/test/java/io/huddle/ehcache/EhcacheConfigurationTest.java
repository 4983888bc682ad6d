package io.huddle.ehcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CachePort;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Ehcache port's configuration")
class EhcacheConfigurationTest {
    @TempDir
    Path directory;

    @Test
    @DisplayName("a second port on a directory in use fails clearly, naming the directory; closing frees it")
    void directoryLocked() {
        try (EhcacheCachePort first = small().build()) {
            assertThatThrownBy(() -> small().build())
                    .isInstanceOf(CacheBackendException.class)
                    .hasMessageContaining(directory.toString())
                    .hasMessageContaining("already locked");

            first.close();

            assertThatThrownBy(first::statistics).isInstanceOf(CacheBackendException.class);
            small().build().close();
        }
    }

    @Test
    @DisplayName("rejects an off-heap tier that is not smaller than the disk tier, naming both")
    void offHeapNotSmallerThanDisk() {
        assertThatThrownBy(() -> EhcacheCachePort.builder(directory)
                        .offHeapMegabytes(64)
                        .diskMegabytes(64)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("offHeapMegabytes (64) must be smaller than diskMegabytes (64)");
    }

    @Test
    @DisplayName("rejects sizes out of range, naming the field and the value")
    void badSizes() {
        EhcacheCachePort.Builder builder = EhcacheCachePort.builder(directory);

        assertThatThrownBy(() -> builder.heapEntries(0)).hasMessage("heapEntries must be positive, was 0");
        assertThatThrownBy(() -> builder.diskMegabytes(-1)).hasMessage("diskMegabytes must be positive, was -1");
        assertThatThrownBy(() -> builder.offHeapMegabytes(-1))
                .hasMessage("offHeapMegabytes must not be negative, was -1");
        assertThatThrownBy(() -> builder.cacheName(" ")).hasMessage("cacheName must not be blank");
    }

    @Test
    @DisplayName("runs without an off-heap tier and says what it can do")
    void withoutOffHeap() {
        try (EhcacheCachePort port = EhcacheCachePort.builder(directory)
                .offHeapMegabytes(0)
                .diskMegabytes(1)
                .build()) {
            assertThat(port.name()).isEqualTo("ehcache");
            assertThat(port.capabilities())
                    .containsExactlyInAnyOrder(
                            CachePort.Capability.SURVIVES_RESTART,
                            CachePort.Capability.COUNTS_ENTRIES,
                            CachePort.Capability.ENUMERATES_ENTRIES);
        }
    }

    private EhcacheCachePort.Builder small() {
        return EhcacheCachePort.builder(directory).offHeapMegabytes(1).diskMegabytes(2);
    }
}
