/** The {@code direct} router: connects every request straight to its destination, with no upstream hop. */
package io.socksgw.plugins.direct;
