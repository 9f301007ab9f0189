/**
 * The garbage collector: deletes objects whose owners are gone, and carries out orphaning deletes.
 *
 * <p>Inputs: one shared informer per kind (every kind may own or be owned), each indexed by the uids
 * of the owners its objects name ({@link io.minik8s.controllermanager.garbagecollector.OwnerIndex}).
 * Outputs: deletes (background cascade) of objects whose every owner is gone, updates that drop
 * references to gone owners when others remain, and, for an owner deleted with
 * {@code propagationPolicy=Orphan} (finalizer {@code orphan}), updates that drop its references from
 * its dependents followed by the removal of the finalizer.
 */
package io.minik8s.controllermanager.garbagecollector;
