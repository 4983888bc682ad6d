package io.huddle.sports;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks and normalises player names, so that every spelling of one name gives one cache key:
 * "T.J. Watt", "TJ Watt" and "tj  watt" are all {@code tj watt}; "Ja'Marr Chase" is {@code jamarr
 * chase}; "Odell Beckham Jr." is {@code odell beckham}; "Bjørn" and "Bjorn" agree as far as Unicode
 * decomposition allows.
 */
public final class PlayerNames {
    /** The longest name accepted, in characters. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern DROPPED = Pattern.compile("[.'’`]");
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Set<String> SUFFIXES = Set.of("jr", "sr", "ii", "iii", "iv", "v");

    private PlayerNames() {}

    /**
     * The normalised form of a name: lower case, without accents or punctuation, initials joined
     * ({@code t j} becomes {@code tj}), generational suffixes dropped, single spaces.
     *
     * @throws PlayerLookupException.InvalidName if the name is empty, longer than {@value #MAX_LENGTH}
     *     characters, holds control characters, or has no letter or digit
     */
    public static String normalise(String name) {
        if (name == null || name.isBlank()) {
            throw new PlayerLookupException.InvalidName(String.valueOf(name), "a player name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new PlayerLookupException.InvalidName(
                    name.substring(0, 20) + "...",
                    "a player name must be at most " + MAX_LENGTH + " characters, was " + name.length());
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new PlayerLookupException.InvalidName(
                    name.replaceAll("\\p{Cntrl}", "?"), "a player name must not hold control characters");
        }
        String plain = MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFKD))
                .replaceAll("")
                .toLowerCase(Locale.ROOT);
        plain = DROPPED.matcher(plain).replaceAll("");
        List<String> tokens = new ArrayList<>();
        boolean afterInitial = false;
        for (String token : SEPARATORS.split(plain)) {
            if (token.isEmpty()) {
                continue;
            }
            boolean initial = token.length() == 1;
            if (initial && afterInitial) {
                // a run of initials is one token: "t j" is "tj"
                tokens.set(tokens.size() - 1, tokens.get(tokens.size() - 1) + token);
            } else {
                tokens.add(token);
            }
            afterInitial = initial;
        }
        while (tokens.size() > 2 && SUFFIXES.contains(tokens.get(tokens.size() - 1))) {
            tokens.remove(tokens.size() - 1);
        }
        if (tokens.isEmpty()) {
            throw new PlayerLookupException.InvalidName(name, "a player name must hold a letter or a digit");
        }
        return String.join(" ", tokens);
    }
}
