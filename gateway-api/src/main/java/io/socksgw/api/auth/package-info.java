/** Authentication: who is the client? See {@link io.socksgw.api.auth.Authenticator}. */
package io.socksgw.api.auth;
