/** Authorization: may this principal do this? See {@link io.socksgw.api.access.AccessPolicy}. */
package io.socksgw.api.access;
