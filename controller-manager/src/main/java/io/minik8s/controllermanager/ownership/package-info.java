/**
 * Who controls whom: controller references between owners and children ({@link
 * io.minik8s.controllermanager.ownership.ControllerRefs}) and the expectations that stop a controller
 * from acting on a cache that has not yet seen its own writes ({@link
 * io.minik8s.controllermanager.ownership.Expectations}).
 */
package io.minik8s.controllermanager.ownership;
