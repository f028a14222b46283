// Package goleak stands in for go.uber.org/goleak in the snippet harness (no module proxy here):
// VerifyNone fails the test if a goroutine started by waitOrphaned is still alive after a second.
package goleak

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

func VerifyNone(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
		buf := make([]byte, 1<<20)
		if !strings.Contains(string(buf[:runtime.Stack(buf, true)]), "waitOrphaned.func") {
			return
		}
		if time.Now().After(deadline) {
			t.Error("goleak: a waitOrphaned goroutine is still running")
			return
		}
	}
}
