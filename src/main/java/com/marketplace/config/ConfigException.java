package com.marketplace.config;

/** A configuration that cannot be used; the message names the key and is fit to show as is. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
