/**
 * Container logs over HTTP: {@link io.minik8s.kubelet.logs.LogServer} answers
 * {@code GET /containerLogs/{namespace}/{pod}/{container}?follow&tailLines&previous&timestamps} with
 * plain text read from the CRI log files the runtime writes under the pod log directory.
 * {@link io.minik8s.kubelet.logs.CriLogDecoder} parses the CRI log format (joining partial lines),
 * {@link io.minik8s.kubelet.logs.LogStreamer} tails and follows a file,
 * {@link io.minik8s.kubelet.logs.RuntimeContainerLogs} finds a container's file through the runtime's
 * labels.
 */
package io.minik8s.kubelet.logs;
