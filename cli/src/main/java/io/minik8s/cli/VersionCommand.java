package io.minik8s.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.minik8s.api.VersionInfo;
import io.minik8s.client.api.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mkctl version}: {@code Client Version: v0.1.0} and {@code Server Version: ...}; with
 * {@code -o yaml|json} the server's whole VersionInfo. The client version is printed even when the
 * server cannot be reached (then the exit status is 1).
 */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the client and server versions.")
final class VersionCommand implements Callable<Integer> {
  @ParentCommand
  private Mkctl root;

  @Option(names = "--client", description = "Only the client version (no server needed).")
  private boolean clientOnly;

  @Option(names = {"-o", "--output"}, paramLabel = "yaml|json")
  private String output;

  @Override
  public Integer call() throws JsonProcessingException {
    CliContext context = root.context();
    if (output != null && !output.equals("yaml") && !output.equals("json")) {
      throw new UsageException("--output must be 'yaml' or 'json'");
    }
    VersionInfo server = null;
    ApiException failure = null;
    if (!clientOnly) {
      try {
        server = root.client().version();
      } catch (ApiException e) {
        failure = e;
      }
    }
    if (output == null) {
      context.out().println("Client Version: " + Mkctl.VERSION);
      if (server != null) {
        context.out().println("Server Version: " + server.getGitVersion());
      }
    } else {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("clientVersion", Map.of("gitVersion", Mkctl.VERSION));
      if (server != null) {
        Map<String, Object> serverVersion = new LinkedHashMap<>();
        serverVersion.put("gitVersion", server.getGitVersion());
        serverVersion.put("platform", server.getPlatform());
        serverVersion.put("javaVersion", server.getJavaVersion());
        serverVersion.put("buildDate", server.getBuildDate());
        document.put("serverVersion", serverVersion);
      }
      context.out().print(output.equals("json")
          ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document) + "\n"
          : YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build()
              .writeValueAsString(document));
    }
    context.out().flush();
    if (failure != null) {
      context.err().println(ServerErrors.format(failure, root.server()));
      return 1;
    }
    return 0;
  }
}
