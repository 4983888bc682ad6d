package io.huddle.sports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Player names are checked and normalised")
class PlayerNamesTest {
    @ParameterizedTest(name = "\"{0}\" is \"{1}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                "T.J. Watt|tj watt",
                "TJ Watt|tj watt",
                "t. j.   watt|tj watt",
                "  tj WATT |tj watt",
                "Ja'Marr Chase|jamarr chase",
                "Ja’Marr Chase|jamarr chase",
                "Odell Beckham Jr.|odell beckham",
                "Marvin Harrison Jr|marvin harrison",
                "Amon-Ra St. Brown|amon ra st brown",
                "Zoë Müller-Ødegård|zoe muller ødegard",
                "Patrick Mahomes II|patrick mahomes",
            })
    void normalises(String asked, String normalised) {
        assertThat(PlayerNames.normalise(asked)).isEqualTo(normalised);
    }

    @Test
    @DisplayName("empty, overlong, control-character and letterless names are rejected with the reason")
    void rejects() {
        assertThatThrownBy(() -> PlayerNames.normalise(""))
                .isInstanceOf(PlayerLookupException.InvalidName.class)
                .hasMessage("a player name must not be empty");
        assertThatThrownBy(() -> PlayerNames.normalise(null)).hasMessage("a player name must not be empty");
        assertThatThrownBy(() -> PlayerNames.normalise("x".repeat(65)))
                .hasMessage("a player name must be at most 64 characters, was 65");
        assertThatThrownBy(() -> PlayerNames.normalise("Tom\u0000Brady"))
                .hasMessage("a player name must not hold control characters");
        assertThatThrownBy(() -> PlayerNames.normalise("!!! ..."))
                .hasMessage("a player name must hold a letter or a digit");
    }

    @Test
    @DisplayName("a suffix alone is a name, not something to drop")
    void suffixOnly() {
        assertThat(PlayerNames.normalise("Jr")).isEqualTo("jr");
    }
}
