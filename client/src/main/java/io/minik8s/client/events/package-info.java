/**
 * core/v1 Events written by components about the objects they act on ({@link
 * io.minik8s.client.events.EventRecorder}): input an object and a reason, output an Event in the API
 * server, repeated ones aggregated into one with a count.
 */
package io.minik8s.client.events;
