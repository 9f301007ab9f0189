package io.minik8s.client.selector;

import io.minik8s.client.selector.LabelSelector.Operator;
import io.minik8s.client.selector.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the label selector string syntax. Not thread-safe; one per parse.
 *
 * <pre>
 * selector    := requirement ( ',' requirement )*
 * requirement := '!' KEY | KEY [ ( '=' | '==' | '!=' ) VALUE? | ( 'in' | 'notin' ) '(' values ')' ]
 * values      := VALUE? ( ',' VALUE? )*
 * </pre>
 *
 * Identifiers are runs of anything but whitespace and {@code = ! ( ) ,}; {@code in} and
 * {@code notin} are keywords only where an operator is expected.
 */
final class LabelSelectorParser {
  private final String input;
  private int pos;

  LabelSelectorParser(String input) {
    this.input = input;
  }

  List<Requirement> parse() {
    List<Requirement> requirements = new ArrayList<>();
    skipSpaces();
    if (pos == input.length()) {
      return requirements;
    }
    while (true) {
      requirements.add(requirement());
      skipSpaces();
      if (pos == input.length()) {
        return requirements;
      }
      expect(',', "',' or end of selector");
    }
  }

  private Requirement requirement() {
    skipSpaces();
    if (peek() == '!') {
      pos++;
      String key = identifier("a label key after '!'");
      return build(key, Operator.DOES_NOT_EXIST, List.of());
    }
    String key = identifier("a label key");
    skipSpaces();
    if (pos == input.length() || peek() == ',') {
      return build(key, Operator.EXISTS, List.of());
    }
    char c = peek();
    if (c == '=') {
      pos += input.startsWith("==", pos) ? 2 : 1;
      return build(key, Operator.EQUALS, List.of(optionalValue()));
    }
    if (c == '!' && input.startsWith("!=", pos)) {
      pos += 2;
      return build(key, Operator.NOT_EQUALS, List.of(optionalValue()));
    }
    int at = pos;
    String word = isIdentifierChar(c) ? identifier("an operator") : "";
    Operator op;
    if (word.equals("in")) {
      op = Operator.IN;
    } else if (word.equals("notin")) {
      op = Operator.NOT_IN;
    } else {
      throw error(at, "expected an operator ('=', '==', '!=', 'in', 'notin') after key \"" + key + "\"");
    }
    skipSpaces();
    expect('(', "'(' after '" + word + "'");
    return build(key, op, values());
  }

  private List<String> values() {
    List<String> values = new ArrayList<>();
    skipSpaces();
    if (peek() == ')') {
      throw error(pos, "values set can't be empty");
    }
    while (true) {
      skipSpaces();
      values.add(pos < input.length() && isIdentifierChar(peek()) ? identifier("a value") : "");
      skipSpaces();
      if (pos < input.length() && peek() == ')') {
        pos++;
        return values;
      }
      expect(',', "',' or ')' in values list");
    }
  }

  /** A value after {@code =}/{@code !=}: empty when the term ends right there ({@code tier=}). */
  private String optionalValue() {
    skipSpaces();
    if (pos == input.length() || peek() == ',') {
      return "";
    }
    return identifier("a value");
  }

  private Requirement build(String key, Operator op, List<String> values) {
    try {
      return new Requirement(key, op, values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid label selector \"" + input + "\": " + e.getMessage(), e);
    }
  }

  private String identifier(String expected) {
    int start = pos;
    while (pos < input.length() && isIdentifierChar(input.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error(start, "expected " + expected);
    }
    return input.substring(start, pos);
  }

  private void expect(char c, String expected) {
    if (pos >= input.length() || input.charAt(pos) != c) {
      throw error(pos, "expected " + expected);
    }
    pos++;
  }

  private char peek() {
    return pos < input.length() ? input.charAt(pos) : '\0';
  }

  private void skipSpaces() {
    while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isIdentifierChar(char c) {
    return !Character.isWhitespace(c) && c != '=' && c != '!' && c != '(' && c != ')' && c != ',' && c != '\0';
  }

  private IllegalArgumentException error(int at, String message) {
    String found = at >= input.length() ? "end of selector" : "'" + input.charAt(at) + "'";
    return new IllegalArgumentException("invalid label selector \"" + input + "\": " + message
        + ", found " + found + " at position " + at);
  }
}
