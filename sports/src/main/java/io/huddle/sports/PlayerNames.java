package io.huddle.sports;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks and normalises player names, so that every spelling of one name gives one cache key:
 * "T.J. Watt", "TJ Watt" and "tj  watt" are all {@code tj watt}; "Ja'Marr Chase" is {@code jamarr
 * chase}; "Odell Beckham Jr." is {@code odell beckham}; "Bjørn" and "Bjorn" agree as far as Unicode
 * decomposition allows.
 *
 * <p>A name a user asks for is checked strictly ({@link #normalise}): anything that cannot be a
 * player's name is refused before any upstream call. Names the provider sends are read leniently
 * (package-private {@code providerKey} and {@code surnameKey}): a provider record is never refused,
 * it is only not findable under a name no user could ask for.
 */
public final class PlayerNames {
    /** The longest name accepted, in characters, as asked and again once normalised. */
    public static final int MAX_LENGTH = 64;

    /**
     * The fewest characters the last word of a normalised name may have: the provider is searched by
     * that word, and a search by one letter matches most of the league.
     */
    public static final int MIN_LAST_WORD_LENGTH = 2;

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern DROPPED = Pattern.compile("[.'’`]");
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");
    /** What a name asked for may hold besides letters, marks and digits: spaces, dashes and . ' ’ ‘ ` _ , */
    private static final Pattern NOT_IN_A_NAME = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Zs}\\p{Pd}.'’‘`_,]");

    private static final Set<String> SUFFIXES = Set.of("jr", "sr", "ii", "iii", "iv", "v");

    private PlayerNames() {}

    /**
     * The normalised form of a name a user asked for: lower case, without accents or punctuation,
     * initials joined ({@code t j} becomes {@code tj}), generational suffixes dropped, single spaces.
     *
     * @throws PlayerLookupException.InvalidName if the name is empty, longer than {@value #MAX_LENGTH}
     *     characters (as asked, or once normalised: a ligature such as {@code ﬃ} becomes three
     *     letters), holds control characters, has no letter or digit, holds a character no name has
     *     (anything but letters, digits, spaces, dashes and {@code . ' ’ ‘ ` _ ,}), or its last word
     *     is shorter than {@value #MIN_LAST_WORD_LENGTH} characters
     */
    public static String normalise(String name) {
        if (name == null || name.isBlank()) {
            throw new PlayerLookupException.InvalidName(String.valueOf(name), "a player name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new PlayerLookupException.InvalidName(
                    shortened(name),
                    "a player name must be at most " + MAX_LENGTH + " characters, was " + name.length());
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new PlayerLookupException.InvalidName(
                    name.replaceAll("\\p{Cntrl}", "?"), "a player name must not hold control characters");
        }
        List<String> tokens = tokens(name, 2);
        if (tokens.isEmpty()) {
            throw new PlayerLookupException.InvalidName(name, "a player name must hold a letter or a digit");
        }
        String key = String.join(" ", tokens);
        if (key.length() > MAX_LENGTH) {
            throw new PlayerLookupException.InvalidName(
                    shortened(name),
                    "a player name must be at most " + MAX_LENGTH + " characters once normalised, was " + key.length());
        }
        Matcher odd = NOT_IN_A_NAME.matcher(name);
        if (odd.find()) {
            throw new PlayerLookupException.InvalidName(
                    name,
                    "a player name holds only letters, digits, spaces, dashes and . ' _ , (not '" + odd.group() + "')");
        }
        String lastWord = tokens.get(tokens.size() - 1);
        if (lastWord.length() < MIN_LAST_WORD_LENGTH) {
            throw new PlayerLookupException.InvalidName(
                    name,
                    "the last word of a player name must have at least " + MIN_LAST_WORD_LENGTH + " letters, was '"
                            + lastWord + "'");
        }
        return key;
    }

    /** The word of a normalised name the provider is searched by: its last. */
    static String searchTerm(String key) {
        return key.substring(key.lastIndexOf(' ') + 1);
    }

    /**
     * The key a provider's full name is found under, read leniently: control characters and other
     * odd characters separate words like punctuation does. Empty when no name a user may ask for
     * normalises to it (it holds no letter or digit, or is longer than {@value #MAX_LENGTH}).
     */
    static Optional<String> providerKey(String fullName) {
        return key(fullName, 2);
    }

    /**
     * The key a provider's last name is found under by a user who typed the surname alone ({@code
     * watt} for "Watt", {@code beckham} for "Beckham Jr.", {@code st brown} for "St. Brown"), read
     * as leniently as {@link #providerKey}.
     */
    static Optional<String> surnameKey(String lastName) {
        return key(lastName, 1);
    }

    private static Optional<String> key(String name, int keptBeforeSuffixes) {
        if (name == null) {
            return Optional.empty();
        }
        String key = String.join(" ", tokens(name, keptBeforeSuffixes));
        return key.isEmpty() || key.length() > MAX_LENGTH ? Optional.empty() : Optional.of(key);
    }

    /**
     * The words of a name: decomposed, without marks, lower case, apostrophes and dots dropped, split
     * on anything but letters and digits, runs of initials joined; trailing suffixes dropped while
     * more than {@code keptBeforeSuffixes} words remain.
     */
    private static List<String> tokens(String name, int keptBeforeSuffixes) {
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
        while (tokens.size() > keptBeforeSuffixes && SUFFIXES.contains(tokens.get(tokens.size() - 1))) {
            tokens.remove(tokens.size() - 1);
        }
        return tokens;
    }

    /** The name as an error repeats it: its first 20 characters when longer. */
    private static String shortened(String name) {
        return name.length() <= 20 ? name : name.substring(0, 20) + "...";
    }
}
