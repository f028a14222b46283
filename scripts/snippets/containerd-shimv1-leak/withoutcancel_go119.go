package shim

import (
	"context"
	"time"
)

// detached stands in for the context of context.WithoutCancel (Go 1.21) on older toolchains:
// it keeps the parent's values and is never done.
type detached struct{ context.Context }

func (detached) Deadline() (time.Time, bool) { return time.Time{}, false }
func (detached) Done() <-chan struct{}       { return nil }
func (detached) Err() error                  { return nil }

func withoutCancel(ctx context.Context) context.Context { return detached{ctx} }
