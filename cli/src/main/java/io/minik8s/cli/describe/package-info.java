/**
 * {@code mkctl describe}'s descriptions, one {@link io.minik8s.cli.describe.Describer} per kind
 * (a generic one for the rest), written through a {@link io.minik8s.cli.describe.DescribeWriter}
 * that aligns {@code Key:  value} columns as kubectl's does. Input: one object plus a
 * {@link io.minik8s.cli.describe.DescribeContext} (the API client for events and related objects,
 * the clock); output: the text.
 */
package io.minik8s.cli.describe;
