// Stand-ins for the shim service around the drill's diff. Written for this harness; not
// containerd's code.
package shim

import "context"

type taskStore interface {
	Get(ctx context.Context, id string) (struct{}, error)
	Delete(ctx context.Context, id string) error
}

type Service struct {
	tasks    taskStore
	shutdown context.Context
}
