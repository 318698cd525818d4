package dev.autopilot.runtime.admin;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the admin HTTP API, from {@code autopilot.admin} (see {@code runtime.conf}).
 *
 * <p>{@link #toString()} never shows the tokens, only the identities.
 *
 * @param enabled whether {@code serve} starts the admin API
 * @param iface interface to bind to
 * @param port port to bind to, 0 for a free one
 * @param tokens identity to bearer token; empty makes the API read-only
 * @param maxBodyBytes largest request body accepted
 * @param askTimeout longest wait for a meta-agent's answer
 */
public record AdminSettings(
    boolean enabled,
    String iface,
    int port,
    Map<String, String> tokens,
    int maxBodyBytes,
    Duration askTimeout) {

  /** Config path of the admin settings. */
  public static final String ROOT = "autopilot.admin";

  public AdminSettings {
    if (iface == null || iface.isBlank()) {
      throw new IllegalArgumentException(ROOT + ".interface must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(ROOT + ".port must be in 0..65535, was " + port);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException(
          ROOT + ".max-body-bytes must be >= 1, was " + maxBodyBytes);
    }
    if (askTimeout == null || askTimeout.isZero() || askTimeout.isNegative()) {
      throw new IllegalArgumentException(ROOT + ".ask-timeout must be > 0, was " + askTimeout);
    }
    tokens = Map.copyOf(tokens == null ? Map.of() : tokens);
  }

  /** Reads {@code autopilot.admin} from the application config. */
  public static AdminSettings create(Config root) {
    Config c = root.getConfig(ROOT);
    return new AdminSettings(
        c.getBoolean("enabled"),
        c.getString("interface"),
        c.getInt("port"),
        parseTokens(c.getString("tokens")),
        c.getInt("max-body-bytes"),
        c.getDuration("ask-timeout"));
  }

  /**
   * Parses {@code identity:token,identity:token}. Errors name the entry by position only, never its
   * content, so a malformed secret does not end up in a log.
   */
  public static Map<String, String> parseTokens(String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    String[] entries = spec.split(",");
    for (int i = 0; i < entries.length; i++) {
      String e = entries[i].trim();
      int colon = e.indexOf(':');
      if (colon <= 0 || colon == e.length() - 1) {
        throw new IllegalArgumentException(
            ROOT + ".tokens: entry " + (i + 1) + " is not identity:token");
      }
      String identity = e.substring(0, colon).trim();
      String token = e.substring(colon + 1).trim();
      if (identity.isEmpty() || token.length() < 16) {
        throw new IllegalArgumentException(
            ROOT
                + ".tokens: entry "
                + (i + 1)
                + " needs an identity and a token of at least 16 characters");
      }
      if (out.put(identity, token) != null) {
        throw new IllegalArgumentException(
            ROOT + ".tokens: identity '" + identity + "' is given twice");
      }
    }
    return out;
  }

  /** Whether mutating calls can ever be authorized. */
  public boolean readOnly() {
    return tokens.isEmpty();
  }

  /** The same settings on another port with other tokens (tests). */
  public AdminSettings with(int newPort, Map<String, String> newTokens) {
    return new AdminSettings(enabled, iface, newPort, newTokens, maxBodyBytes, askTimeout);
  }

  @Override
  public String toString() {
    return "AdminSettings[enabled="
        + enabled
        + ", interface="
        + iface
        + ", port="
        + port
        + ", identities="
        + tokens.keySet().stream().sorted().toList()
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", askTimeout="
        + askTimeout
        + "]";
  }
}
