// Package require stands in for testify's require in the snippet harness.
package require

import (
	"testing"
	"time"
)

func Eventually(t *testing.T, cond func() bool, waitFor, tick time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(waitFor); !cond(); time.Sleep(tick) {
		if time.Now().After(deadline) {
			t.Fatal("condition never satisfied")
		}
	}
}
