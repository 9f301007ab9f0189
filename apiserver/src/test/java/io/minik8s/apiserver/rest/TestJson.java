package io.minik8s.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON written with single quotes, so that tests stay readable. */
public final class TestJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestJson() {}

  public static JsonNode json(String singleQuoted) {
    try {
      return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }
}
