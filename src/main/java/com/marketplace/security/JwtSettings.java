package com.marketplace.security;

import com.marketplace.config.ConfigException;
import com.marketplace.config.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** Builds the token verifier from the configured key: an RS256 or ES256 public key, or an HS256 secret. */
public final class JwtSettings {

  private JwtSettings() {}

  /**
   * Reads the key files (blocking: call it on a worker) and returns the verifier options, or null
   * when no key is configured and authentication is off.
   */
  public static JWTAuthOptions read(ServerConfig config) {
    PubSecKeyOptions key;
    if (config.jwtPublicKey() != null) {
      String pem = readFile("jwtPublicKey", config.jwtPublicKey());
      key = new PubSecKeyOptions().setAlgorithm(algorithmOf(pem)).setBuffer(pem);
    } else if (config.jwtSecretFile() != null) {
      key = new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(readFile("jwtSecretFile", config.jwtSecretFile()).strip());
    } else {
      return null;
    }
    return new JWTAuthOptions().addPubSecKey(key).setJWTOptions(new JWTOptions()
        .setIssuer(config.jwtIssuer()).setAudience(List.of(config.jwtAudience())).setLeeway(5));
  }

  public static JWTAuth provider(Vertx vertx, JWTAuthOptions options) {
    return JWTAuth.create(vertx, options);
  }

  /** RS256 for an RSA key, ES256 for an EC one. */
  private static String algorithmOf(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config key 'jwtPublicKey': not a PEM public key");
    }
    for (String[] candidate : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(candidate[0]).generatePublic(new X509EncodedKeySpec(der));
        return candidate[1];
      } catch (Exception notThisKind) {
        // try the next kind
      }
    }
    throw new ConfigException("config key 'jwtPublicKey': not an RSA or EC public key (PEM, BEGIN PUBLIC KEY)");
  }

  private static String readFile(String key, String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new ConfigException("config key '" + key + "': cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}
