package com.redhat.cloudoreg.deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Containerfile read as buildah reads it: comment lines dropped (also inside a continued
 * instruction), continuation lines joined, instructions grouped by stage ({@code FROM} starts one).
 */
record Containerfile(List<Stage> stages) {

  /** One instruction: its keyword upper-cased, and the rest of it on one line. */
  record Instruction(String keyword, String arguments) {}

  /** A stage: its base image, its name ({@code AS …}, else empty) and its instructions. */
  record Stage(String image, String name, List<Instruction> instructions) {
    List<String> arguments(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(Instruction::arguments)
          .toList();
    }

    /** {@code LABEL} and {@code ENV} pairs, {@code key=value} or {@code key="value"}. */
    Map<String, String> pairs(String keyword) {
      Map<String, String> pairs = new LinkedHashMap<>();
      for (String arguments : arguments(keyword)) {
        Matcher pair = PAIR.matcher(arguments);
        while (pair.find()) {
          pairs.put(pair.group(1), pair.group(2) != null ? pair.group(2) : pair.group(3));
        }
      }
      return pairs;
    }
  }

  private static final Pattern PAIR =
      Pattern.compile("([A-Za-z0-9_.-]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))");

  private static final Pattern FROM =
      Pattern.compile("(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);

  static Containerfile parse(String text) {
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      if (!current.toString().isBlank()) {
        logical.add(current.toString().strip().replaceAll("\\s+", " "));
      }
      current.setLength(0);
    }
    List<Stage> stages = new ArrayList<>();
    for (String instruction : logical) {
      int space = instruction.indexOf(' ');
      String keyword = (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase();
      String arguments = space < 0 ? "" : instruction.substring(space + 1);
      if (keyword.equals("FROM")) {
        Matcher from = FROM.matcher(arguments);
        if (!from.matches()) {
          throw new IllegalArgumentException("not a FROM: " + instruction);
        }
        stages.add(
            new Stage(
                from.group(1), from.group(2) == null ? "" : from.group(2), new ArrayList<>()));
      } else if (stages.isEmpty()) {
        throw new IllegalArgumentException("an instruction before the first FROM: " + instruction);
      } else {
        stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
      }
    }
    return new Containerfile(stages);
  }

  /** The stage the image is: the last. */
  Stage runtime() {
    return stages.get(stages.size() - 1);
  }
}
