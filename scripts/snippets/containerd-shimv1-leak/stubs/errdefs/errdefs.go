// Package errdefs stands in for containerd's errdefs in the snippet harness.
package errdefs

import "errors"

var ErrNotFound = errors.New("not found")

func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
