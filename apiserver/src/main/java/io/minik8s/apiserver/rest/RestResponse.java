package io.minik8s.apiserver.rest;

import java.nio.charset.StandardCharsets;

/**
 * What the REST API answers: a whole body, or a stream (a watch) that the transport starts once the
 * response headers are out.
 */
sealed interface RestResponse {
  String JSON = "application/json";

  /** A complete response. */
  record Full(int status, String contentType, byte[] body) implements RestResponse {
    static Full json(int status, byte[] body) {
      return new Full(status, JSON, body);
    }

    static Full text(int status, String text) {
      return new Full(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A chunked 200 response (newline-delimited JSON, or a log's text) whose chunks {@code body} writes. */
  record Streaming(String contentType, StreamBody body) implements RestResponse {}

  /** Produces the chunks of a streaming response. */
  interface StreamBody {
    /**
     * Starts producing chunks into {@code sink}; returns at once. Chunks may be written from any thread,
     * one at a time; the stream ends with {@link ChunkSink#end()}.
     *
     * @return what stops the stream early (the client went away, the server shuts down); idempotent
     */
    Runnable start(ChunkSink sink);
  }

  /** Where a streaming response's chunks go (the transport). */
  interface ChunkSink {
    /**
     * Writes and flushes one chunk. Returns false when the client cannot take more now: the producer
     * should pause until {@code onWritable} runs again.
     */
    boolean write(byte[] chunk);

    /** Ends the response. Idempotent. */
    void end();

    /** Runs {@code action} each time the client can take more after {@link #write} returned false. */
    void onWritable(Runnable action);
  }
}
