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
        assertThatThrownBy(() -> PlayerNames.normalise("Josh A"))
                .isInstanceOf(PlayerLookupException.InvalidName.class)
                .hasMessage("the last word of a player name must have at least 2 letters, was 'a'");
        assertThatThrownBy(() -> PlayerNames.normalise("${jndi:ldap://x/a}"))
                .isInstanceOf(PlayerLookupException.InvalidName.class)
                .hasMessage("a player name holds only letters, digits, spaces, dashes and . ' _ , (not '$')");
    }

    @Test
    @DisplayName("a name within the limit that grows past it once normalised is rejected as an invalid name")
    void growsWhenNormalised() {
        String ligatures = "\uFB03".repeat(PlayerNames.MAX_LENGTH); // each is "ffi" once normalised
        assertThatThrownBy(() -> PlayerNames.normalise(ligatures))
                .isInstanceOf(PlayerLookupException.InvalidName.class)
                .hasMessage("a player name must be at most 64 characters once normalised, was 192");
        String sallallahou = "\uFDFA".repeat(PlayerNames.MAX_LENGTH); // 18 characters each
        assertThatThrownBy(() -> PlayerNames.normalise(sallallahou))
                .isInstanceOf(PlayerLookupException.InvalidName.class)
                .hasMessageStartingWith("a player name must be at most 64 characters once normalised, was ")
                .satisfies(e -> assertThat(((PlayerLookupException) e).name()).hasSize(23));
    }

    @Test
    @DisplayName("provider names are read leniently: odd characters break words, and overlong keys find nothing")
    void providerNames() {
        assertThat(PlayerNames.providerKey("Josh\u0000Allen")).contains("josh allen");
        assertThat(PlayerNames.providerKey("X".repeat(70) + " Ward")).isEmpty();
        assertThat(PlayerNames.providerKey("\u0007")).isEmpty();
        assertThat(PlayerNames.surnameKey("Beckham Jr.")).contains("beckham");
        assertThat(PlayerNames.surnameKey("St. Brown")).contains("st brown");
        assertThat(PlayerNames.surnameKey("Jr.")).contains("jr");
    }

    @Test
    @DisplayName("a suffix alone is a name, not something to drop")
    void suffixOnly() {
        assertThat(PlayerNames.normalise("Jr")).isEqualTo("jr");
    }
}
