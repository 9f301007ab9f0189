/**
 * Label and field selectors, as Kubernetes writes and evaluates them.
 *
 * <p>Inputs: the string syntax users type ({@code app=web,tier!=db,env in (a,b),!legacy};
 * {@code spec.nodeName=node-1,status.phase!=Succeeded}) or the {@code LabelSelector} message that
 * Deployments, ReplicaSets and Services carry. Outputs: immutable {@link
 * io.minik8s.client.selector.LabelSelector} and {@link io.minik8s.client.selector.FieldSelector} values
 * that match a label map or an object's fields, print themselves in one canonical form (so two
 * selectors that mean the same thing compare equal), and reject bad syntax or bad label names with an
 * {@link java.lang.IllegalArgumentException} that names the problem.
 *
 * <p>Words: a <em>requirement</em> is one comma-separated term; a selector matches when every
 * requirement does; the empty selector matches everything. {@link
 * io.minik8s.client.selector.ObjectFields} says which fields of which kind a field selector may name.
 */
package io.minik8s.client.selector;
