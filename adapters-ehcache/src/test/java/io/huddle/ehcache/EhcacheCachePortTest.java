package io.huddle.ehcache;

import io.huddle.core.spi.CachePort;
import io.huddle.testkit.CachePortContractKit;
import io.huddle.testkit.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Ehcache port keeps the port contract")
class EhcacheCachePortTest extends CachePortContractKit {
    @TempDir
    Path directory;

    @Override
    protected CachePort createPort(ManualClock clock) {
        return EhcacheCachePort.builder(directory)
                .offHeapMegabytes(1)
                .diskMegabytes(8)
                .clock(clock)
                .build();
    }
}
