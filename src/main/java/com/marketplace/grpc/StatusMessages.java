package com.marketplace.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code grpc-message} header: a status message's UTF-8 bytes, percent-encoded as the gRPC spec
 * says, only where a byte is not printable ASCII, or is {@code %}.
 */
public final class StatusMessages {

  private StatusMessages() {}

  /**
   * {@code message} as gRPC percent-encodes it. vertx-grpc 5.0.7 encodes it as a URL query, which
   * escapes {@code , : / ?} and more; grpc-js decodes with JavaScript's {@code decodeURI}, which
   * leaves those escaped, so a Node client would read {@code product_id%3A must not be empty}.
   */
  public static String encode(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder encoded = null;
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain = b >= ' ' && b <= '~' && b != '%';
      if (!plain && encoded == null) {
        encoded = new StringBuilder(bytes.length + 16).append(message, 0, i);
      }
      if (encoded != null) {
        if (plain) {
          encoded.append((char) b);
        } else {
          encoded.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
      }
    }
    return encoded == null ? message : encoded.toString();
  }

  /** Decodes any percent-escape; a {@code +} stands for itself, and a malformed escape is kept as is. */
  public static String decode(String encoded) {
    if (encoded == null || encoded.indexOf('%') < 0) {
      return encoded;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    int i = 0;
    while (i < encoded.length()) {
      int c = encoded.codePointAt(i);
      if (c == '%' && i + 2 < encoded.length() && isHex(encoded.charAt(i + 1)) && isHex(encoded.charAt(i + 2))) {
        bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        byte[] raw = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
        i += Character.charCount(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
